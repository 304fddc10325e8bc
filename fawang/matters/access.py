"""One door per scoped model: the same 404 whether a row does not exist or lies outside the user's regions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import tracking
from .models import Callback, Matter, Person, Rectification

if TYPE_CHECKING:
    from fawang.accounts.models import User

MATTER_RELATED = (
    "service_item",
    "unit",
    "person",
    "region",
    "handler",
    "intake_unit",
    "topic",
    "escalated_to",
)

# What a request for an action on a matter reads before the action locks the row and reads it again
# (matters.actions): the units its capability is checked over (registry.ActionDef.permits) and the item its form
# offers choices against. Most such requests end there (refused, or not found); each relation joined costs the
# query's compilation whether a row comes back or not.
ACTION_RELATED = ("unit", "intake_unit", "service_item")


def get_matter_for_user(user: User, pk: int, *, related: tuple[str, ...] = MATTER_RELATED) -> Matter:
    """A matter the staff user may see (Matter.objects.visible_to), with what a detail page shows (``related``:
    the relations joined in; ACTION_RELATED for an action's request)."""
    return get_object_or_404(Matter.objects.visible_to(user).select_related(*related), pk=pk)


def get_matter_by_tracking_no_for_user(user: User, tracking_no: str) -> Matter:
    """The same, by tracking number (what the hotline agent or window clerk is told)."""
    number = tracking.normalize(tracking_no)
    if not tracking.is_valid(number):
        raise Http404
    return get_object_or_404(
        Matter.objects.visible_to(user).select_related(*MATTER_RELATED), tracking_no=number
    )


def get_own_matter(user: User, tracking_no: str) -> Matter:
    """A member of the public's own matter by tracking number (portal "我的事项")."""
    number = tracking.normalize(tracking_no)
    if not tracking.is_valid(number):
        raise Http404
    return get_object_or_404(
        Matter.objects.of_public_user(user).select_related("service_item", "unit", "region"),
        tracking_no=number,
    )


def get_person_for_user(user: User, pk: int) -> Person:
    """A person is visible to staff who can see one of their matters. Showing the full ID number or phone
    also needs ``actions.reveal_person`` (role check and access log)."""
    return get_object_or_404(Person.objects.visible_to(user), pk=pk)


def get_callback_for_user(user: User, pk: int) -> Callback:
    return get_object_or_404(Callback.objects.visible_to(user).select_related("matter", "unit"), pk=pk)


def get_rectification_for_user(user: User, pk: int) -> Rectification:
    return get_object_or_404(Rectification.objects.visible_to(user).select_related("matter", "unit"), pk=pk)
