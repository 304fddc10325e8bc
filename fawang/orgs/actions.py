"""The only writers of units, windows, credit records, advisor assignments and staff memberships.

Every action takes ids and the acting user. It fetches rows through the access helpers, so a row outside the
actor's regions is the same 404 as a missing one, then checks the role capability over the unit concerned
(403). Business rules that a user can fix are raised as ValidationError with a Chinese message. Every change
writes one audit row (fawang.audit) in the same transaction; a call that changes nothing writes none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.audit import actions as audit
from fawang.lib.validators import normalize_mobile, validate_mobile, validate_phone
from fawang.regions.models import Region

from . import authority
from .access import (
    get_membership_for_user,
    get_practitioner_for_user,
    get_region_for_user,
    get_staff_for_user,
    get_unit_for_user,
    get_window_for_user,
)
from .models import (
    AdvisorAssignment,
    CreditRecord,
    Function,
    Membership,
    Practitioner,
    Unit,
    Window,
)
from .roles import require_capability, require_capability_in_region
from .scoping import active_memberships

# Fields of a unit that its administrators may change from the console. Name, kind, region and parent
# shape scoping and routing, so they stay with the system administrators (Django admin).
UNIT_EDITABLE = frozenset({"address", "phone", "opening_hours", "description", "require_2fa", "functions"})

# Who may serve as a village legal advisor (一村一法律顾问): lawyers, grassroots legal service workers and
# practitioners registered as village advisors.
ADVISOR_KINDS = frozenset(
    {Practitioner.Kind.LAWYER, Practitioner.Kind.GRASSROOTS_WORKER, Practitioner.Kind.VILLAGE_ADVISOR}
)

# The system administrator role carries every region and Django admin access; it is granted in the system
# administration back office only, never from a unit's staff page.
GRANTABLE_ROLES = tuple(r for r in Membership.Role if r != Membership.Role.SYSTEM_ADMIN)

# What the audit trail keeps of each kind of row (fawang.audit: only the fields that change are stored).
CREDIT_AUDITED = ("kind", "title", "authority", "decided_on", "detail", "is_public")
ADVISOR_AUDITED = ("practitioner", "started_on", "service_schedule", "room")


def _locked_unit(actor: User, unit_id: int) -> Unit:
    """The unit, visible to ``actor`` (else 404), locked for the rest of the transaction."""
    get_unit_for_user(actor, unit_id)
    return Unit.objects.select_for_update().get(pk=unit_id)


# --- units and windows ------------------------------------------------------------------------------------


@transaction.atomic
def update_unit(unit_id: int, *, actor: User, **fields: Any) -> Unit:
    """Change a unit's public details; ``functions`` is an iterable of Function objects or ids."""
    unknown = set(fields) - UNIT_EDITABLE
    if unknown:
        raise TypeError(f"update_unit() cannot change {sorted(unknown)}")
    unit = _locked_unit(actor, unit_id)
    require_capability(actor, "orgs.edit_unit", unit)
    if fields.get("phone"):
        fields["phone"] = "".join(str(fields["phone"]).split())
        validate_phone(fields["phone"])
    _apply_unit_fields(unit, fields, actor=actor)
    return unit


def _apply_unit_fields(unit: Unit, fields: dict[str, Any], *, actor: User) -> None:
    """Set ``fields`` (``functions``: Function objects or ids) on a saved unit and audit what changed."""
    functions: Iterable[Function | int] | None = fields.pop("functions", None)
    watched = [*fields, *(["functions"] if functions is not None else [])]
    before = audit.snapshot(unit, watched)
    for name, value in fields.items():
        setattr(unit, name, value)
    if fields:
        unit.save(update_fields=[*fields, "updated_at"])
    if functions is not None:
        unit.functions.set(list(functions))
    diff = audit.changes(before, audit.snapshot(unit, watched))
    if diff[1]:
        audit.record("orgs.update_unit", actor=actor, target=unit, unit=unit, diff=diff)


