"""Every channel variable callserver sets or reads, named once."""

RESULT = "CALLSERVER_RESULT"  # what callserver did: unknown-number | answered | ...
CALL_ID = "CALLSERVER_CALL_ID"
CAMPAIGN = "CALLSERVER_CAMPAIGN"
DIALSTATUS = "DIALSTATUS"
ANSWEREDTIME = "ANSWEREDTIME"
