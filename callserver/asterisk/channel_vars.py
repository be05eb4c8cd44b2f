"""Every channel variable callserver sets or reads, named once."""

RESULT = "CALLSERVER_RESULT"  # the call's outcome: answered | closed | unknown-number | ...
CALL_ID = "CALLSERVER_CALL_ID"
CAMPAIGN = "CALLSERVER_CAMPAIGN"
DIALSTATUS = "DIALSTATUS"
ANSWEREDTIME = "ANSWEREDTIME"
DIALEDPEERNUMBER = "DIALEDPEERNUMBER"  # the resource Dial reached, e.g. dispatch@pbx

SOURCE = "CALLSERVER_SOURCE"
PUBLISHER = "CALLSERVER_PUBLISHER"
SUB_ID = "CALLSERVER_SUB_ID"
TAG_PREFIX = "CALLSERVER_TAG_"  # + the tag's key, e.g. CALLSERVER_TAG_channel

# The flow's names for what it tells the dialplan, and the channel variables that carry them.
FLOW_VARS = {"call_id": CALL_ID, "campaign": CAMPAIGN, "outcome": RESULT, "source": SOURCE,
             "publisher": PUBLISHER, "sub_id": SUB_ID}


def flow_variable(key: str) -> str:
    """The channel variable for one of the flow's names; `tag.KEY` is a tag (keys are already
    identifiers, so they are valid in a variable name as they stand)."""
    if key.startswith("tag."):
        return TAG_PREFIX + key.removeprefix("tag.")
    return FLOW_VARS[key]
