"""Test calls: a real SIP call from an account on the PBX to a tracking number, which proves
the number answers (audio arrives), takes RFC 2833 digits, and is routed as the admin expects
(read back from the call's record in the store)."""
