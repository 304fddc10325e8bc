"""One door per view of an application: the citizen's own (a missing one and another person's are the same
404), and staff's through the matter they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from .models import Application

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.models import Matter


def get_own_application(user: User, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.of_user(user).select_related("service_item", "region", "matter", "user"), pk=pk
    )


def application_of_matter(matter: Matter) -> Application | None:
    """The online application a matter was submitted from (after the caller has checked the matter's access)."""
    return (
        Application.objects.filter(matter=matter)
        .select_related("service_item", "region", "user")
        .prefetch_related("parties", "household", "files__material")
        .first()
    )
