"""Who sees resettlement cases: as for correction files (fawang.corrections.access), the corrections staff of the
responsible 司法所 and the supervisors of the 司法局 above it; other staff whose unit reaches the 司法所 get 403,
everyone else 404. A prison sees only what it sent, through the answer to its own notice."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from fawang.orgs import authority
from fawang.orgs.models import Unit
from fawang.orgs.roles import CAPABILITIES, has_capability
from fawang.orgs.scoping import active_memberships

from .models import HelpFile, ReleaseNotice

VIEW = "resettlement.view"
WORK = "resettlement.work"
NOTIFY = "resettlement.notify"
DENIED = "您的岗位无权执行此操作。"


def offices_q(user: Any, field: str = "office_id", capability: str = VIEW) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for m in active_memberships(user):
        if m.role in CAPABILITIES[capability]:
            q |= authority.membership_reach(m).unit_ids_q(field)
    return q


def _check(user: Any, office: Unit) -> None:
    if not has_capability(user, VIEW, office):
        raise PermissionDenied(DENIED)


def get_notice_for_user(user: Any, pk: int) -> ReleaseNotice:
    notice = (
        ReleaseNotice.objects.filter(authority.unit_ids_filter(user, "office_id"), pk=pk)
        .select_related("office", "prison", "residence")
        .first()
    )
    if notice is None:
        raise Http404
    _check(user, notice.office)
    return notice


def get_file_for_user(user: Any, pk: int) -> HelpFile:
    file = (
        HelpFile.objects.filter(authority.unit_ids_filter(user, "office_id"), pk=pk)
        .select_related("office")
        .first()
    )
    if file is None:
        raise Http404
    _check(user, file.office)
    return file


def require_work(user: Any, office: Unit) -> None:
    if not has_capability(user, WORK, office):
        raise PermissionDenied(DENIED)


def prison_of(user: Any) -> Unit | None:
    """The prison or detention centre the user sends notices for (their first such membership)."""
    for m in active_memberships(user):
        if m.unit.kind == Unit.Kind.PRISON and m.role in CAPABILITIES[NOTIFY]:
            return m.unit
    return None
