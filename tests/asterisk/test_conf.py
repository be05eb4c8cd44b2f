"""Asterisk config rendering: the demo's numbers reach the AGI, AMI is locked down, sip targets
get their endpoints, secrets come only from the environment, and the files parse."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from callserver.asterisk.conf import (
    TEMPLATES,
    ConfOptions,
    Rendered,
    render,
    template_environment,
)
from callserver.asterisk.conf_numbers import dial_forms
from callserver.asterisk.conf_pjsip import trunk_endpoint
from callserver.asterisk.conf_values import conf_value
from callserver.config.loader import load_config
from callserver.config.resolve import ResolvedConfig
from callserver.routing.dial import dial_string

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "examples" / "demo.yaml"
SAMPLE = ROOT / "asterisk-conf" / "sample"
APP = re.compile(r"^[^,]+,(\d+|n(\(\w+\))?),(?P<app>\w+)\((?P<args>.*)\)$")


@dataclass
class Section:
    name: str
    lines: list[tuple[str, str]] = field(default_factory=list)

    def get(self, key: str) -> list[str]:
        return [value for k, value in self.lines if k == key]

    def one(self, key: str) -> str:
        (value,) = self.get(key)
        return value


def parse_conf(text: str) -> list[Section]:
    """Asterisk's config syntax as far as we write it; anything else fails the test."""
    sections: list[Section] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = re.split(r"(?<!\\);", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        head = re.fullmatch(r"\[([A-Za-z0-9_.+-]+)\]", line)
        pair = re.fullmatch(r"(exten|same) => (.+)|([A-Za-z_]+)=(.*)", line)
        assert head or (pair and sections), f"line {number} is not Asterisk config: {raw!r}"
        if head:
            sections.append(Section(head.group(1)))
            continue
        assert pair is not None
        key, value = pair.group(1, 2) if pair.group(1) else pair.group(3, 4)
        if key in ("exten", "same"):
            _check_step(key, value, sections[-1], number)
        sections[-1].lines.append((key, value.strip().replace(r"\;", ";")))
    return sections


def _check_step(key: str, value: str, section: Section, number: int) -> None:
    step = APP.match(value if key == "exten" else f"same,{value}")
    assert step, f"line {number}: not EXTEN,PRIORITY,App(args): {value!r}"
    assert key == "exten" or (section.lines and section.lines[-1][0] in ("exten", "same")), (
        f"line {number}: `same` without an `exten` before it")
    depth = 0
    for ch in step["args"]:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert depth >= 0, f"line {number}: unbalanced parentheses"
    assert depth == 0, f"line {number}: unbalanced parentheses"


def by_name(sections: list[Section], name: str, kind: str | None = None) -> Section:
    (found,) = [s for s in sections if s.name == name
                and (kind is None or s.get("type") == [kind])]
    return found


def matches(pattern: str, exten: str) -> bool:
    """Asterisk's extension patterns: `_` then X, Z, N, [set], `.` (one or more)."""
    if not pattern.startswith("_"):
        return pattern == exten
    regex = {"X": "[0-9]", "Z": "[1-9]", "N": "[2-9]", ".": ".+"}
    parts = re.findall(r"\[[^\]]+\]|.", pattern[1:])
    return re.fullmatch("".join(regex.get(p, p if p[0] == "[" else re.escape(p))
                                for p in parts), exten) is not None


def dialplan(sections: list[Section], context: str, exten: str) -> list[str]:
    """The applications a call to `exten` runs, in order; an exact name beats a pattern."""
    steps: dict[str, list[str]] = {}
    name = ""
    for key, value in by_name(sections, context).lines:
        if key == "exten":
            name, priority, app = value.split(",", 2)
            assert priority != "1" or name not in steps, f"{name} defined twice in {context}"
        elif key == "same":
            app = value.split(",", 1)[1]
        else:
            continue
        steps.setdefault(name, []).append(app.replace("${EXTEN}", exten))
    found = [n for n in steps if matches(n, exten)]
    exact = [n for n in found if not n.startswith("_")]
    (chosen,) = exact or found
    return steps[chosen]


@pytest.fixture(scope="module")
def demo() -> ResolvedConfig:
    return load_config(DEMO)


def files(rendered: Rendered) -> dict[str, list[Section]]:
    return {name: parse_conf(text) for name, text in rendered.files.items()}


SECRETS = {"CALLSERVER_AMI_SECRET": "ami-S3cret;x", "BUYER_A_SIP": "alice:pa;ss:word"}


def test_every_tracked_number_in_every_spelling_reaches_the_agi(demo: ResolvedConfig) -> None:
    ext = files(render(demo, ConfOptions(), {}))["extensions.conf"]
    assert len(demo.numbers) == 10
    for e164 in demo.numbers:
        for spelling in (e164, e164[1:], e164[2:]):
            goto = dialplan(ext, "from-trunk", spelling)
            assert goto == [f"Goto(callserver-inbound,{e164},1)"], spelling
        steps = dialplan(ext, "callserver-inbound", e164)
        agi = steps.index("AGI(agi://127.0.0.1:4573/inbound)")
        assert "Set(AGISIGHUP=yes)" in steps[:agi]


def test_stray_numbers_still_reach_the_agi_and_unknown_ones_are_refused(
        demo: ResolvedConfig) -> None:
    ext = files(render(demo, ConfOptions(), {}))["extensions.conf"]
    for stray in ("+18005550999", "5550999"):
        assert dialplan(ext, "from-trunk", stray) == [f"Goto(callserver-inbound,{stray},1)"]
    steps = dialplan(ext, "callserver-inbound", "5550999")
    after = steps[steps.index("AGI(agi://127.0.0.1:4573/inbound)") + 1:]
    assert after[:3] == ['GotoIf($["${AGISTATUS}" = "FAILURE"]?unreachable)',
                         'GotoIf($["${CALLSERVER_RESULT}" = "unknown-number"]?unknown)',
                         "Hangup()"]
    assert after[3].startswith("Congestion(") and after[4] == "Hangup()"
    assert after[-2].startswith("Congestion(") and after[-1] == "Hangup()"
    labels = [v for k, v in by_name(ext, "callserver-inbound").lines if "(unknown)" in v]
    assert labels == ["n(unknown),Congestion(5)"]


def test_agi_address_comes_from_the_options(demo: ResolvedConfig) -> None:
    text = render(demo, ConfOptions(agi_hosts=("10.1.2.3",), agi_port=4600), {}).files
    assert "AGI(agi://10.1.2.3:4600/inbound)" in text["extensions.conf"]
    text = render(demo, ConfOptions(agi_hosts=("::1",)), {}).files
    assert "AGI(agi://[::1]:4573/inbound)" in text["extensions.conf"]


@pytest.mark.parametrize("options", [
    {"agi_hosts": ("a,b",)}, {"agi_hosts": ("h)",)}, {"agi_hosts": ()},
    {"agi_hosts": ("a", "a")}, {"agi_port": 0}, {"agi_port": 70000},
    {"callserver_hosts": ("callserver.local",)}, {"callserver_hosts": ()},
    {"ami_user": "bad user"}, {"ami_user": "x]"},
])
def test_options_that_would_break_a_file_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="--"):
        ConfOptions(**options)  # type: ignore[arg-type]


