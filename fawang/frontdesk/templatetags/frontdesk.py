"""``{% bookable_points units as ids %}``: which service points take bookings, for the portal's "预约办理" links.
One query for a whole page of the finder (a unit, or any iterable of units); the portal's own views stay unaware
of the front desk.

``{% meeting_url appointment as url %}`` (or a walk-in's ticket): a video consultation's link for whoever looks at it — the consultant
(staff) as the meeting's moderator under their own name, the person as a guest under the booking's name; empty
when the appointment is not a video consultation that still stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from fawang.orgs.models import Unit

from .. import video
from ..booking import bookable_unit_ids
from ..models import Appointment, Ticket

register = template.Library()


@register.simple_tag
def bookable_points(units: Unit | Iterable[Any]) -> set[int]:
    rows = [units] if isinstance(units, Unit) else list(units)
    # Only service points take bookings: a page without any costs no query.
    return bookable_unit_ids(u.pk for u in rows if isinstance(u, Unit) and u.is_service_point)


@register.simple_tag(takes_context=True)
def meeting_url(context: dict[str, Any], booking: Appointment | Ticket) -> str:
    """An appointment's or a walk-in ticket's meeting link (a ticket's guest has no name: it is anonymous)."""
    if not booking.meeting_open:
        return ""
    user = getattr(context.get("request"), "user", None)
    staff = bool(user is not None and getattr(user, "is_authenticated", False) and user.kind == "staff")
    if staff and user is not None:
        name = user.display_name or user.get_username()
    else:
        name = booking.name if isinstance(booking, Appointment) else ""
    return video.meeting_url(booking.meeting_room, name=name, moderator=staff)