@transaction.atomic
def add_window(unit_id: int, *, actor: User, kind: str, number: int, name: str = "") -> Window:
    unit = _locked_unit(actor, unit_id)
    require_capability(actor, "orgs.edit_unit", unit)
    if not unit.is_service_point:
        raise ValidationError(
            _("只有公共法律服务中心、工作站和工作室可以设置窗口岗位。"), code="not_service_point"
        )
    if kind not in Window.Kind.values:
        raise ValidationError(_("请选择正确的岗位类型。"), code="invalid_kind")
    if number < 1:
        raise ValidationError(_("窗口号应为正整数。"), code="invalid_number")
    # The unit row is locked, so two admins adding the same number cannot both pass this check.
    if Window.objects.filter(unit=unit, number=number).exists():
        raise ValidationError(
            _("%(number)s 号窗口已存在，请换一个窗口号。") % {"number": number}, code="duplicate"
        )
    window = Window.objects.create(unit=unit, kind=kind, number=number, name=name.strip())
    audit.record(
        "orgs.add_window",
        actor=actor,
        target=window,
        unit=unit,
        diff=audit.created(audit.snapshot(window, ["number", "kind", "name", "is_active"])),
    )
    return window


@transaction.atomic
def set_window_active(window_id: int, *, actor: User, active: bool) -> Window:
    window = get_window_for_user(actor, window_id)
    require_capability(actor, "orgs.edit_unit", window.unit)
    window = Window.objects.select_for_update(of=("self",)).select_related("unit").get(pk=window.pk)
    if window.is_active != active:
        Window.objects.filter(pk=window.pk).update(is_active=active)
        window.is_active = active
        audit.record(
            "orgs.set_window_active",
            actor=actor,
            target=window,
            unit=window.unit,
            diff=({"is_active": not active}, {"is_active": active}),
        )
    return window


# --- practitioners ----------------------------------------------------------------------------------------


def require_credit_authority(actor: User, unit: Unit | None) -> None:
    """Credit records are decisions of 司法行政机关 (and the bar associations they supervise): the actor must hold
    ``orgs.manage_credit`` through a membership at a 司法局 whose region covers ``unit`` (or be a system
    administrator; docs/authority.md). A law firm's own administrator records nothing on anyone's credit file,
    and nobody records on the file of a unit they work in."""
    if authority.reaches_everything(actor):
        return
    if unit is not None and any(m.unit_id == unit.pk for m in active_memberships(actor)):
        raise PermissionDenied(_("不能为本单位录入信用记录。"))
    if unit is None or not authority.may_record_credit(actor, unit):
        raise PermissionDenied(_("信用记录由司法行政机关录入：请由主管司法局的工作人员办理。"))


def _credit_fields(kind: str, title: str, authority: str, decided_on: dt.date, detail: str) -> dict[str, Any]:
    if kind not in CreditRecord.Kind.values:
        raise ValidationError(_("请选择正确的记录类型。"), code="invalid_kind")
    if not title.strip() or not authority.strip():
        raise ValidationError(_("事由和决定机关不能为空。"), code="required")
    if decided_on > timezone.localdate():
        raise ValidationError(_("决定日期不能晚于今天。"), code="future_date")
    return {
        "kind": kind,
        "title": title.strip(),
        "authority": authority.strip(),
        "decided_on": decided_on,
        "detail": detail.strip(),
    }


@transaction.atomic
def record_credit(
    practitioner_id: int,
    *,
    actor: User,
    kind: str,
    title: str,
    authority: str,
    decided_on: dt.date,
    detail: str = "",
    is_public: bool = True,
) -> CreditRecord:
    """Add a reward or penalty to a practitioner's credit file (信用信息)."""
    practitioner = get_practitioner_for_user(actor, practitioner_id)
    require_credit_authority(actor, practitioner.unit)
    record = CreditRecord.objects.create(
        practitioner=practitioner,
        is_public=is_public,
        recorded_by=actor,
        **_credit_fields(kind, title, authority, decided_on, detail),
    )
    _audit_credit(record, actor=actor, holder=practitioner.name, unit=practitioner.unit)
    return record


def _audit_credit(record: CreditRecord, *, actor: User, holder: str, unit: Unit | None) -> None:
    audit.record(
        "orgs.record_credit",
        actor=actor,
        target=record,
        unit=unit,
        target_name=f"{holder}：{record.title}",
        diff=audit.created(audit.snapshot(record, CREDIT_AUDITED)),
    )


@transaction.atomic
def record_unit_credit(
    unit_id: int,
    *,
    actor: User,
    kind: str,
    title: str,
    authority: str,
    decided_on: dt.date,
    detail: str = "",
    is_public: bool = True,
) -> CreditRecord:
    """Add a reward or penalty to a unit's credit file: a law firm's 行政处罚, a notary office's 表彰."""
    unit = get_unit_for_user(actor, unit_id)
    require_credit_authority(actor, unit)
    if not unit.has_credit_file:
        raise ValidationError(
            _(
                "%(kind)s不设信用记录：信用记录适用于律师事务所、公证处、司法鉴定机构、基层法律服务所等服务机构。"
            )
            % {"kind": unit.get_kind_display()},
            code="no_credit_file",
        )
    record = CreditRecord.objects.create(
        unit=unit,
        is_public=is_public,
        recorded_by=actor,
        **_credit_fields(kind, title, authority, decided_on, detail),
    )
    _audit_credit(record, actor=actor, holder=unit.name, unit=unit)
    return record


