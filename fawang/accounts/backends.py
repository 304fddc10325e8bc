"""Password sign-in with a lockout after repeated failures (counted per user name, existing or not).

Wrong passwords and wrong second-factor codes count toward the same lockout. The count is cleared only when a
sign-in is complete (password and, where required, the second factor): clearing it on the password alone would
let someone who knows the password try codes without end, a few at a time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import SignInThrottle


def throttle_key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def is_locked(username: str) -> bool:
    row = SignInThrottle.objects.filter(username=throttle_key(username)).first()
    return bool(row and row.is_locked())


def record_failure(username: str) -> bool:
    """Count one failed attempt; True when the name is now locked."""
    key = throttle_key(username)
    if not key:
        return False
    now = timezone.now()
    row, _ = SignInThrottle.objects.get_or_create(username=key)
    # A lockout that has run out starts a fresh count.
    if row.locked_until and row.locked_until <= now:
        SignInThrottle.objects.filter(pk=row.pk).update(failures=0, locked_until=None)
    # F() so that two failures arriving together both count.
    SignInThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure_at=now)
    row.refresh_from_db()
    if row.failures >= settings.LOGIN_MAX_FAILURES and not row.is_locked(now):
        row.locked_until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        row.save(update_fields=["locked_until"])
    return row.is_locked(now)


def clear_failures(username: str) -> None:
    SignInThrottle.objects.filter(username=throttle_key(username)).delete()


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get("username", "")
        if is_locked(username or ""):
            # Stops the chain: a locked name is refused even with the right password.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username or "")
        return user
