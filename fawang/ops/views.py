"""Liveness and readiness endpoints for load balancers, systemd watchdogs and monitoring (no sign-in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .health import readiness


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches no database, so a database outage does not get processes restarted."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the site can take traffic and its background work is alive, else 503 with the reasons."""
    result = readiness()
    return JsonResponse(
        result.as_dict(), status=200 if result.ready else 503, json_dumps_params={"ensure_ascii": False}
    )
