"""The dashboard's harness (two publishers, seeded calls) serves the security sweeps too."""

from tests.dashboard.conftest import client, dash

__all__ = ["client", "dash"]
