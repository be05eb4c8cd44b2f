"""Asterisk's config files for a callserver config: resolved config and options in, text out.

Pure: the environment (where credentials live, never in the YAML) is passed in as a mapping,
and what could not be filled in comes back as warnings beside the files, so the command can
say so and a test can render without touching the process environment.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import phonenumbers
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from callserver.asterisk import channel_vars
from callserver.config.resolve import NumberView, ResolvedConfig
from callserver.config.schema.root import Target
from callserver.config.schema.sip import transport_of
from callserver.routing.dial import dial_string, sip_endpoint

TEMPLATES = Path(__file__).resolve().parents[2] / "asterisk-conf"
AMI_SECRET_ENV = "CALLSERVER_AMI_SECRET"
DEFAULT_TRUNK_ENDPOINT = "carrier"
HOST_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$")
USER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
ASTERISK_SPACE = " \t\n\v\f\r"  # what its config parser trims from a value (isspace)


@dataclass(frozen=True)
class ConfOptions:
    """Where Asterisk finds callserver (FastAGI: each node, tried in order) and where callserver
    logs in from (AMI)."""

    agi_hosts: tuple[str, ...] = ("127.0.0.1",)
    agi_port: int = 4573
    callserver_hosts: tuple[str, ...] = ("127.0.0.1",)
    ami_user: str = "callserver"

    def __post_init__(self) -> None:
        if not self.agi_hosts:
            raise ValueError("--agi-host: expected at least one host")
        for host in self.agi_hosts:
            if not HOST_PATTERN.match(host) and not _is_ip(host):
                raise ValueError(f"--agi-host {host!r}: expected a host name or address")
        if len(set(self.agi_hosts)) != len(self.agi_hosts):
            raise ValueError(f"--agi-host {','.join(self.agi_hosts)}: a host is named twice")
        if not 1 <= self.agi_port <= 65535:
            raise ValueError(f"--agi-port {self.agi_port}: expected 1-65535")
        if not self.callserver_hosts or not all(map(_is_ip, self.callserver_hosts)):
            raise ValueError(f"--callserver-host {self.callserver_hosts}: expected IP addresses")
        if not USER_PATTERN.match(self.ami_user):
            raise ValueError(f"--ami-user {self.ami_user!r}: expected letters, digits, _ . -")


@dataclass(frozen=True)
class Rendered:
    """File name -> text, and what the admin must still fill in by hand."""

    files: Mapping[str, str]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Secret:
    """A credential for a .conf file, escaped, or a marked placeholder when the env lacks it."""

    env: str
    username: str
    password: str
    placeholder: bool


@dataclass(frozen=True)
class Tracked:
    """A tracking number and the spellings of it the carrier may send, E.164 first."""

    e164: str
    forms: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class SipTarget:
    """A `sip:` target's endpoint; `dial` is what callserver dials, `uri` is escaped, and
    `transport` (udp, tcp or tls) names the PJSIP transport section it goes out through."""

    name: str
    endpoint: str
    dial: str
    uri: str
    transport: str
    auth: Secret | None


def render(config: ResolvedConfig, options: ConfOptions, environ: Mapping[str, str],
           templates: Path = TEMPLATES) -> Rendered:
    """Render every `*.conf.j2` in `templates`; file names lose the `.j2`."""
    warnings: list[str] = []
    ami = _secret(AMI_SECRET_ENV, environ, "manager.conf's AMI user", warnings, pair=False)
    targets = tuple(_sip_target(name, t, environ, warnings)
                    for name, t in config.model.targets.items() if t.sip is not None)
    hosts = tuple(ipaddress.ip_address(h) for h in options.callserver_hosts)
    context = {
        "source": Path(config.path).name,
        "numbers": tracked_numbers(config),
        "agi_urls": tuple(f"agi://{_url_host(host)}:{options.agi_port}/inbound"
                          for host in options.agi_hosts),
        "result_var": channel_vars.RESULT,
        "ami_user": options.ami_user,
        "ami_secret": ami,
        "ami_bindaddr": _bindaddr(hosts),
        "ami_permits": tuple(f"{h}/{h.max_prefixlen}" if h.version == 6
                             else f"{h}/255.255.255.255" for h in hosts),
        "ami_ipv6": any(h.version == 6 for h in hosts),
        "trunk": config.model.trunk,
        "trunk_endpoint": trunk_endpoint(config.model.trunk) or DEFAULT_TRUNK_ENDPOINT,
        "sip_targets": targets,
    }
    env = template_environment(templates)
    files = {name.removesuffix(".j2"): env.get_template(name).render(context)
             for name in sorted(env.list_templates(filter_func=_is_conf_template))}
    return Rendered(MappingProxyType(files), tuple(warnings))


def template_environment(directory: Path) -> SandboxedEnvironment:
    """Sandboxed, no autoescape (these are not HTML), and a misspelt name is an error."""
    return SandboxedEnvironment(loader=FileSystemLoader(directory), autoescape=False,
                                undefined=StrictUndefined, trim_blocks=True,
                                lstrip_blocks=True, keep_trailing_newline=True)


def tracked_numbers(config: ResolvedConfig) -> tuple[Tracked, ...]:
    """Every number callserver answers; a spelling two numbers share is left to callserver."""
    forms = {e164: dial_forms(e164) for e164 in config.numbers}
    shared = Counter(form for spellings in forms.values() for form in set(spellings))
    return tuple(Tracked(e164, tuple(f for f in spellings if f == e164 or shared[f] == 1),
                         _note(config.numbers[e164]))
                 for e164, spellings in forms.items())


def dial_forms(e164: str) -> tuple[str, ...]:
    """`+18005550101` -> also `18005550101` and `8005550101`; `+442079460000` -> `02079460000`."""
    parsed = phonenumbers.parse(e164, None)
    national = re.sub(r"\D", "", phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    spellings = (e164, e164.lstrip("+"), phonenumbers.national_significant_number(parsed),
                 national)
    return tuple(dict.fromkeys(spellings))


def trunk_endpoint(trunk: str | None) -> str | None:
    """The PJSIP endpoint in `PJSIP/{number}@carrier` or `PJSIP/carrier/sip:{number}@host`."""
    match = re.match(r"^PJSIP/([^/@]+)(?:@([^/]+)|/.+)$", trunk or "")
    if match is None:
        return None
    endpoint = match.group(2) or match.group(1)
    return endpoint if USER_PATTERN.match(endpoint) else None


def conf_value(text: str) -> str:
    """A value as Asterisk's config parser reads it back: `;` escaped, no line breaks.

    Asterisk trims a value and reads `;` as the start of a comment unless it is escaped.
    """
    if text != text.strip(ASTERISK_SPACE) or "\n" in text or "\r" in text:
        raise ValueError("has a line break or surrounding spaces")
    return text.replace(";", r"\;")


def _secret(env: str, environ: Mapping[str, str], where: str, warnings: list[str], *,
            pair: bool) -> Secret:
    raw = environ.get(env, "")
    username, sep, password = raw.partition(":") if pair else ("", ":", raw)
    try:
        if not raw or not sep or (pair and not username) or not password:
            raise ValueError("is not set" if not raw else "is not user:password")
        return Secret(env, conf_value(username), conf_value(password), placeholder=False)
    except ValueError as exc:
        warnings.append(f"{env} {exc}: {where} has a placeholder; set it and render again")
        return Secret(env, f"SET-{env}", f"SET-{env}", placeholder=True)


def _sip_target(name: str, target: Target, environ: Mapping[str, str],
                warnings: list[str]) -> SipTarget:
    uri = target.sip or ""
    auth = None if target.auth_env is None else _secret(
        target.auth_env, environ, f"pjsip.conf's auth for target {name}", warnings, pair=True)
    return SipTarget(name, sip_endpoint(name), dial_string(name, target, None),
                     conf_value(uri), transport_of(uri), auth)


def _note(view: NumberView) -> str:
    where = f"pool {view.pool}" if view.pool else f"source {view.source or 'none'}"
    return f"{view.campaign}: {view.role} number, {where}"


def _bindaddr(hosts: tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]) -> str:
    if any(h.version == 6 for h in hosts):
        return "::"
    return "127.0.0.1" if all(h.is_loopback for h in hosts) else "0.0.0.0"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_conf_template(name: str) -> bool:
    return name.endswith(".conf.j2") and "/" not in name
