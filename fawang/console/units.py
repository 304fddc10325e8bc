"""The current unit of a staff user working for several units (the unit switcher)."""

from __future__ import annotations

from django.http import HttpRequest

from fawang.orgs.models import Membership, Unit

SESSION_KEY = "current_unit"


def memberships(request: HttpRequest) -> list[Membership]:
    cached = getattr(request, "_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user_id=request.user.pk or 0)
            .select_related("unit__region")
            .order_by("unit__region_id", "unit__name")
        )
        request._memberships = cached  # type: ignore[attr-defined]
    return cached


def current_membership(request: HttpRequest) -> Membership | None:
    rows = memberships(request)
    if not rows:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((m for m in rows if m.unit_id == wanted), rows[0])


def current_unit(request: HttpRequest) -> Unit | None:
    m = current_membership(request)
    return m.unit if m else None
