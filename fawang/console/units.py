"""The current unit of a staff user working for several units (the unit switcher)."""

from __future__ import annotations

from django.http import HttpRequest

from fawang.orgs.models import Membership, Unit
from fawang.orgs.scoping import active_memberships

SESSION_KEY = "current_unit"


def memberships(request: HttpRequest) -> list[Membership]:
    return active_memberships(request.user)


def current_membership(request: HttpRequest) -> Membership | None:
    rows = memberships(request)
    if not rows:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((m for m in rows if m.unit_id == wanted), rows[0])


def current_unit(request: HttpRequest) -> Unit | None:
    m = current_membership(request)
    return m.unit if m else None
