"""One door per model: the same 404 whether a row does not exist or lies outside the user's reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from .models import Activity, Site, TalkBooking

if TYPE_CHECKING:
    from fawang.accounts.models import User


def get_site_for_user(user: User, pk: int) -> Site:
    return get_object_or_404(Site.objects.visible_to(user).select_related("unit", "town", "village"), pk=pk)


def get_activity_for_user(user: User, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related("unit", "town", "village"), pk=pk
    )


def get_booking_for_user(user: User, pk: int) -> TalkBooking:
    return get_object_or_404(TalkBooking.objects.visible_to(user).select_related("unit", "town"), pk=pk)
