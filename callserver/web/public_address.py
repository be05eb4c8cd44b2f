"""Whether an address is one the snippet test may fetch from: public, and so is any IPv4
address an IPv6 one carries (mapped, 6to4, NAT64, IPv4-compatible), since a gateway or the
kernel may reach that one instead: `[64:ff9b::7f00:1]` is 127.0.0.1 through a NAT64 gateway,
though Python calls it global."""

from __future__ import annotations

import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_EMBEDDING = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"),
              ipaddress.ip_network("::/96"))


def is_public(host: str) -> bool:
    """False for an address literal that is not public; True for a name, which is checked
    when it is resolved for the connection itself."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return True
    return _global(address)


def _global(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        inside = address.ipv4_mapped or address.sixtofour or next(
            (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
             for network in _EMBEDDING if address in network), None)
        if inside is not None and not _global(inside):
            return False
    return address.is_global and not address.is_multicast
