"""日定位、周听声、月走访 (仙政办〔2017〕134号): the supervision schedule of a person, from their category.

| category | location report (日定位) | voice contact (周听声) | visit (月走访) |
|---|---|---|---|
| 严管 | every day | every week | twice a month (1st–15th, 16th–end) |
| 普管 | every day | every week | every month |
| 宽管 | once a week | every week | every month |

A day's location report is due by ``CORRECTIONS_LOCATION_DEADLINE_HOUR`` (20) local time that day; a week's
voice contact and a period's visit by the end of the last working day of the period (fawang.calendar), so a
holiday week is not a trap for the officer. Items exist only while the person is supervised (在矫 or 失去联系)
and within the term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from fawang.calendar import workdays

from .models import Category, ItemKind

DAY, WEEK, HALF_MONTH, MONTH = "day", "week", "half_month", "month"

RULES: dict[str, dict[str, str]] = {
    Category.STRICT: {ItemKind.LOCATION: DAY, ItemKind.VOICE: WEEK, ItemKind.VISIT: HALF_MONTH},
    Category.NORMAL: {ItemKind.LOCATION: DAY, ItemKind.VOICE: WEEK, ItemKind.VISIT: MONTH},
    Category.LENIENT: {ItemKind.LOCATION: WEEK, ItemKind.VOICE: WEEK, ItemKind.VISIT: MONTH},
}

PERIOD_LABELS = {DAY: "每日", WEEK: "每周", HALF_MONTH: "每半月", MONTH: "每月"}


def location_deadline_hour() -> int:
    return min(max(int(getattr(settings, "CORRECTIONS_LOCATION_DEADLINE_HOUR", 20)), 1), 23)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive


def period_of(length: str, day: dt.date) -> Period:
    if length == DAY:
        return Period(day, day)
    if length == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=6))
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if length == MONTH:
        return Period(first, last)
    if day.day <= 15:
        return Period(first, first.replace(day=15))
    return Period(first.replace(day=16), last)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def due_of(kind: str, length: str, period: Period) -> dt.datetime:
    """When the item of ``period`` is due."""
    if kind == ItemKind.LOCATION:
        # The person reports from their phone any day of the period, by the evening of its last day.
        return _local(period.end, location_deadline_hour())
    day = period.end
    while day >= period.start and not workdays.is_workday(day):
        day -= dt.timedelta(days=1)
    if day < period.start:  # a period without a working day (a long holiday): its last day
        day = period.end
    return workdays.workday_window(day)[1]


def plan_for(
    category: str, day: dt.date, term_start: dt.date, term_end: dt.date
) -> list[tuple[str, Period, dt.datetime]]:
    """The items (kind, period, due) whose period contains ``day``, within the term."""
    out: list[tuple[str, Period, dt.datetime]] = []
    if not term_start <= day <= term_end:
        return out
    for kind, length in RULES[category].items():
        period = period_of(length, day)
        out.append((kind, period, due_of(kind, length, period)))
    return out


def describe(category: str) -> list[tuple[str, str]]:
    """(item, how often) for the file page."""
    return [(str(ItemKind(kind).label), PERIOD_LABELS[length]) for kind, length in RULES[category].items()]
