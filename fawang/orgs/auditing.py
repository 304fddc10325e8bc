"""Which audit rows a staff user may read: those of the units they reach, and (for rows about an account
rather than a unit) those about staff they see, or about a village in their regions (一村一法律顾问).

The trail itself (fawang.audit) knows nothing of units' reach; reading it goes through here, so it follows
the same rule as every other scoped list (``Unit.objects.visible_to``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from fawang.audit.models import AuditEvent, AuditEventQuerySet

from .authority import reach_of, regions_filter
from .models import Membership, Unit

if TYPE_CHECKING:
    from fawang.accounts.models import User

RECENT = 10


def audit_events_visible_to(user: User) -> AuditEventQuerySet:
    reach = reach_of(user)
    if reach.everything:
        return AuditEvent.objects.all()
    if reach.is_empty:
        return AuditEvent.objects.none()
    staff = Membership.objects.visible_to(user).current().values("user_id")
    return AuditEvent.objects.filter(
        Q(unit__in=Unit.objects.visible_to(user).values("pk"))
        | Q(unit__isnull=True, person__in=staff)
        | (
            Q(unit__isnull=True, person__isnull=True, region__isnull=False)
            & regions_filter(user, "region_id")
        )
    )


def recent_audit(user: User, *, unit: Unit | None = None, person: User | None = None) -> list[AuditEvent]:
    """The latest rows about ``unit`` or ``person`` that ``user`` may read (for the unit and staff pages)."""
    rows = audit_events_visible_to(user)
    if unit is not None:
        rows = rows.filter(unit=unit)
    if person is not None:
        rows = rows.filter(person=person)
    return list(rows.select_related("unit").order_by("-created_at", "-id")[:RECENT])
