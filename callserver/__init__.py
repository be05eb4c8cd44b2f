"""callserver: self-hosted call tracking and call control for Asterisk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("callserver")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