def _require_over_region(actor: User, capability: str, region_code: str) -> None:
    require_capability_in_region(actor, capability, region_code)


@transaction.atomic
def appoint_advisor(
    region_code: str, practitioner_id: int, *, actor: User, started_on: dt.date, schedule: str = ""
) -> AdvisorAssignment:
    """Appoint (or replace) the legal advisor of one village or community: the current assignment ends on
    the day the new one starts, and both rows are written in this one transaction."""
    village = get_region_for_user(actor, region_code)
    if village.level != Region.Level.VILLAGE:
        raise Http404
    _require_over_region(actor, "orgs.manage_advisors", village.code)
    practitioner = get_practitioner_for_user(actor, practitioner_id)
    if practitioner.kind not in ADVISOR_KINDS:
        raise ValidationError(_("村居法律顾问应为律师或基层法律服务工作者。"), code="invalid_kind")
    if practitioner.licence_status != Practitioner.LicenceStatus.PRACTISING:
        raise ValidationError(_("该人员不在正常执业状态，不能聘任为法律顾问。"), code="not_practising")
    # Lock the village's current row so two appointments at once cannot both end it.
    current = AdvisorAssignment.objects.select_for_update().current().filter(region=village).first()
    before = audit.snapshot(current, ADVISOR_AUDITED) if current is not None else {}
    if current is not None:
        if current.practitioner_id == practitioner.pk:
            raise ValidationError(_("该人员已是本村（社区）的法律顾问。"), code="same_advisor")
        if started_on < current.started_on:
            raise ValidationError(
                _("聘任日期不能早于现任顾问的聘任日期（%(date)s）。")
                % {"date": current.started_on.isoformat()},
                code="before_current",
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    room = Unit.objects.filter(region=village, kind=Unit.Kind.ROOM, is_active=True).order_by("pk").first()
    assignment = AdvisorAssignment.objects.create(
        practitioner=practitioner,
        region=village,
        room=room,
        started_on=started_on,
        service_schedule=schedule.strip(),
    )
    note = ""
    if current is not None:
        note = _("原法律顾问%(name)s于%(date)s解聘。") % {
            "name": current.practitioner.name,
            "date": started_on.isoformat(),
        }
    audit.record(
        "orgs.appoint_advisor",
        actor=actor,
        target=assignment,
        unit=room,
        region=village,
        target_name=f"{village.full_name or village.name}：{practitioner.name}",
        diff=audit.changes(before, audit.snapshot(assignment, ADVISOR_AUDITED)),
        note=note,
    )
    return assignment


# --- staff ------------------------------------------------------------------------------------------------


def _check_grantable(role: str) -> None:
    if role == Membership.Role.SYSTEM_ADMIN:
        raise ValidationError(_("系统管理员角色只能在系统管理后台授予。"), code="system_admin")
    if role not in Membership.Role.values:
        raise ValidationError(_("请选择正确的角色。"), code="invalid_role")


@transaction.atomic
def create_staff(
    unit_id: int,
    *,
    actor: User,
    username: str,
    display_name: str,
    phone: str,
    password: str,
    role: str,
    title: str = "",
) -> User:
    """Create a staff account with its first role in one unit. The password is checked by Django's
    password validators; the caller shows it once and never stores it."""
    unit = _locked_unit(actor, unit_id)
    require_capability(actor, "orgs.manage_staff", unit)
    _check_grantable(role)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("用户名“%(username)s”已被使用。") % {"username": username}, code="username_taken"
        )
    phone = normalize_mobile(phone)
    if phone:
        validate_mobile(phone)
    # The unit administrator knows this password: the new colleague replaces it at the first sign-in.
    user = User(
        username=username,
        display_name=display_name.strip(),
        phone=phone,
        kind=User.Kind.STAFF,
        must_change_password=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, unit=unit, role=role, title=title.strip())
    audit.record(
        "orgs.create_staff",
        actor=actor,
        target=user,
        unit=unit,
        person=user,
        target_name=user.username,
        diff=audit.created(
            {
                **audit.snapshot(user, ["username", "display_name", "phone"]),
                **audit.snapshot(membership, ["unit", "role", "title"]),
            }
        ),
    )
    return user


