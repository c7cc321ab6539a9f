"""The client's address: the one place that decides whether to believe a proxy.

Behind a reverse proxy every request comes from the proxy's address, so login throttling and
the audit trail would see one client. ``PONLEU_TRUSTED_PROXIES`` lists the proxies (addresses
or networks); only a request whose peer is one of them has its ``X-Forwarded-For`` read, and
then from the right: each proxy appends the address it received the request from, so the
right-most hop that is not a trusted proxy is the client. Everything to its left was written
by the client and is ignored. Without the setting the peer address is the client, whatever
the headers say.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Headers a proxy sets about the original request. From anyone but a trusted proxy they are
# the client's own claims (that it used HTTPS, that it came from elsewhere) and are dropped.
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_BY",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PONLEU_TRUSTED_PROXIES", ()) or ()))


def parse_address(value: str) -> Address | None:
    """An address as a proxy or the WSGI server writes it (a bare address, or with a port)."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket counts as the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def peer_is_trusted_proxy(request) -> bool:
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    networks = trusted_networks()
    return peer is not None and bool(networks) and _trusted(peer, networks)


def client_ip(request) -> str | None:
    """The address of the client that sent ``request``, as a canonical string (or None)."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # Not an address: nothing to its left can be trusted either, so the client is
            # the last hop a trusted proxy vouched for.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


class ForwardingHeadersMiddleware:
    """Drops the forwarding headers of a request that did not come through a trusted proxy.

    Django reads ``X-Forwarded-Proto`` for ``request.is_secure()`` when
    ``PONLEU_BEHIND_PROXY`` is on; a client reaching Ponleu directly must not be able to
    claim HTTPS (or another address) by sending the header itself. First in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not peer_is_trusted_proxy(request):
            for header in FORWARDING_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
