"""Asterisk's config files for a callserver config: resolved config and options in, text out.

Pure: the environment (where credentials live, never in the YAML) is passed in as a mapping,
and what could not be filled in comes back as warnings beside the files, so the command can
say so and a test can render without touching the process environment. The values the
templates get are made in `conf_numbers` (the dialplan's numbers), `conf_pjsip` (endpoints)
and `conf_values` (escaping and credentials); this module checks the options and renders.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from callserver.asterisk import channel_vars
from callserver.asterisk.conf_numbers import tracked_numbers
from callserver.asterisk.conf_pjsip import DEFAULT_TRUNK_ENDPOINT, sip_target, trunk_endpoint
from callserver.asterisk.conf_values import USER_PATTERN, secret
from callserver.config.resolve import ResolvedConfig

TEMPLATES = Path(__file__).resolve().parents[2] / "asterisk-conf"
AMI_SECRET_ENV = "CALLSERVER_AMI_SECRET"
HOST_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$")


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


def render(config: ResolvedConfig, options: ConfOptions, environ: Mapping[str, str],
           templates: Path = TEMPLATES) -> Rendered:
    """Render every `*.conf.j2` in `templates`; file names lose the `.j2`."""
    warnings: list[str] = []
    ami = secret(AMI_SECRET_ENV, environ, "manager.conf's AMI user", warnings, pair=False)
    targets = tuple(sip_target(name, t, environ, warnings)
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
