"""One door per scoped model: the same 404 whether a row does not exist or lies outside the user's reach
(docs/authority.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from fawang.regions.models import Region

from .models import AdvisorAssignment, Membership, Practitioner, Unit, Window

if TYPE_CHECKING:
    from fawang.accounts.models import User


def get_region_for_user(user: User, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(user), code=code)


def get_unit_for_user(user: User, pk: int) -> Unit:
    return get_object_or_404(Unit.objects.visible_to(user).select_related("region", "parent"), pk=pk)


def get_practitioner_for_user(user: User, pk: int) -> Practitioner:
    return get_object_or_404(Practitioner.objects.visible_to(user).select_related("unit__region"), pk=pk)


def get_staff_for_user(viewer: User, pk: int) -> User:
    """A staff user is visible when one of their memberships is at a unit the viewer reaches."""
    from fawang.accounts.models import User as UserModel

    visible = Membership.objects.visible_to(viewer).filter(user_id=pk)
    return get_object_or_404(UserModel.objects.filter(pk__in=visible.values("user_id")), pk=pk)


def get_assignment_for_user(user: User, pk: int) -> AdvisorAssignment:
    return get_object_or_404(
        AdvisorAssignment.objects.visible_to(user).select_related("practitioner", "region"), pk=pk
    )


def get_window_for_user(user: User, pk: int) -> Window:
    """A window is visible with its unit."""
    return get_object_or_404(
        Window.objects.filter(unit__in=Unit.objects.visible_to(user)).select_related("unit"), pk=pk
    )


def get_membership_for_user(user: User, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(user).select_related("user", "unit__region"), pk=pk
    )
