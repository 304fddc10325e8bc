"""Rate limits (DRF throttles on the default cache, which every process shares: the database, or Redis when
REDIS_URL is set; counted per client address by fawang.lib.http.client_ip). Rates are in settings.REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]: ``public`` for the open endpoints per client address, ``track`` for the tracking
code endpoints (which the action limits again per number, counted in the database), ``signin`` for the citizens'
sign-in code endpoints (limited again per number and address in the database), ``citizen`` and ``staff`` per
user."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from fawang.lib.http import client_ip


class _Throttle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # Read at request time, so a changed setting (tests) takes effect without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        ident = f"u{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Request) -> str | None:
        # The one rule for the client's address (DRF's own would trust a client-supplied X-Forwarded-For).
        return client_ip(request)


class PublicThrottle(_Throttle):
    scope = "public"


class TrackThrottle(_Throttle):
    scope = "track"


class SignInThrottle(_Throttle):
    scope = "signin"


class CitizenThrottle(_Throttle):
    scope = "citizen"


class StaffThrottle(_Throttle):
    scope = "staff"
