"""Why an AMI exchange failed, as types the client can turn into one clear log line."""


class AmiError(Exception):
    """Base of every AMI failure; its message is the human-readable reason."""


class AmiProtocolError(AmiError):
    """The peer did not speak AMI (no banner, an endless line): reconnecting is the only cure."""


class AmiConnectionLost(AmiError):
    """The link went away (closed, reset, or silent past the Pong timeout)."""


class AmiNotConnected(AmiError):
    """An action was asked for while there is no logged-in link; it is not queued for later."""


class AmiLoginFailed(AmiError):
    """Asterisk refused the credentials; retried with backoff, as an admin may fix manager.conf."""
