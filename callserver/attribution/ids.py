"""Visitor and session ids, in the format `request.ID_PATTERN` accepts back."""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import time


class Ids:
    """6 bytes of the time in ms, so that new rows land together at the end of the sessions
    table's indexes (random keys dirty a page per row, which the WAL then writes), and 10
    unguessable bytes: a counter under BLAKE2b keyed with 32 random bytes, which costs no
    system call per id as `os.urandom` does."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._count = itertools.count()

    def __call__(self) -> str:
        return self._ids(1)[0]

    def pair(self) -> tuple[str, str]:
        """Two ids for the price of one digest: a new visitor's id and its session's."""
        first, second = self._ids(2)
        return first, second

    def _ids(self, n: int) -> list[str]:
        secret = hashlib.blake2b(next(self._count).to_bytes(8, "big"), key=self._key,
                                 digest_size=10 * n).digest()
        stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
        return [base64.urlsafe_b64encode(stamp + secret[i:i + 10]).rstrip(b"=").decode()
                for i in range(0, 10 * n, 10)]


new_id = Ids()
