"""A call's voicemail (migration 0017) is written by the end of the call and read back by the
call repository and the API's listing, on SQLite and on PostgreSQL alike."""

from callserver.reports import listing
from callserver.reports.filters import CallFilter
from callserver.store import calls
from callserver.store.call_values import CallEnd, CallStatus, FlowNotes
from callserver.store.open import AnyStore
from tests.store.conftest import NOW
from tests.store.test_calls import _call

MESSAGE = "/var/spool/asterisk/callserver/voicemail/call-1.wav"
VOICEMAIL = CallEnd(CallStatus.CLOSED, NOW, voicemail=MESSAGE)


async def test_the_voicemail_is_stored_with_the_end(either: AnyStore) -> None:
    await either.write(calls.start, _call(1))
    await either.write(calls.start, _call(2))
    done = await either.write(calls.finish, "call-1", VOICEMAIL,
                              FlowNotes((), {}, {"voicemail": MESSAGE}))
    assert done is not None and done.end == VOICEMAIL
    assert await either.write(calls.complete, "call-2", CallEnd(CallStatus.CLOSED, NOW))
    stored = await either.read(calls.get, "call-1")
    assert stored is not None and stored.end is not None and stored.end.voicemail == MESSAGE
    page = await either.read(listing.page, CallFilter(), None, 10)
    assert {c.id: c.end and c.end.voicemail for c in page.calls} == {
        "call-1": MESSAGE, "call-2": None}
    found = await either.read(listing.find, "call-1", None)
    assert found is not None and found.call.end == VOICEMAIL
