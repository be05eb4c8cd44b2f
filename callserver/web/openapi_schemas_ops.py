"""The schemas of the operator's side of the API: the error body, health, a config reload's
issues, webhook deliveries and their retry, and the test-call monitor.
"""

from __future__ import annotations

from callserver.store.call_values import CallStatus
from callserver.store.delivery_values import DeliveryKind, DeliveryStatus
from callserver.web.json_schema import (
    BOOL,
    INSTANT,
    INT,
    NUMBER,
    STRING,
    STRINGS,
    Schema,
    array,
    nullable,
    obj,
    ref,
)

_CONFIG_ISSUE = obj({"file": STRING, "line": INT, "path": STRING, "message": STRING,
                     "text": STRING})
_TEST_CALL = obj({
    "number": STRING, "ok": BOOL, "problems": array(STRING), "expect_target": nullable(STRING),
    "call": obj({"number": STRING, "placed_at": INSTANT, "ended_at": INSTANT,
                 "failure": nullable(STRING), "answer_s": nullable(NUMBER),
                 "first_audio_s": nullable(NUMBER), "audio_frames": INT,
                 "digits_sent": STRING, "dtmf_heard": STRING, "answered": BOOL}),
    "routing": nullable(obj({
        "call_id": STRING, "status": {"enum": [s.value for s in CallStatus]},
        "campaign": nullable(STRING), "source": nullable(STRING), "ivr_path": array(STRING),
        "dialled": array(STRING), "answered_target": nullable(STRING),
        "reason": nullable(STRING)}))})

OPS_SCHEMAS: dict[str, Schema] = {
    "Error": obj({"error": STRING}),
    "Health": obj({"status": {"enum": ["ok", "degraded"]}, "config": STRING,
                   "store": STRING, "agi": STRING, "ami": STRING}),
    "Reloaded": obj({"reloaded": BOOL, "config": STRING, "errors": array(_CONFIG_ISSUE),
                     "warnings": array(_CONFIG_ISSUE)}, optional=("errors", "warnings")),
    "Delivery": obj({
        "id": STRING, "event": STRING, "kind": {"enum": [k.value for k in DeliveryKind]},
        "call_id": nullable(STRING), "method": STRING, "url": STRING, "headers": STRINGS,
        "headers_env": {**STRINGS, "description": "header to the NAME of the environment "
                        "variable whose value it is sent with (never the value)"},
        "body": STRING, "status": {"enum": [s.value for s in DeliveryStatus]}, "attempts": INT,
        "last_error": nullable(STRING), "created_at": INSTANT, "next_attempt_at": INSTANT,
        "settled_at": nullable(INSTANT)}),
    "Deliveries": obj({
        "status": {"enum": [s.value for s in DeliveryStatus]},
        "counts": obj({str(status): INT for status in DeliveryStatus}),
        "deliveries": array(ref("Delivery"))}),
    "Retried": obj({"retried": BOOL, "delivery": ref("Delivery"), "error": STRING},
                   optional=("error",)),
    "Monitor": obj({
        "enabled": BOOL, "server": nullable(STRING),
        "numbers": array(obj({"number": STRING, "digits": STRING,
                              "expect_target": nullable(STRING), "interval_s": INT,
                              "next_run": INSTANT, "last": nullable(_TEST_CALL)}))}),
}
