"""One door per model: the same 404 whether a row does not exist or lies outside the user's regions (staff) or
belongs to someone else (the public)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from fawang.orgs.roles import has_capability

from .models import Appointment, Schedule

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.orgs.models import Unit

# Whoever holds one of these at a service point may open its appointments of a day (console and API alike).
DESK_CAPS = ("frontdesk.desk", "frontdesk.review", "frontdesk.manage_schedule")


def may_use_desk(user: User, unit: Unit | None = None) -> bool:
    return any(has_capability(user, cap, unit) for cap in DESK_CAPS)


APPOINTMENT_RELATED = (
    "slot__schedule__window",
    "unit",
    "service_item",
    "user",
    "matter",
    "remote_visit__prison",
)


def get_schedule_for_user(user: User, pk: int) -> Schedule:
    return get_object_or_404(
        Schedule.objects.visible_to(user).select_related("unit__region", "window"), pk=pk
    )


def get_appointment_for_user(user: User, pk: int) -> Appointment:
    """A staff user's look-up: appointments of the service points in their regions."""
    return get_object_or_404(Appointment.objects.visible_to(user).select_related(*APPOINTMENT_RELATED), pk=pk)


def get_own_appointment(user: User, pk: int) -> Appointment:
    """A member of the public's own appointment; another person's and a missing one are the same 404."""
    return get_object_or_404(Appointment.objects.of_user(user).select_related(*APPOINTMENT_RELATED), pk=pk)