def test_manager_user_is_limited_to_callserver(demo: ResolvedConfig) -> None:
    manager = files(render(demo, ConfOptions(ami_user="cs"), SECRETS))["manager.conf"]
    general = by_name(manager, "general")
    assert general.lines[:3] == [("enabled", "yes"), ("webenabled", "no"), ("port", "5038")]
    assert general.one("bindaddr") == "127.0.0.1"
    user = by_name(manager, "cs")
    assert user.one("secret") == "ami-S3cret;x"
    keys = [k for k, _ in user.lines]
    assert keys.index("deny") < keys.index("permit")
    assert user.get("deny") == ["0.0.0.0/0.0.0.0"]
    assert user.get("permit") == ["127.0.0.1/255.255.255.255"]
    assert (user.one("read"), user.one("write")) == ("call", "reporting")
    assert user.get("eventfilter") == ["!Event: VarSet", "!Event: Newexten"]


def test_manager_for_remote_and_ipv6_callserver_nodes(demo: ResolvedConfig) -> None:
    options = ConfOptions(callserver_hosts=("10.0.0.7", "10.0.0.8"))
    user = by_name(files(render(demo, options, SECRETS))["manager.conf"], "callserver")
    assert user.get("permit") == ["10.0.0.7/255.255.255.255", "10.0.0.8/255.255.255.255"]
    manager = files(render(demo, ConfOptions(callserver_hosts=("fd00::7",)), SECRETS))
    assert by_name(manager["manager.conf"], "general").one("bindaddr") == "::"
    user = by_name(manager["manager.conf"], "callserver")
    assert user.get("deny") == ["0.0.0.0/0.0.0.0", "::/0"]
    assert user.get("permit") == ["fd00::7/128"]


