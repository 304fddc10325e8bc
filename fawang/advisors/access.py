"""One door per model: the same 404 whether a row does not exist or lies outside the user's reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.shortcuts import get_object_or_404

from fawang.orgs.authority import reaches_everything, unit_ids_filter
from fawang.orgs.models import AdvisorAssignment

from .models import MissedDay, ServiceDay, WorkLog

if TYPE_CHECKING:
    from fawang.accounts.models import User


def assignments_visible_to(user: User) -> Q:
    """Q on AdvisorAssignment: those at rooms the user reaches, and the advisor's own."""
    if reaches_everything(user):
        return Q()  # an empty Q OR'ed with another one would narrow to that one
    q = unit_ids_filter(user, "room_id")
    if getattr(user, "is_authenticated", False):
        q |= Q(practitioner__user_id=user.pk)
    return q


def get_assignment_for_user(user: User, pk: int) -> AdvisorAssignment:
    return get_object_or_404(
        AdvisorAssignment.objects.filter(assignments_visible_to(user)).select_related(
            "practitioner__unit", "region", "room"
        ),
        pk=pk,
    )


def get_log_for_user(user: User, pk: int) -> WorkLog:
    return get_object_or_404(
        WorkLog.objects.visible_to(user).select_related("assignment__practitioner", "region", "room"), pk=pk
    )


def get_service_day_for_user(user: User, pk: int) -> ServiceDay:
    return get_object_or_404(ServiceDay.objects.visible_to(user).select_related("assignment"), pk=pk)


def get_missed_day_for_user(user: User, pk: int) -> MissedDay:
    return get_object_or_404(MissedDay.objects.visible_to(user), pk=pk)


def own_assignments(user: User) -> list[AdvisorAssignment]:
    """The current appointments of the signed-in advisor (through their practitioner record)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        AdvisorAssignment.objects.current()
        .filter(practitioner__user_id=user.pk)
        .select_related("region", "room", "practitioner")
        .order_by("region_id")
    )
