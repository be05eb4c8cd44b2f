"""The SIP phone's teardown after a refused REGISTER: rfcvoip may already have closed its
socket, and its deregistration then fails with EBADF (seen under load in the test-call CLI
tests). That OSError must not replace the observation; any other error still surfaces."""

from __future__ import annotations

import errno
from typing import Any

import pytest

from callserver.probe import sip_call


class Phone:
    """Stands in for rfcvoip's VoIPPhone at `stop()`, the one call the teardown makes."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def stop(self) -> None:
        raise self.error


def test_a_socket_already_closed_at_teardown_is_not_an_error() -> None:
    phone: Any = Phone(OSError(errno.EBADF, "Bad file descriptor"))
    sip_call._stop(phone)


def test_any_other_teardown_error_surfaces() -> None:
    phone: Any = Phone(RuntimeError("rfcvoip bug"))
    with pytest.raises(RuntimeError):
        sip_call._stop(phone)
