"""What a user may see of legal aid's records (docs/authority.md): everything hanging off a matter is seen with the
matter; an assignment also by the firm it was given to (an institution sees only what was sent to it); an
objection also by the 司法局 deciding it. Anything not seen is the same 404 as a row that does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from fawang.matters.models import Matter
from fawang.orgs.authority import unit_ids_filter

from .models import AidLawyer, Assignment, Decision, DutyShift, DutyStation, Notification, Objection, Subsidy


def _matters(user: Any) -> QuerySet[Matter]:
    return Matter.objects.visible_to(user)


def decisions_for(user: Any) -> QuerySet[Decision]:
    return Decision.objects.filter(Q(matter__in=_matters(user)) | unit_ids_filter(user, "objection_unit_id"))


def assignments_for(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(Q(matter__in=_matters(user)) | unit_ids_filter(user, "firm_id"))


def objections_for(user: Any) -> QuerySet[Objection]:
    return Objection.objects.filter(Q(decision__matter__in=_matters(user)) | unit_ids_filter(user, "unit_id"))


def roster_for(user: Any) -> QuerySet[AidLawyer]:
    return AidLawyer.objects.filter(unit_ids_filter(user, "centre_id"))


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(matter__in=_matters(user))


def stations_for(user: Any) -> QuerySet[DutyStation]:
    return DutyStation.objects.filter(unit_ids_filter(user, "centre_id"))


def shifts_for(user: Any) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(station__in=stations_for(user))


def subsidies_for(user: Any) -> QuerySet[Subsidy]:
    return Subsidy.objects.filter(assignment__in=assignments_for(user))


def get_or_404(qs: QuerySet[Any], pk: int) -> Any:
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def own_decision(user: Any, pk: int) -> Decision:
    """A member of the public's own decision notice (their matter: submitted by them or theirs as the person)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    row = (
        Decision.objects.filter(pk=pk)
        .filter(Q(matter__submitted_by=user) | Q(matter__person__user=user))
        .select_related("matter")
        .first()
    )
    if row is None:
        raise Http404
    return row
