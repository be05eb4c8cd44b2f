"""Who a node is: the host name unless CALLSERVER_NODE says otherwise, and a heartbeat that
must come well inside the silence after which the others call the node dead."""

import socket

import pytest

from callserver.settings import NodeSettings


def test_a_node_is_its_host_unless_named() -> None:
    assert NodeSettings.from_env({}) == NodeSettings(socket.gethostname(), 5.0, 30.0)
    named = NodeSettings.from_env({"CALLSERVER_NODE": "edge-2", "CALLSERVER_HEARTBEAT_S": "0.5",
                                   "CALLSERVER_NODE_TIMEOUT_S": "3"})
    assert named == NodeSettings("edge-2", 0.5, 3.0)


@pytest.mark.parametrize(("beat", "dead"), [("5", "5"), ("0", "30"), ("10", "2")])
def test_a_heartbeat_slower_than_the_timeout_is_refused(beat: str, dead: str) -> None:
    with pytest.raises(ValueError, match="heartbeat"):
        NodeSettings.from_env({"CALLSERVER_HEARTBEAT_S": beat, "CALLSERVER_NODE_TIMEOUT_S": dead})