@transaction.atomic
def grant_role(user_id: int, unit_id: int, role: str, *, actor: User, title: str = "") -> Membership:
    """Give a staff user (visible to the actor) a role in a unit the actor administers."""
    staff = get_staff_for_user(actor, user_id)
    unit = _locked_unit(actor, unit_id)
    require_capability(actor, "orgs.manage_staff", unit)
    _check_grantable(role)
    if staff.pk == actor.pk:
        # Nobody raises their own rights (docs/authority.md), not even within their own unit.
        raise ValidationError(_("不能为本人授予角色，请由其他管理员办理。"), code="self_grant")
    if staff.kind != User.Kind.STAFF:
        raise ValidationError(_("只能为工作人员账号授予岗位角色。"), code="not_staff")
    return _create_membership(staff, unit, role, actor=actor, title=title)


def _create_membership(staff: User, unit: Unit, role: str, *, actor: User, title: str) -> Membership:
    """A new membership, audited. A role held before and revoked is granted as a new row: the ended one stays
    as history (the unique constraint covers memberships not ended)."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=staff, unit=unit, role=role, title=title.strip())
    except IntegrityError:
        raise ValidationError(
            _("该工作人员在%(unit)s已有“%(role)s”角色。")
            % {"unit": unit.name, "role": Membership.Role(role).label},
            code="duplicate",
        ) from None
    audit.record(
        "orgs.grant_role",
        actor=actor,
        target=membership,
        unit=unit,
        person=staff,
        diff=audit.created(audit.snapshot(membership, ["role", "title"])),
    )
    return membership


def _managed_membership(actor: User, membership_id: int) -> Membership:
    membership = get_membership_for_user(actor, membership_id)
    require_capability(actor, "orgs.manage_staff", membership.unit)
    if membership.role == Membership.Role.SYSTEM_ADMIN:
        raise ValidationError(_("系统管理员角色只能在系统管理后台调整。"), code="system_admin")
    # Nobody changes their own memberships (docs/authority.md): an administrator who removed their own admin
    # role could not undo it, and one who changed another of their roles would be deciding their own rights.
    if membership.user_id == actor.pk:
        raise ValidationError(_("不能调整您本人的角色，请由其他管理员办理。"), code="self_lockout")
    return _locked_current_membership(membership.pk)


def _locked_current_membership(membership_id: int) -> Membership:
    """The membership locked for the transaction; an ended one is refused (it is history)."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "unit")
        .get(pk=membership_id)
    )
    if membership.ended_at is not None:
        raise ValidationError(
            _("该角色已于%(date)s撤销，不能再调整；如需恢复，请重新授予角色。")
            % {"date": timezone.localtime(membership.ended_at).strftime("%Y-%m-%d %H:%M")},
            code="ended",
        )
    return membership


@transaction.atomic
def revoke_role(membership_id: int, *, actor: User) -> Membership:
    """End a role (a role given by mistake, or a staff member who left): the membership is kept, inactive, with
    who ended it and when, and never counts again. A pause is ``set_membership_active``."""
    return _end_membership(_managed_membership(actor, membership_id), actor=actor)


def _end_membership(membership: Membership, *, actor: User) -> Membership:
    audited = ["is_active", "ended_at", "ended_by"]
    before = audit.snapshot(membership, audited)
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.ended_by = actor
    membership.save(update_fields=["is_active", "ended_at", "ended_by"])
    audit.record(
        "orgs.revoke_role",
        actor=actor,
        target=membership,
        unit=membership.unit,
        person=membership.user,
        diff=audit.changes(before, audit.snapshot(membership, audited)),
    )
    return membership


@transaction.atomic
def set_membership_active(membership_id: int, *, actor: User, active: bool) -> Membership:
    membership = _managed_membership(actor, membership_id)
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        audit.record(
            "orgs.set_membership_active",
            actor=actor,
            target=membership,
            unit=membership.unit,
            person=membership.user,
            diff=({"is_active": not active}, {"is_active": active}),
        )
    return membership


# --- the back office (Django admin) -----------------------------------------------------------------------
# System administrators keep there what the console does not offer: creating units and changing what shapes
# scoping and routing (name, kind, region, parent), and the system administrator role. The admin's forms call
# these, so each change is audited like the console's.

