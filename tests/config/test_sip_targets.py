"""`sip:` targets (seed 002's SIP numbers): `check` refuses a URI Asterisk could not dial, and
`asterisk-conf` gives each accepted one the PJSIP transport its URI asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callserver.asterisk.conf import ConfOptions, render
from callserver.config.loader import load_config
from callserver.config.schema.sip import sip_uri, transport_of
from callserver.routing.dial import dial_string
from tests.asterisk.test_conf import by_name, parse_conf

ACCEPTED = [
    ("sip:buyer@pbx.example.com", "udp"),
    ("sip:buyer@pbx.example.com:5080", "udp"),
    ("sip:+13125550142@10.0.0.7;transport=tcp", "tcp"),
    ("sip:buyer@pbx.example.com;transport=TLS", "tls"),
    ("sips:buyer@pbx.example.com:5061", "tls"),
    ("sips:buyer@pbx.example.com;transport=tcp", "tls"),
    ("sip:buyer@[2001:db8::5]:5060", "udp"),
    ("sip:in;user=phone@plain.example.com", "udp"),
    ("sip:a%2Cb@pbx.example.com;lr", "udp"),
]
REFUSED = [
    ("sip:buyer:secret@pbx.example.com", "password"),
    ("sip:a,b@pbx.example.com", "cannot be dialled"),
    ("sip:a&b@pbx.example.com", "cannot be dialled"),
    ("sip:a(b)@pbx.example.com", "cannot be dialled"),
    ("sip:bü@pbx.example.com", "not a SIP user part"),
    ("sip:buyer@pbx..example.com", "not a host name"),
    ("sip:buyer@-pbx.example.com", "not a host name"),
    ("sip:buyer@10.0.0.256", "not a host name or IP address"),
    ("sip:buyer@[2001:db8::zz]", "not a host name or IP address"),
    ("sip:buyer@[2001:db8::5", "not host[:port]"),
    ("sip:buyer@pbx.example.com:0", "not 1-65535"),
    ("sip:buyer@pbx.example.com:sip", "not 1-65535"),
    ("sip:buyer@pbx.example.com;transport=sctp", "transport must be"),
    ("sips:buyer@pbx.example.com;transport=udp", "needs TLS"),
    ("sip:buyer@pbx.example.com?Subject=x", "headers"),
    ("sip:buyer@pbx.example.com;=x", "not a URI parameter"),
]


@pytest.mark.parametrize(("uri", "transport"), ACCEPTED)
def test_accepted_uris_and_their_transport(uri: str, transport: str) -> None:
    assert sip_uri(uri) == uri and transport_of(uri) == transport


@pytest.mark.parametrize(("uri", "why"), REFUSED)
def test_refused_uris_say_why(uri: str, why: str) -> None:
    with pytest.raises(ValueError, match=why.replace("[", r"\[")):
        sip_uri(uri)


@given(st.text(alphabet=st.sampled_from("sip:@.-[]%;=?,&az09 "), max_size=40)
       .map(lambda tail: f"sip:{tail}"))
def test_any_text_is_accepted_clean_or_refused_with_a_reason(uri: str) -> None:
    try:
        sip_uri(uri)
    except ValueError as refused:
        assert str(refused)
        return
    assert not set(uri) & set(",&()'\"$\\| ")
    transport_of(uri)


def test_asterisk_conf_gives_each_target_the_transport_its_uri_asks_for(tmp_path: Path) -> None:
    config = tmp_path / "sip.yaml"
    config.write_text(
        "targets:\n"
        '  tcp: {sip: "sip:calls@tcp.example.com;transport=tcp", auth_env: TCP_SIP}\n'
        '  tls: {sip: "sips:calls@tls.example.com"}\n'
        '  udp: {sip: "sip:calls@udp.example.com:5080"}\n'
        "campaigns:\n  x:\n    routing: {targets: [{target: tcp}, {target: tls}, "
        "{target: udp}]}\n")
    loaded = load_config(config)
    text = render(loaded, ConfOptions(), {"TCP_SIP": "alice:s3cret"}).files["pjsip.conf"]
    pjsip = parse_conf(text)
    for name, transport in (("tcp", "tcp"), ("tls", "tls"), ("udp", "udp")):
        endpoint = by_name(pjsip, f"cs-{name}", "endpoint")
        assert endpoint.one("transport") == f"transport-{transport}"
        target = loaded.model.targets[name]
        assert by_name(pjsip, f"cs-{name}", "aor").one("contact") == target.sip
        assert dial_string(name, target, None) == f"PJSIP/cs-{name}/{target.sip}"
    assert by_name(pjsip, "transport-tcp", "transport").one("protocol") == "tcp"
    auth = by_name(pjsip, by_name(pjsip, "cs-tcp", "endpoint").one("outbound_auth"), "auth")
    assert (auth.one("username"), auth.one("password")) == ("alice", "s3cret")
    assert "\n;[transport-tls]\n" in text  # needs a certificate: a sample to fill in


def test_without_a_tcp_target_no_tcp_transport_is_opened(tmp_path: Path) -> None:
    config = tmp_path / "udp.yaml"
    config.write_text('targets: {udp: {sip: "sip:calls@udp.example.com"}}\n'
                      "campaigns:\n  x:\n    routing: {targets: [{target: udp}]}\n")
    assert "transport-tcp" not in render(load_config(config), ConfOptions(), {}).files[
        "pjsip.conf"]
