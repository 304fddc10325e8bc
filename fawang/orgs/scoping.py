"""Who sees what: a staff user sees the region subtrees of the units they belong to.

Every scoped queryset's ``visible_to(user)`` goes through ``region_filter``; views fetch single rows through
the access helpers in ``access.py``, which give the same 404 for "missing" and "not yours".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from fawang.lib import codes

if TYPE_CHECKING:
    from fawang.accounts.models import User

    from .models import Membership

ALL = "*"


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


def scope_codes(user: Any) -> list[str]:
    """Region-code prefixes the user may see; ``[ALL]`` for system administrators; cached per request user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_scope_codes", None)
    if cached is not None:
        return cached
    from .models import Membership

    rows = membership_rows(user)
    if user.is_superuser or any(role == Membership.Role.SYSTEM_ADMIN for role, _u, _c in rows):
        result = [ALL]
    else:
        result = codes.minimal_prefixes(code for _r, _u, code in rows)
    user._scope_codes = result
    return result


def region_filter(user: User, field: str) -> Q:
    """Q limiting ``field`` (a region code) to the user's subtrees; matches nothing for outsiders."""
    prefixes = scope_codes(user)
    if ALL in prefixes:
        return Q()
    return codes.under_any(field, prefixes)
