"""Keeps the client address of the request being served for ``audit.record``, so that actions (which take ids
and the actor, not the request) still file where a change came from."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fawang.lib.http import client_ip as address_of

from .actions import client_ip


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
