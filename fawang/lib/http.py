"""The client's address, one rule for every page, API endpoint and limit that records or counts it.

The address is REMOTE_ADDR, the peer that opened the connection, unless that peer is one of TRUSTED_PROXIES
(settings: addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``; empty by default). Then X-Forwarded-For is read
from the right: each hop a trusted proxy added is skipped, and the first address no trusted proxy vouches for is
the client's. A client-supplied X-Forwarded-For from an untrusted peer is never read, so nobody dodges a
per-address limit or writes any address into the logs by sending the header; and behind the site's own reverse
proxy every citizen no longer shares the proxy's address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class _Request(Protocol):
    """A Django request or a DRF one: both carry ``META``."""

    @property
    def META(self) -> Mapping[str, Any]: ...


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_proxies() -> tuple[Network, ...]:
    value: str | Iterable[str] = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    items = value.split(",") if isinstance(value, str) else value
    return _networks(tuple(item.strip() for item in items if item.strip()))


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51000"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_ip(request: _Request) -> str | None:
    """The address the request came from (see the module docstring), or None when the server did not say."""
    peer = request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxies()
    if peer is None or not networks:
        return peer
    current = _address(peer)
    if current is None or not any(current in n for n in networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            # Garbage in the chain: the last hop a trusted proxy vouched for is as far as we can believe.
            break
        current = address
        if not any(current in n for n in networks):
            break
    return str(current)
