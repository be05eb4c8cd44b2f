"""Our signatures are Standard Webhooks' own: the specification's published test vector signs
and verifies, and a receiver's checks (stale timestamp, wrong secret, rotated secrets) hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callserver.webhooks.signing import sign, signature, verify

# From the Standard Webhooks specification's reference libraries' tests.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
STAMP = 1614265330
BODY = '{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
AT = datetime.fromtimestamp(STAMP, UTC)


def test_the_specification_vector() -> None:
    assert signature(SECRET, MSG_ID, STAMP, BODY) == EXPECTED
    headers = sign(SECRET, MSG_ID, AT, BODY)
    assert headers == {"webhook-id": MSG_ID, "webhook-timestamp": str(STAMP),
                       "webhook-signature": EXPECTED}


def test_a_receiver_checks_time_secret_and_takes_any_listed_signature() -> None:
    headers = {"Webhook-Id": MSG_ID, "Webhook-Timestamp": str(STAMP),
               "Webhook-Signature": f"v1,bm90LXRoaXM= {EXPECTED}"}
    assert verify(SECRET, headers, BODY, AT + timedelta(minutes=4))
    assert not verify(SECRET, headers, BODY, AT + timedelta(minutes=6))
    assert not verify("whsec_" + "A" * 32, headers, BODY, AT)
    assert not verify(SECRET, headers, BODY.replace("2", "3"), AT)
