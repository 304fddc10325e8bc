"""Keeps the client address of the request being served for ``audit.record``, so that actions (which take ids
and the actor, not the request) still file where a change came from."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .actions import client_ip


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only, as everywhere else: a client-supplied X-Forwarded-For is not trusted (behind a proxy,
        # the proxy sets REMOTE_ADDR, e.g. gunicorn --forwarded-allow-ips).
        token = client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
