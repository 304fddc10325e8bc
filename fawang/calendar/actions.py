"""Writers of the calendar table besides the admin form: seeding from the `chinese-calendar` package."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from . import workdays
from .models import CalendarDay

# The package's Chinese names are short forms; the State Council notices use these.
NAME_FIXES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
IN_LIEU_NOTE = "调休放假"


@dataclass(frozen=True)
class PackageDay:
    date: datetime.date
    kind: str
    name: str
    note: str


@dataclass
class SeedSummary:
    years: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_manual: int = 0
    not_in_package: list[int] = field(default_factory=list)


def package_years() -> list[int]:
    """The years the installed package has holiday data for."""
    return sorted({day.year for day in chinese_calendar.holidays})


def holiday_name(value: str) -> str:
    try:
        chinese = chinese_calendar.Holiday(value).chinese
    except ValueError:
        return value  # a name a newer package added and this code does not know: keep it as given
    return NAME_FIXES.get(chinese, chinese)


def package_days(years: Iterable[int]) -> dict[datetime.date, PackageDay]:
    """What the package says about `years`: every listed holiday (weekend ones included, so a holiday week
    reads as one block in the admin) and every make-up workday."""
    wanted = set(years)
    days: dict[datetime.date, PackageDay] = {}
    for day, value in chinese_calendar.holidays.items():
        if day.year in wanted:
            note = IN_LIEU_NOTE if day in chinese_calendar.in_lieu_days else ""
            days[day] = PackageDay(day, CalendarDay.Kind.HOLIDAY, holiday_name(value), note)
    for day, value in chinese_calendar.workdays.items():
        if day.year in wanted:
            days[day] = PackageDay(day, CalendarDay.Kind.WORKDAY, holiday_name(value), "")
    return days


@transaction.atomic
def seed_from_package(years: Iterable[int] | None = None) -> SeedSummary:
    """Bring the package's rows for `years` (default: all it covers) into the table.

    Idempotent: a second run changes nothing. Manual rows are never touched, so a correction an admin made
    survives a re-seed. Package rows the package no longer lists (a corrected day after an upgrade) are removed.
    """
    available = set(package_years())
    wanted = sorted(set(years) if years is not None else available)
    summary = SeedSummary(years=[y for y in wanted if y in available])
    summary.not_in_package = [y for y in wanted if y not in available]
    if not summary.years:
        return summary

    expected = package_days(summary.years)
    existing = {
        row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year__in=summary.years)
    }
    now = timezone.now()
    to_create: list[CalendarDay] = []
    to_update: list[CalendarDay] = []
    for day, wanted_day in sorted(expected.items()):
        row = existing.get(day)
        if row is None:
            to_create.append(
                CalendarDay(
                    date=day,
                    kind=wanted_day.kind,
                    name=wanted_day.name,
                    note=wanted_day.note,
                    source=CalendarDay.Source.PACKAGE,
                )
            )
        elif row.source == CalendarDay.Source.MANUAL:
            summary.kept_manual += 1
        elif (row.kind, row.name, row.note) != (wanted_day.kind, wanted_day.name, wanted_day.note):
            row.kind, row.name, row.note = wanted_day.kind, wanted_day.name, wanted_day.note
            row.updated_at = now  # bulk_update does not apply auto_now
            to_update.append(row)
        else:
            summary.unchanged += 1
    stale = [
        row.pk
        for day, row in existing.items()
        if day not in expected and row.source == CalendarDay.Source.PACKAGE
    ]

    CalendarDay.objects.bulk_create(to_create)
    CalendarDay.objects.bulk_update(to_update, ["kind", "name", "note", "updated_at"])
    if stale:
        CalendarDay.objects.filter(pk__in=stale).delete()
    summary.created, summary.updated, summary.removed = len(to_create), len(to_update), len(stale)
    # bulk_create/bulk_update send no post_save, so the cache is dropped here explicitly.
    workdays.invalidate_now_and_on_commit()
    return summary
