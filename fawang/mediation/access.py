"""One door per model: the same 404 whether a row does not exist or lies outside the units the user reaches (a
committee its own, the 司法所 those under it, the 司法局 those of its region)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.shortcuts import get_object_or_404

from fawang.orgs.models import Practitioner, Unit

from .models import Agreement, Case, FollowUp, ReviewMeeting, RiskWarning, Screening

if TYPE_CHECKING:
    from fawang.accounts.models import User


def get_case_for_user(user: User, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(user).select_related("unit", "matter"), pk=pk)


def get_agreement_for_user(user: User, pk: int) -> Agreement:
    cases = Case.objects.visible_to(user).values("pk")
    return get_object_or_404(Agreement.objects.filter(case__in=cases).select_related("case__unit"), pk=pk)


def get_follow_up_for_user(user: User, pk: int) -> FollowUp:
    cases = Case.objects.visible_to(user).values("pk")
    return get_object_or_404(
        FollowUp.objects.filter(agreement__case__in=cases).select_related("agreement__case__unit"), pk=pk
    )


def get_screening_for_user(user: User, pk: int) -> Screening:
    return get_object_or_404(Screening.objects.visible_to(user).select_related("unit"), pk=pk)


def get_meeting_for_user(user: User, pk: int) -> ReviewMeeting:
    return get_object_or_404(ReviewMeeting.objects.visible_to(user).select_related("unit"), pk=pk)


def get_warning_for_user(user: User, pk: int) -> RiskWarning:
    return get_object_or_404(
        RiskWarning.objects.visible_to(user).select_related("unit", "screening", "case"), pk=pk
    )


def get_committee_for_user(user: User, pk: int) -> Unit:
    """A 人民调解委员会 (or a unit that keeps a committee's particulars) the user reaches."""
    units = Unit.objects.visible_to(user).filter(
        Q(kind=Unit.Kind.MEDIATION) | Q(mediation_profile__isnull=False)
    )
    return get_object_or_404(units.select_related("region"), pk=pk)


def get_mediator_for_user(user: User, pk: int) -> Practitioner:
    """A 人民调解员 of a unit the user reaches."""
    mediators = Practitioner.objects.visible_to(user).filter(kind=Practitioner.Kind.MEDIATOR)
    return get_object_or_404(mediators.select_related("unit"), pk=pk)