UNIT_BACK_OFFICE = UNIT_EDITABLE | {
    "name",
    "short_name",
    "kind",
    "region",
    "parent",
    "hotline_number",
    "is_active",
}


def is_system_admin(actor: User) -> bool:
    return bool(
        actor.is_authenticated
        and actor.is_active
        and (
            actor.is_superuser
            or any(m.role == Membership.Role.SYSTEM_ADMIN for m in active_memberships(actor))
        )
    )


def _require_system_admin(actor: User) -> None:
    if not is_system_admin(actor):
        raise PermissionDenied(_("只有系统管理员可以在系统管理后台办理。"))


@transaction.atomic
def save_unit(unit_id: int | None, *, actor: User, **fields: Any) -> Unit:
    """Create (``unit_id`` None) or change a unit in the back office; ``functions`` as in ``update_unit``."""
    _require_system_admin(actor)
    unknown = set(fields) - UNIT_BACK_OFFICE
    if unknown:
        raise TypeError(f"save_unit() cannot change {sorted(unknown)}")
    if unit_id is not None:
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        _apply_unit_fields(unit, fields, actor=actor)
        return unit
    functions: Iterable[Function | int] | None = fields.pop("functions", None)
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    if functions is not None:
        unit.functions.set(list(functions))
    audited = [*fields, *(["functions"] if functions is not None else [])]
    audit.record(
        "orgs.create_unit",
        actor=actor,
        target=unit,
        unit=unit,
        diff=audit.created(audit.snapshot(unit, audited)),
    )
    return unit


@transaction.atomic
def grant_in_back_office(
    user_id: int, unit_id: int, role: str, *, actor: User, title: str = ""
) -> Membership:
    """Grant any role, the system administrator's included, in the back office (never to oneself)."""
    _require_system_admin(actor)
    if role not in Membership.Role.values:
        raise ValidationError(_("请选择正确的角色。"), code="invalid_role")
    staff = User.objects.get(pk=user_id)
    if staff.kind != User.Kind.STAFF:
        raise ValidationError(_("只能为工作人员账号授予岗位角色。"), code="not_staff")
    if staff.pk == actor.pk:
        raise ValidationError(_("不能为本人授予角色，请由其他系统管理员办理。"), code="self_grant")
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    return _create_membership(staff, unit, role, actor=actor, title=title)


@transaction.atomic
def revoke_in_back_office(membership_id: int, *, actor: User) -> Membership:
    """End any membership, the system administrator's included, in the back office (never one's own)."""
    _require_system_admin(actor)
    membership = _locked_current_membership(membership_id)
    if membership.user_id == actor.pk:
        raise ValidationError(_("不能撤销本人的角色，请由其他系统管理员办理。"), code="self_lockout")
    return _end_membership(membership, actor=actor)


PRACTITIONER_BACK_OFFICE = frozenset(
    {
        "name",
        "gender",
        "kind",
        "licence_no",
        "licence_status",
        "licensed_on",
        "unit",
        "user",
        "phone",
        "specialities",
        "is_public",
    }
)


@transaction.atomic
def save_practitioner(practitioner_id: int | None, *, actor: User, **fields: Any) -> Practitioner:
    """Register (``practitioner_id`` None) or change a practitioner of the directory in the back office;
    ``specialities`` is an iterable of Speciality objects or ids."""
    _require_system_admin(actor)
    unknown = set(fields) - PRACTITIONER_BACK_OFFICE
    if unknown:
        raise TypeError(f"save_practitioner() cannot change {sorted(unknown)}")
    specialities = fields.pop("specialities", None)
    watched = [*fields, *(["specialities"] if specialities is not None else [])]
    if practitioner_id is None:
        practitioner = Practitioner(**fields)
        practitioner.full_clean()
        practitioner.save()
        before: dict[str, Any] = {}
    else:
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner_id)
        before = audit.snapshot(practitioner, watched)
        for name, value in fields.items():
            setattr(practitioner, name, value)
        if fields:
            practitioner.save(update_fields=list(fields))
    if specialities is not None:
        practitioner.specialities.set(list(specialities))
    after = audit.snapshot(practitioner, watched)
    if practitioner_id is None:
        code, diff = "orgs.create_practitioner", audit.created(after)
    else:
        code, diff = "orgs.update_practitioner", audit.changes(before, after)
    if diff[1] or practitioner_id is None:
        audit.record(code, actor=actor, target=practitioner, unit=practitioner.unit_id, diff=diff)
    return practitioner
