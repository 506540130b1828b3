"""Is a base URL on this computer? Decided with ``ipaddress``, never by how the name is spelled."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The one name taken as local: it is resolved (the hosts file), and every address it resolves
# to must be loopback. Any other name is refused even if it resolves to 127.0.0.1 today: DNS can
# answer differently when the request connects a moment later (DNS rebinding).
LOCALHOST = "localhost"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _literal(host: str) -> IPAddress | None:
    """The address ``host`` is written as, in the strict dotted or colon form only.

    ``0x7f.1``, ``127.1``, ``2130706433`` and ``0177.0.0.1`` are not addresses here, though
    inet_aton reads them as 127.0.0.1: what is not plainly loopback is not trusted.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_loopback_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_loopback_host(host: str) -> bool:
    """True for a literal loopback address (127.0.0.0/8, ::1) or ``localhost`` resolving only
    to loopback addresses."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    address = _literal(host.split("%", 1)[0])  # an IPv6 zone (%lo) does not change the address
    if address is not None:
        return _is_loopback_address(address)
    if host != LOCALHOST:
        return False
    import socket  # only to resolve a name: the window starts without the socket module

    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    resolved = [_literal(str(info[4][0]).split("%", 1)[0]) for info in infos]
    return bool(resolved) and all(a is not None and _is_loopback_address(a) for a in resolved)


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is this computer (see ``is_loopback_host``)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return bool(host) and is_loopback_host(host or "")
