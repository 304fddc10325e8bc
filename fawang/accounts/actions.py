"""The only writers of a user's account: second-factor binding and checks, password changes, and the back
office's account creation and edits. Every change of a credential, a right or a profile writes an audit row
(fawang.audit) in the same transaction; never the password, its hash or the TOTP secret."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.lib.validators import normalize_mobile, validate_mobile

from . import recovery, totp
from .backends import record_failure
from .models import RecoveryCode, User

# Account fields the back office (Django admin) may change through ``do_update_account``.
ACCOUNT_FIELDS = frozenset(
    {
        "display_name",
        "phone",
        "email",
        "first_name",
        "last_name",
        "kind",
        "is_active",
        "is_staff",
        "is_superuser",
    }
)
# Of those, the ones that are rights or the account's state: nobody changes their own.
RIGHTS_FIELDS = frozenset({"kind", "is_active", "is_staff", "is_superuser"})


def _person(user: User) -> User | None:
    """The audit row's person: staff accounts only (a public account is not one of the units' staff)."""
    return user if user.kind == User.Kind.STAFF else None


@transaction.atomic
def do_check_totp(user_id: int, code: str) -> bool:
    """True when ``code`` is the user's current code and has not been used before; a wrong code is counted
    toward the sign-in lockout."""
    # Locked so that two requests carrying the same code cannot both pass the "not used before" test.
    user = User.objects.select_for_update().get(pk=user_id)
    if recovery.looks_like(code):
        return _use_recovery_code(user, code)
    step = totp.matching_step(user.totp_secret, code) if user.has_totp else None
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        record_failure(user.username)
        return False
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    return True


def _use_recovery_code(user: User, code: str) -> bool:
    """A recovery code in place of the authenticator's code: it works once, and its use is audited."""
    row = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=recovery.digest(code), used_at__isnull=True)
        .first()
    )
    if row is None or not user.has_totp:
        record_failure(user.username)
        return False
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    audit.record(
        "accounts.use_recovery_code",
        actor=user,
        target=user,
        person=_person(user),
        target_name=user.username,
        note=_("剩余 %(left)d 个恢复码。") % {"left": left},
    )
    return True


@transaction.atomic
def do_new_recovery_codes(user_id: int, *, actor: User) -> list[str]:
    """Ten new recovery codes for the user (replacing any earlier ones); only their hashes are kept, so the
    caller shows them once."""
    user = User.objects.select_for_update().get(pk=user_id)
    assert actor.pk == user.pk
    RecoveryCode.objects.filter(user=user).delete()
    codes = [recovery.new_code() for _ in range(recovery.COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=recovery.digest(c)) for c in codes])
    audit.record(
        "accounts.recovery_codes", actor=actor, target=user, person=_person(user), target_name=user.username
    )
    return codes


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
    replacing = user.has_totp
    before = audit.snapshot(user, ["totp_confirmed_at"])
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    # The code just typed must not also open a sign-in.
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit.record(
        "accounts.bind_totp",
        actor=actor,
        target=user,
        person=_person(user),
        target_name=user.username,
        diff=audit.changes(before, audit.snapshot(user, ["totp_confirmed_at"])),
        note=_("更换了验证器。") if replacing else "",
    )
    return True


def _audit_password(user: User, code: str, *, actor: User, before: dict[str, Any], note: str = "") -> None:
    audit.record(
        code,
        actor=actor,
        target=user,
        person=_person(user),
        target_name=user.username,
        # Always both sides: a password set twice within a second has the same time, and is still a change.
        diff=(before, audit.snapshot(user, ["password_changed_at"])),
        note=note,
    )


@transaction.atomic
def do_change_password(user_id: int, new_password: str, *, actor: User) -> User:
    user = User.objects.select_for_update().get(pk=user_id)
    assert actor.pk == user.pk
    before = audit.snapshot(user, ["password_changed_at"])
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _audit_password(user, "accounts.change_password", actor=actor, before=before)
    return user