def test_missing_ami_secret_is_a_marked_placeholder(demo: ResolvedConfig) -> None:
    rendered = render(demo, ConfOptions(), {"BUYER_A_SIP": "a:b"})
    user = by_name(files(rendered)["manager.conf"], "callserver")
    assert user.one("secret") == "SET-CALLSERVER_AMI_SECRET"
    assert "PLACEHOLDER: CALLSERVER_AMI_SECRET" in rendered.files["manager.conf"]
    (warning,) = rendered.warnings
    assert warning.startswith("CALLSERVER_AMI_SECRET is not set")


def test_sip_target_has_endpoint_aor_and_auth_from_the_environment(
        demo: ResolvedConfig) -> None:
    pjsip = files(render(demo, ConfOptions(), SECRETS))["pjsip.conf"]
    target = demo.model.targets["buyer-a"]
    dial = dial_string("buyer-a", target, demo.model.trunk)
    endpoint_name = dial.split("/")[1]
    assert dial == f"PJSIP/{endpoint_name}/sip:calls@buyer-a.example.com"
    endpoint = by_name(pjsip, endpoint_name, "endpoint")
    assert endpoint.one("transport") == "transport-udp"
    assert by_name(pjsip, endpoint.one("transport"), "transport").one("protocol") == "udp"
    assert by_name(pjsip, endpoint.one("aors"), "aor").one("contact") == target.sip
    auth = by_name(pjsip, endpoint.one("outbound_auth"), "auth")
    assert (auth.one("auth_type"), auth.one("username"), auth.one("password")) == (
        "userpass", "alice", "pa;ss:word")


@pytest.mark.parametrize("value", [None, "", "no-colon", ":nouser", "user:", "u:pa\nss",
                                   "u:trailing "])
def test_unusable_sip_auth_is_a_marked_placeholder(demo: ResolvedConfig,
                                                   value: str | None) -> None:
    env = {"CALLSERVER_AMI_SECRET": "x"} | ({} if value is None else {"BUYER_A_SIP": value})
    rendered = render(demo, ConfOptions(), env)
    auth = by_name(files(rendered)["pjsip.conf"], "cs-buyer-a-auth", "auth")
    assert (auth.one("username"), auth.one("password")) == ("SET-BUYER_A_SIP",) * 2
    (warning,) = rendered.warnings
    assert warning.startswith("BUYER_A_SIP ") and "target buyer-a" in warning
    assert "pa\nss" not in rendered.files["pjsip.conf"]


def test_no_other_secret_reaches_the_files(demo: ResolvedConfig) -> None:
    others = {"GA4_API_SECRET": "ga4-value-1", "CRM_HOOK_SECRET": "crm-value-2",
              "CALLSERVER_ADMIN_TOKEN": "admin-value-3",
              "CALLSERVER_PUBLISHER_TOKENS": "leadgen:pub-value-4"}
    rendered = render(demo, ConfOptions(), SECRETS | others)
    text = "".join(rendered.files.values())
    assert not [v for v in others.values() if v in text]
    assert r"ami-S3cret\;x" in text and r"pa\;ss:word" in text


