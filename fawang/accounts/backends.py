"""Password sign-in with a lockout after repeated failures, counted per user name (existing or not) *and*
client address (``fawang.lib.http.client_ip``, the one address rule).

Keying on the address as well means a stranger typing wrong passwords for someone else's name locks only
themself out: the owner, signing in from their own address, is not affected. Delays grow: the first
``LOGIN_MAX_FAILURES - 1`` failures cost nothing, then each further failure locks that name at that address
for one minute, two, four... up to ``LOGIN_LOCKOUT_MINUTES``. A locked pair is refused before the password is
hashed, so a flood of attempts costs a database look-up each, not a 100 MiB Argon2 hash.

Wrong passwords and wrong second-factor codes count toward the same lockout. The count is cleared only when a
sign-in is complete (password and, where required, the second factor): clearing it on the password alone would
let someone who knows the password try codes without end, a few at a time.

Every lock, and every unlock (the lock ran out and the next attempt came, a complete sign-in after a lock, or
an administrator), is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.lib.http import client_ip

from .models import SignInThrottle, User


def _address(request: HttpRequest | None) -> str:
    if request is not None:
        return client_ip(request) or "-"
    # Actions called without the request (the second-factor check) use the address AuditMiddleware saw.
    return audit.client_ip.get() or "-"


def throttle_key(username: str, request: HttpRequest | None = None) -> str:
    name = (username or "").strip().lower()[:150]
    return f"{name}|{_address(request)}" if name else ""


def _name(key: str) -> str:
    return key.rsplit("|", 1)[0]


def lock_seconds(failures: int) -> int:
    """How long a name stays locked at an address after its ``failures``-th failure in a row."""
    over = failures - settings.LOGIN_MAX_FAILURES
    if over < 0:
        return 0
    return int(min(60 * 2 ** min(over, 20), settings.LOGIN_LOCKOUT_MINUTES * 60))


def is_locked(username: str, request: HttpRequest | None = None) -> bool:
    key = throttle_key(username, request)
    row = SignInThrottle.objects.filter(username=key).first() if key else None
    return bool(row and row.is_locked())


def _audit(code: str, row: SignInThrottle, *, actor: Any = None, note: str = "") -> None:
    name, address = _name(row.username), row.username.rsplit("|", 1)[-1]
    person = User.objects.filter(username__iexact=name, kind=User.Kind.STAFF).first()
    audit.record(
        code,
        actor=actor,
        target=row,
        person=person,
        target_name=name,
        diff=(
            {},
            {
                "failures": row.failures,
                "locked_until": row.locked_until.isoformat() if row.locked_until else None,
            },
        ),
        note=note,
        ip=None if address == "-" else address,
    )


@transaction.atomic
def record_failure(username: str, request: HttpRequest | None = None) -> bool:
    """Count one failed attempt; True when the name is now locked at this address."""
    key = throttle_key(username, request)
    if not key:
        return False
    now = timezone.now()
    row, _created = SignInThrottle.objects.select_for_update().get_or_create(username=key)
    if row.locked_until and row.locked_until <= now:
        # The lock ran out: the next failure counts on from where it was, so the next delay is longer; only
        # the lock itself is lifted (and that is recorded).
        row.locked_until = None
        row.save(update_fields=["locked_until"])
        _audit("accounts.sign_in_unlocked", row, note=_("锁定期满。"))
    # F() so that two failures arriving together both count.
    SignInThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure_at=now)
    row.refresh_from_db()
    seconds = lock_seconds(row.failures)
    if seconds and not row.is_locked(now):
        row.locked_until = now + dt.timedelta(seconds=seconds)
        row.save(update_fields=["locked_until"])
        _audit("accounts.sign_in_locked", row)
    return row.is_locked(now)


@transaction.atomic
def clear_failures(username: str, request: HttpRequest | None = None) -> None:
    """A complete sign-in: the count for this name at this address starts again."""
    key = throttle_key(username, request)
    row = SignInThrottle.objects.select_for_update().filter(username=key).first() if key else None
    if row is None:
        return
    if row.locked_until is not None:
        _audit("accounts.sign_in_unlocked", row, note=_("锁定期满后登录成功。"))
    row.delete()


@transaction.atomic
def do_unlock(row_id: int, *, actor: User) -> None:
    """A system administrator lifts a lock (someone locked out at the same address as a stranger)."""
    if not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("只有系统管理员可以解除登录锁定。"))
    row = SignInThrottle.objects.select_for_update().filter(pk=row_id).first()
    if row is None:
        return
    _audit("accounts.sign_in_unlocked", row, actor=actor, note=_("管理员解除锁定。"))
    row.delete()


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
        if is_locked(username or "", request):
            # Refused before the password is hashed, and it stops the chain: a locked name is refused even
            # with the right password.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username or "", request)
        return user
