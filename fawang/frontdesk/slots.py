"""Slots from schedules: which slots a schedule should offer over the next days, and bringing the Slot rows
into line with that.

The wanted slots of a day are the weekly rules of its weekday when it is a working day (fawang.calendar: no
slots on 法定节假日; a 调休上班日 on a weekend follows the schedule's ``makeup_weekday``), plus the extra hours
(加开时段) of that date, unless the date is closed (停止预约). Each range is cut into slots of ``slot_minutes``;
a remainder shorter than a slot is not offered.

``derive_slots`` runs after every schedule change and from the scheduler (``derive_due``), which rolls the
window of ``days_ahead`` days forward each day. It never deletes a slot that any appointment ever used: a slot
that is no longer wanted is closed (``is_open=False``) by an UPDATE under the row lock, so a booking waiting for
that lock re-checks ``is_open`` and fails cleanly; only closed slots without any appointment are then deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fawang.calendar import workdays

from .models import AppointmentEvent, Schedule, ScheduleException, Slot, WeeklyRule

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Wanted:
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass
class DeriveResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    deleted: int = 0


def cut(day: dt.date, start: dt.time, end: dt.time, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """``start``–``end`` on ``day`` (local time) as consecutive slots of ``minutes``."""
    tz = timezone.get_default_timezone()
    step = dt.timedelta(minutes=minutes)
    cursor = dt.datetime.combine(day, start, tzinfo=tz)
    stop = dt.datetime.combine(day, end, tzinfo=tz)
    out = []
    while cursor + step <= stop:
        out.append((cursor, cursor + step))
        cursor += step
    return out


def horizon(schedule: Schedule, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) a schedule offers: today and the ``days_ahead - 1`` days after it."""
    return today, today + dt.timedelta(days=max(schedule.days_ahead, 1) - 1)


def wanted_slots(
    schedule: Schedule,
    first: dt.date,
    last: dt.date,
    *,
    rules: Iterable[WeeklyRule] | None = None,
    exceptions: Iterable[ScheduleException] | None = None,
) -> dict[dt.datetime, Wanted]:
    """The slots ``schedule`` should offer from ``first`` to ``last`` (inclusive), keyed by start."""
    if rules is None:
        rules = schedule.rules.all()
    if exceptions is None:
        exceptions = schedule.exceptions.filter(date__gte=first, date__lte=last)
    by_weekday: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for rule in rules:
        by_weekday.setdefault(rule.weekday, []).append((rule.start_time, rule.end_time))
    closed: set[dt.date] = set()
    extra: dict[dt.date, list[tuple[dt.time, dt.time]]] = {}
    for exc in exceptions:
        if exc.kind == ScheduleException.Kind.CLOSED:
            closed.add(exc.date)
        elif exc.start_time and exc.end_time:
            extra.setdefault(exc.date, []).append((exc.start_time, exc.end_time))
    out: dict[dt.datetime, Wanted] = {}
    day = first
    while day <= last:
        if day not in closed:
            ranges = list(extra.get(day, []))
            if workdays.is_workday(day):
                weekday = day.weekday() if day.weekday() < 5 else schedule.makeup_weekday
                ranges += by_weekday.get(weekday, [])
            for start, end in ranges:
                for starts_at, ends_at in cut(day, start, end, schedule.slot_minutes):
                    out.setdefault(starts_at, Wanted(day, starts_at, ends_at))
        day += ONE_DAY
    return out


@transaction.atomic
def derive_slots(schedule_id: int, *, today: dt.date | None = None) -> DeriveResult:
    """Make the schedule's Slot rows from today on match what it should offer (see the module docstring)."""
    today = today or timezone.localdate()
    schedule = Schedule.objects.select_for_update(of=("self",)).select_related("unit").get(pk=schedule_id)
    first, last = horizon(schedule, today)
    active = schedule.is_active and schedule.unit.is_active
    wanted = wanted_slots(schedule, first, last) if active else {}
    # Locked in primary-key order, as every action locks slots, so two writers never wait on each other in a
    # circle.
    existing = {
        slot.starts_at: slot
        for slot in Slot.objects.select_for_update().filter(schedule=schedule, date__gte=first).order_by("pk")
    }
    result = DeriveResult()
    new = [
        Slot(
            schedule=schedule,
            unit_id=schedule.unit_id,
            window_id=schedule.window_id,
            date=w.date,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            capacity=schedule.capacity,
        )
        for start, w in wanted.items()
        if start not in existing
    ]
    if new:
        Slot.objects.bulk_create(new, ignore_conflicts=True)
        result.created = len(new)
    changed = []
    for start, slot in existing.items():
        w = wanted.get(start)
        if w is None:
            continue
        if (slot.capacity, slot.is_open, slot.ends_at, slot.window_id) != (
            schedule.capacity,
            True,
            w.ends_at,
            schedule.window_id,
        ):
            slot.capacity, slot.is_open, slot.ends_at, slot.window_id = (
                schedule.capacity,
                True,
                w.ends_at,
                schedule.window_id,
            )
            changed.append(slot)
    if changed:
        Slot.objects.bulk_update(changed, ["capacity", "is_open", "ends_at", "window"])
        result.updated = len(changed)
    unwanted = [slot.pk for start, slot in existing.items() if start not in wanted]
    if unwanted:
        result.closed = Slot.objects.filter(pk__in=unwanted, is_open=True).update(is_open=False)
        used = Q(pk__in=AppointmentEvent.objects.filter(old_slot_id__in=unwanted).values("old_slot_id")) | Q(
            pk__in=AppointmentEvent.objects.filter(new_slot_id__in=unwanted).values("new_slot_id")
        )
        removable = Slot.objects.filter(pk__in=unwanted, booked=0, appointments__isnull=True).exclude(used)
        result.deleted, _by_model = removable.delete()
        result.closed = max(result.closed - result.deleted, 0)
    Schedule.objects.filter(pk=schedule.pk).update(derived_through=last)
    return result


def derive_due(today: dt.date | None = None) -> int:
    """The daily roll forward: derive every active schedule whose slots do not yet reach its horizon."""
    today = today or timezone.localdate()
    count = 0
    for schedule in Schedule.objects.active().only("pk", "days_ahead", "derived_through"):
        _first, last = horizon(schedule, today)
        if schedule.derived_through is None or schedule.derived_through < last:
            derive_slots(schedule.pk, today=today)
            count += 1
    return count
