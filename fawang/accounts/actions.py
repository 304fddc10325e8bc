"""The only writers of a user's credentials: second-factor binding and checks, password changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import totp
from .backends import record_failure
from .models import User


@transaction.atomic
def do_check_totp(user_id: int, code: str) -> bool:
    """True when ``code`` is the user's current code and has not been used before; a wrong code is counted
    toward the sign-in lockout."""
    # Locked so that two requests carrying the same code cannot both pass the "not used before" test.
    user = User.objects.select_for_update().get(pk=user_id)
    step = totp.matching_step(user.totp_secret, code) if user.has_totp else None
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        record_failure(user.username)
        return False
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    return True


@transaction.atomic
def do_bind_totp(user_id: int, secret: str, code: str, *, actor: User) -> bool:
    """Bind a new authenticator once the user proves it works by entering its current code.

    Returns False (and changes nothing) when the code does not match ``secret``. Binding replaces any earlier
    device. ``actor`` is the user themself: nobody binds a device for someone else.
    """
    user = User.objects.select_for_update().get(pk=user_id)
    assert actor.pk == user.pk
    step = totp.matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    # The code just typed must not also open a sign-in.
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return True


@transaction.atomic
def do_change_password(user_id: int, new_password: str, *, actor: User) -> User:
    user = User.objects.select_for_update().get(pk=user_id)
    assert actor.pk == user.pk
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    return user


@transaction.atomic
def do_reset_totp(user_id: int, *, actor: User) -> User:
    """Unbind the user's authenticator (a lost or replaced phone). If one of the user's units requires the
    second factor, the next sign-in leads to binding a new one."""
    user = User.objects.select_for_update().get(pk=user_id)
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return user
