"""What a role may do. Where it may do it is decided by the membership's unit (``authority.py``,
docs/authority.md): a capability over a unit applies when the same membership reaches that unit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from . import authority
from .models import Membership, Unit
from .scoping import membership_rows

ALL_STAFF = frozenset(Membership.Role)

CAPABILITIES: dict[str, frozenset[str]] = {
    # Looking at the directory of regions, units, practitioners and staff.
    "orgs.view_directory": ALL_STAFF,
    # Editing a unit's public details, windows, functions and the 2FA requirement.
    "orgs.edit_unit": frozenset({Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}),
    # Adding staff, changing their roles, deactivating them.
    "orgs.manage_staff": frozenset({Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}),
    # Recording rewards and penalties (信用信息) of practitioners.
    "orgs.manage_credit": frozenset(
        {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
    ),
    # Appointing village legal advisors (一村一法律顾问).
    "orgs.manage_advisors": frozenset(
        {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
    ),
    # Reading the audit trail (操作记录) of the units one reaches: who changed what, before and after.
    "audit.view": frozenset(
        {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
    ),
    # Reading the notification outbox of one's regions and requeueing dead messages.
    "notify.view_outbox": frozenset(
        {
            Membership.Role.SUPERVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
            Membership.Role.WINDOW_CLERK,
            Membership.Role.HOTLINE_AGENT,
        }
    ),
    # 服务事项 (fawang.matters.actions), checked over the matter's current unit.
    # Front desk: take in requests at a window, on the hotline or on a home visit; take supplied materials.
    "matters.intake": frozenset(
        {
            Membership.Role.WINDOW_CLERK,
            Membership.Role.HOTLINE_AGENT,
            Membership.Role.HANDLER,
            Membership.Role.LEGAL_ADVISOR,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Back office: accept or reject, request materials, suspend/resume, complete, merge and split.
    "matters.handle": frozenset(
        {
            Membership.Role.HANDLER,
            Membership.Role.LEGAL_ADVISOR,
            Membership.Role.CORRECTIONS_OFFICER,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Assign or reassign a handler within the unit.
    "matters.assign": frozenset(
        {
            Membership.Role.HANDLER,
            Membership.Role.SUPERVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Transfer to another unit (转办).
    "matters.transfer": frozenset(
        {
            Membership.Role.WINDOW_CLERK,
            Membership.Role.HOTLINE_AGENT,
            Membership.Role.HANDLER,
            Membership.Role.SUPERVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Escalate to the supervising bureau (督办升级).
    "matters.escalate": frozenset(
        {Membership.Role.HANDLER, Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN}
    ),
    # Reopen a completed, closed, rejected or withdrawn matter.
    "matters.reopen": frozenset(
        {Membership.Role.HANDLER, Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN}
    ),
    # Internal notes and messages to the person.
    "matters.comment": ALL_STAFF,
    # Callbacks (回访), and recording a rating the person gives by phone.
    "matters.callback": frozenset(
        {Membership.Role.HOTLINE_AGENT, Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN}
    ),
    # Carrying out a rectification (整改) in one's own unit.
    "matters.rectify": frozenset(
        {
            Membership.Role.HANDLER,
            Membership.Role.SUPERVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Supervision views: overdue, escalated and badly rated matters.
    "matters.supervise": frozenset(
        {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
    ),
    # Writing, publishing and reviewing knowledge entries (办事指南、常见问题、以案释法、普法文章) of one's regions.
    "knowledge.write": frozenset(
        {
            Membership.Role.HANDLER,
            Membership.Role.LEGAL_ADVISOR,
            Membership.Role.SUPERVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Front desk (fawang.frontdesk): a service point's appointment schedule (预约排班: weekly slots, bookable
    # items, closed days and extra hours).
    "frontdesk.manage_schedule": frozenset({Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}),
    # A point's appointments of the day: check-in (签到), no-show (爽约), cancelling at the person's request.
    "frontdesk.desk": frozenset(
        {
            Membership.Role.WINDOW_CLERK,
            Membership.Role.LEGAL_ADVISOR,
            Membership.Role.UNIT_ADMIN,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
    # Reviewing prison remote-visit bookings (监所远程探视预约) before they stand.
    "frontdesk.review": frozenset(
        {Membership.Role.WINDOW_CLERK, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
    ),
    # Seeing a person's full ID number and phone (each view is written to the access log).
    "matters.view_personal_data": frozenset(
        {
            Membership.Role.WINDOW_CLERK,
            Membership.Role.HOTLINE_AGENT,
            Membership.Role.HANDLER,
            Membership.Role.LEGAL_ADVISOR,
            Membership.Role.CORRECTIONS_OFFICER,
            Membership.Role.SUPERVISOR,
            Membership.Role.SYSTEM_ADMIN,
        }
    ),
}


def add_capability(name: str, roles: frozenset[str] | set[str]) -> None:
    """A business line's own capability (``<line>.<what>``), registered from its AppConfig.ready(); where it
    applies is the same unit rule as for every other capability. Registering a name twice with other roles is an
    error."""
    roles = frozenset(roles)
    known = CAPABILITIES.get(name)
    if known is not None and known != roles:
        raise ValueError(f"capability {name!r} is registered already with other roles")
    unknown = roles - ALL_STAFF
    if unknown:
        raise ValueError(f"capability {name!r}: unknown roles {sorted(unknown)}")
    CAPABILITIES[name] = roles


def has_capability(user: Any, capability: str, unit: Unit | None = None) -> bool:
    """True when one of the user's roles grants ``capability`` where the same membership reaches ``unit``
    (if given): ``authority.has_capability``."""
    return authority.has_capability(user, capability, unit)


def require_capability(user: Any, capability: str, unit: Unit | None = None) -> None:
    if not has_capability(user, capability, unit):
        raise PermissionDenied("您的岗位无权执行此操作。")


def require_capability_in_region(user: Any, capability: str, region_code: str) -> None:
    if not authority.has_capability_in_region(user, capability, region_code):
        raise PermissionDenied("您的岗位无权执行此操作。")


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role, _unit, _region in membership_rows(user)}


def is_staff_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or membership_rows(user)))
