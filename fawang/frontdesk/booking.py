"""What the public can book: the points that take bookings, their items, the days and slots with places left.

Read by the booking pages, the portal's "预约办理" links and the API, so all three offer the same slots. The
time rules (not past, the schedule's minimum notice) are applied here as in the actions; the actions check
everything again when a slot is taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from fawang.catalog.models import BusinessLine, ServiceItem
from fawang.orgs.models import Unit, Window

from .models import Schedule, Slot


def bookable_schedules() -> QuerySet[Schedule]:
    return Schedule.objects.active().filter(unit__kind__in=Unit.SERVICE_POINT_KINDS)


def bookable_unit_ids(unit_ids: Iterable[int]) -> set[int]:
    """Which of ``unit_ids`` take bookings (one query, for a page of the finder)."""
    ids = [pk for pk in unit_ids if pk]
    if not ids:
        return set()
    return set(bookable_schedules().filter(unit_id__in=ids).order_by().values_list("unit_id", flat=True))


def get_bookable_unit(pk: int) -> Unit:
    """The same 404 for a unit that does not exist, is inactive, or takes no bookings."""
    return get_object_or_404(
        Unit.objects.active().filter(pk__in=bookable_schedules().values("unit_id")).select_related("region"),
        pk=pk,
    )


def items_for(unit: Unit) -> list[ServiceItem]:
    """The active service items that can be booked at ``unit``, in catalogue order."""
    schedules = bookable_schedules().filter(unit=unit)
    return list(
        ServiceItem.objects.active()
        .filter(pk__in=schedules.values("service_items"))
        .order_by("order", "code")
    )


# The window whose post handles an item's business line: a booked consultation goes to the 法律咨询岗, a legal-aid
# application to the 法律援助岗, when the point has one (issue 14, item 17).
WINDOW_FOR_LINE = {
    BusinessLine.CONSULTATION: Window.Kind.CONSULTATION,
    BusinessLine.LAWYER: Window.Kind.CONSULTATION,
    BusinessLine.LEGAL_AID: Window.Kind.LEGAL_AID,
}


def _min_start(slot: Slot, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=slot.schedule.min_notice_hours)


def open_slots(
    unit: Unit,
    item: ServiceItem,
    now: dt.datetime,
    *,
    day: dt.date | None = None,
    exclude: int | None = None,
) -> list[Slot]:
    """Slots of ``unit`` for ``item`` with a place left that can still be booked at ``now``, by time; at the same
    time, a slot at the window of the item's own post (WINDOW_FOR_LINE) comes first."""
    qs = (
        Slot.objects.bookable()
        .filter(unit=unit, schedule__in=bookable_schedules().filter(service_items=item), starts_at__gt=now)
        .select_related("schedule__window")
        .order_by("starts_at", "schedule_id")
    )
    if day is not None:
        qs = qs.filter(date=day)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    own_window = WINDOW_FOR_LINE.get(BusinessLine(item.business_line))
    found = [slot for slot in qs if slot.starts_at >= _min_start(slot, now)]

    def own_post_first(slot: Slot) -> tuple[dt.datetime, bool]:
        window = slot.schedule.window
        return slot.starts_at, not (
            window is not None and own_window is not None and window.kind == own_window
        )

    return sorted(found, key=own_post_first)  # stable: schedule order within equal keys


@dataclass(frozen=True)
class Day:
    date: dt.date
    places: int
    slots: int


def open_days(unit: Unit, item: ServiceItem, now: dt.datetime, *, exclude: int | None = None) -> list[Day]:
    """The days with at least one bookable slot, with the places left that day."""
    days: dict[dt.date, list[Slot]] = {}
    for slot in open_slots(unit, item, now, exclude=exclude):
        days.setdefault(slot.date, []).append(slot)
    return [Day(d, sum(s.places_left for s in rows), len(rows)) for d, rows in sorted(days.items())]
