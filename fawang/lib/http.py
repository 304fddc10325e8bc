"""The client's address, one rule for every page, API endpoint and limit that records or counts it.

REMOTE_ADDR only: a client-supplied X-Forwarded-For would let anyone dodge a per-address limit or write any
address into the access log. Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn
--forwarded-allow-ips); a rule for trusted proxies belongs here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class _Request(Protocol):
    """A Django request or a DRF one: both carry ``META``."""

    @property
    def META(self) -> Mapping[str, Any]: ...


def client_ip(request: _Request) -> str | None:
    """The address the request came from, or None when the server did not say."""
    return request.META.get("REMOTE_ADDR") or None
