"""``{% bookable_points units as ids %}``: which service points take bookings, for the portal's "预约办理" links.

One query for a whole page of the finder (a unit, or any iterable of units); the portal's own views stay unaware
of the front desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from fawang.orgs.models import Unit

from ..booking import bookable_unit_ids

register = template.Library()


@register.simple_tag
def bookable_points(units: Unit | Iterable[Any]) -> set[int]:
    rows = [units] if isinstance(units, Unit) else list(units)
    # Only service points take bookings: a page without any costs no query.
    return bookable_unit_ids(u.pk for u in rows if isinstance(u, Unit) and u.is_service_point)
