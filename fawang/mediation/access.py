"""One door per model: the same 404 whether a row does not exist or lies outside the units the user reaches (a
committee its own, the 司法所 those under it, the 司法局 those of its region)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

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
    return get_object_or_404(RiskWarning.objects.visible_to(user).select_related("unit", "screening"), pk=pk)
