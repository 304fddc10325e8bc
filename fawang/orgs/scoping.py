"""A staff user's active memberships, read once per request.

What they reach is decided in ``authority.py`` (docs/authority.md); every scoped queryset's ``visible_to(user)``
filters with its ``Q`` objects, and views fetch single rows through the access helpers in ``access.py``, which
give the same 404 for "missing" and "not yours".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Membership


def active_memberships(user: Any) -> list[Membership]:
    """The user's active memberships with their units and regions, in the unit switcher's order: one query,
    cached on the user object (which lives as long as the request). Scope, capabilities, "my units" and the
    console's unit switcher all read it."""
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        from .models import Membership

        cached = list(
            Membership.objects.active()
            .filter(user_id=getattr(user, "pk", None) or 0)
            .select_related("unit__region")
            .order_by("unit__region_id", "unit__name")
        )
        user._active_memberships = cached
    return cached


def membership_rows(user: Any) -> list[tuple[str, int, str]]:
    """(role, unit id, unit region code) of the user's active memberships (``active_memberships``)."""
    cached = getattr(user, "_membership_rows", None)
    if cached is None:
        cached = [(m.role, m.unit_id, m.unit.region_id) for m in active_memberships(user)]
        user._membership_rows = cached
    return cached
