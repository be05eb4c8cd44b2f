"""Every channel variable callserver sets or reads, named once."""

RESULT = "CALLSERVER_RESULT"  # the call's outcome: answered | closed | unknown-number | ...
CALL_ID = "CALLSERVER_CALL_ID"
CAMPAIGN = "CALLSERVER_CAMPAIGN"
DIALSTATUS = "DIALSTATUS"
ANSWEREDTIME = "ANSWEREDTIME"
DIALEDPEERNUMBER = "DIALEDPEERNUMBER"  # the resource Dial reached, e.g. dispatch@pbx

# The flow's names for what it tells the dialplan, and the channel variables that carry them.
FLOW_VARS = {"call_id": CALL_ID, "campaign": CAMPAIGN, "outcome": RESULT}