def test_every_rendered_file_parses(tmp_path: Path, demo: ResolvedConfig) -> None:
    config = tmp_path / "odd.yaml"
    config.write_text(
        'trunk: "PJSIP/carrier/sip:{number}@sip.example.net"\n'
        "targets:\n"
        '  desk: {dial: "PJSIP/desk@pbx"}\n'
        '  secure: {sip: "sips:in@secure.example.com:5061"}\n'
        '  plain: {sip: "sip:in;user=phone@plain.example.com", auth_env: PLAIN_SIP}\n'
        "campaigns:\n"
        "  x:\n"
        "    routing: {targets: [{target: desk}, {target: secure}, {target: plain}]}\n"
        '    numbers: {"+442079460000": {}}\n')
    odd = load_config(config)
    for rendered in (render(demo, ConfOptions(), {}), render(demo, ConfOptions(), SECRETS),
                     render(odd, ConfOptions(callserver_hosts=("fd00::1",)), {})):
        assert sorted(files(rendered)) == ["extensions.conf", "manager.conf", "pjsip.conf"]
    pjsip = files(render(odd, ConfOptions(), {"PLAIN_SIP": "u:p"}))["pjsip.conf"]
    assert by_name(pjsip, "cs-secure", "endpoint").one("transport") == "transport-tls"
    assert by_name(pjsip, "cs-plain", "aor").one("contact") == "sip:in;user=phone@plain.example.com"
    assert "\n;[transport-tls]\n" in render(odd, ConfOptions(), {}).files["pjsip.conf"]
    assert "transport-tls" not in render(demo, ConfOptions(), {}).files["pjsip.conf"]


def test_carrier_sample_is_named_after_the_trunk(demo: ResolvedConfig) -> None:
    text = render(demo, ConfOptions(), {}).files["pjsip.conf"]
    assert "\n;[carrier]\n;type=endpoint\n" in text and "\n;context=from-trunk\n" in text
    assert not [s for s in parse_conf(text) if s.name.startswith("carrier")]


@pytest.mark.parametrize(("trunk", "endpoint"), [
    ("PJSIP/{number}@carrier", "carrier"), ("PJSIP/twilio/sip:{number}@x.example", "twilio"),
    ("PJSIP/{number}", None), ("SIP/{number}@old", None), (None, None),
    ("PJSIP/{number}@bad name", None),
])
def test_trunk_endpoint(trunk: str | None, endpoint: str | None) -> None:
    assert trunk_endpoint(trunk) == endpoint


def test_dial_forms_cover_what_carriers_send() -> None:
    assert dial_forms("+18005550101") == ("+18005550101", "18005550101", "8005550101")
    assert dial_forms("+442079460000") == ("+442079460000", "442079460000", "2079460000",
                                           "02079460000")


def test_a_spelling_two_numbers_share_is_left_to_callserver(tmp_path: Path) -> None:
    config = tmp_path / "two.yaml"
    config.write_text('targets: {desk: {dial: "PJSIP/desk@pbx"}}\n'
                      "campaigns:\n  x:\n    routing: {targets: [{target: desk}]}\n"
                      '    numbers: {"+18005550101": {}, "+8618005550101": {}}\n')
    ext = files(render(load_config(config), ConfOptions(), {}))["extensions.conf"]
    extens = [v.split(",")[0] for k, v in by_name(ext, "from-trunk").lines if k == "exten"]
    assert "18005550101" not in extens
    assert {"+18005550101", "8005550101", "+8618005550101", "8618005550101"} <= set(extens)
    assert len(extens) == len(set(extens))


def test_conf_value_escapes_comments_and_refuses_line_breaks() -> None:
    assert conf_value("a;b") == r"a\;b"
    for bad in ("a\nb", "a\rb", " a", "a\t"):
        with pytest.raises(ValueError, match="line break"):
            conf_value(bad)


def test_strict_undefined_catches_a_misspelt_name(tmp_path: Path,
                                                  demo: ResolvedConfig) -> None:
    shutil.copytree(TEMPLATES, tmp_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("sample"))
    template = tmp_path / "extensions.conf.j2"
    template.write_text(template.read_text().replace("{{ agi_url }}", "{{ agi_ulr }}"))
    with pytest.raises(UndefinedError, match="agi_ulr"):
        render(demo, ConfOptions(), {}, templates=tmp_path)


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "evil.conf.j2").write_text("{{ ''.__class__.__mro__ }}")
    with pytest.raises(SecurityError):
        template_environment(tmp_path).get_template("evil.conf.j2").render()


def test_committed_sample_matches_a_fresh_render(demo: ResolvedConfig) -> None:
    rendered = render(demo, ConfOptions(), {})
    assert sorted(p.name for p in SAMPLE.iterdir()) == sorted(rendered.files)
    for name, text in rendered.files.items():
        assert (SAMPLE / name).read_text() == text, (
            f"asterisk-conf/sample/{name} is stale: run `callserver asterisk-conf --config "
            "examples/demo.yaml --out asterisk-conf/sample` with no secrets set")