@transaction.atomic
def do_reset_totp(user_id: int, *, actor: User) -> User:
    """Unbind the user's authenticator (a lost or replaced phone). If one of the user's units requires the
    second factor, the next sign-in leads to binding a new one. Only a system administrator may do it: nobody
    below that level can take the second factor off an account."""
    _require_superuser(actor)
    user = User.objects.select_for_update().get(pk=user_id)
    RecoveryCode.objects.filter(user=user).delete()
    before = audit.snapshot(user, ["totp_confirmed_at"])
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    diff = audit.changes(before, audit.snapshot(user, ["totp_confirmed_at"]))
    if diff[0]:
        audit.record(
            "accounts.reset_totp",
            actor=actor,
            target=user,
            person=_person(user),
            target_name=user.username,
            diff=diff,
        )
    return user


# --- the back office (Django admin) -----------------------------------------------------------------------


def _require_superuser(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("只有系统管理员可以在系统管理后台管理账号。"))


def _clean_phone(phone: str) -> str:
    phone = normalize_mobile(phone or "")
    if phone:
        validate_mobile(phone)
    return phone


@transaction.atomic
def do_create_account(
    *,
    actor: User,
    username: str,
    password: str | None,
    kind: str = User.Kind.STAFF,
    display_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """An account made in the back office; ``password`` None makes one that cannot sign in with a password.
    Staff accounts with their first role are made in the console (fawang.orgs.actions.create_staff)."""
    _require_superuser(actor)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("用户名“%(username)s”已被使用。") % {"username": username}, code="username_taken"
        )
    user = User(
        username=username,
        kind=kind,
        display_name=display_name.strip(),
        phone=_clean_phone(phone),
        email=email.strip(),
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        # The administrator knows this password: the owner replaces it at the first sign-in.
        user.must_change_password = True
    user.save()
    audit.record(
        "accounts.create_account",
        actor=actor,
        target=user,
        person=_person(user),
        target_name=user.username,
        diff=audit.created(audit.snapshot(user, ["username", "kind", "display_name", "phone", "email"])),
    )
    return user


@transaction.atomic
def do_update_account(user_id: int, *, actor: User, **fields: Any) -> User:
    """Change an account's profile (name, phone, e-mail), kind, or state and rights (active, admin site,
    superuser) in the back office. Nobody changes their own rights or state."""
    _require_superuser(actor)
    unknown = set(fields) - ACCOUNT_FIELDS
    if unknown:
        raise TypeError(f"do_update_account() cannot change {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user_id)
    if "phone" in fields:
        fields["phone"] = _clean_phone(fields["phone"])
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    if user.pk == actor.pk and RIGHTS_FIELDS.intersection(changed):
        raise ValidationError(
            _("不能修改本人账号的类型、状态或权限，请由其他系统管理员办理。"), code="self_rights"
        )
    if not changed:
        return user
    before = audit.snapshot(user, changed)
    for name in changed:
        setattr(user, name, fields[name])
    user.save(update_fields=changed)
    diff = audit.changes(before, audit.snapshot(user, changed))
    code = "accounts.set_account_active" if changed == ["is_active"] else "accounts.update_account"
    audit.record(code, actor=actor, target=user, person=_person(user), target_name=user.username, diff=diff)
    return user


@transaction.atomic
def do_set_password(user_id: int, password: str | None, *, actor: User) -> User:
    """An administrator sets a new password for someone (a forgotten password); None turns password sign-in
    off for the account. Every other session of the account ends with the old password hash."""
    _require_superuser(actor)
    user = User.objects.select_for_update().get(pk=user_id)
    before = audit.snapshot(user, ["password_changed_at"])
    if password is None:
        user.set_unusable_password()
        note = _("已停用密码登录。")
    else:
        validate_password(password, user)
        user.set_password(password)
        note = ""
    user.password_changed_at = timezone.now()
    # A password an administrator set is changed by its owner at the next sign-in.
    user.must_change_password = password is not None
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _audit_password(user, "accounts.reset_password", actor=actor, before=before, note=note)
    return user
