"""Time-limit arithmetic over working days and working hours.

Why: the time limits of the platform are counted in days, working days or working hours. 法律援助法 第四十三条
gives 七日 to decide on an application and 三日 to assign a lawyer after deciding, 第四十九条 gives the judicial
administration 五日 to review an objection; local regulations count the same steps in 工作日 (e.g.
浙江省法律援助条例 第十七条: 七个工作日). The service catalogue says which unit each limit uses; this module only
does the arithmetic:

- the day of receipt is not counted (民法典 第二百零一条: 开始的当日不计入，自下一日开始计算);
- a limit ends when business stops on its last day (民法典 第二百零三条: 有业务时间的，停止业务活动的时间为截止时间),
  `settings.WORKDAY_END`, 17:30 by default;
- a natural-day limit whose last day is a rest day moves to the next working day (民法典 第二百零三条);
- working hours are the periods in `settings.WORK_PERIODS` (08:30–12:00 and 14:30–17:30 by default) on working days.

Working days are Monday–Friday, except the rows of `CalendarDay` (法定节假日, 调休上班日). The table is read
once per process into an immutable snapshot, so computing deadlines for a whole list page costs no queries.
The snapshot is dropped when a row is saved or deleted in this process (post_save/post_delete, see apps.py:
that is cache upkeep, not workflow, and it catches every way a row changes — the admin form, its bulk delete
action, the shell — without each of them having to remember a call; bulk writes in `actions.py` invalidate
explicitly) and reloaded after `settings.WORKCALENDAR_RELOAD_SECONDS` in any case, because other web and task
processes cannot see this process's invalidation.

All datetimes are timezone-aware; a naive one raises ValueError, because a naive 09:00 could be UTC or local
and an eight-hour error moves a deadline to another day. Results are in the local zone (Asia/Shanghai).
Years without any row fall back to Monday–Friday; `coverage_gaps()` names them so admins can be warned.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ONE_DAY = datetime.timedelta(days=1)
# A deadline search that walks further than this has a broken calendar (e.g. a year marked all holidays).
MAX_SCAN_DAYS = 3660


class TimeUnit(models.TextChoices):
    """The unit of a time limit, for the catalogue's time-limit fields and `deadline()`."""

    WORKDAYS = "workdays", _("工作日")
    WORKHOURS = "workhours", _("工作小时")
    DAYS = "days", _("自然日")


# ---------------------------------------------------------------------------------------------- settings


def _parse_time(value: str, name: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f'{name} 应为“时:分”格式的时间，如 "17:30"，当前为 {value!r}。') from None


@functools.lru_cache(maxsize=8)
def _parse_periods(raw: tuple[tuple[str, str], ...]) -> tuple[tuple[datetime.time, datetime.time], ...]:
    periods = tuple((_parse_time(a, "WORK_PERIODS"), _parse_time(b, "WORK_PERIODS")) for a, b in raw)
    if not periods:
        raise ImproperlyConfigured("WORK_PERIODS 不能为空：至少需要一个工作时段。")
    previous_end = datetime.time.min
    for start, end in periods:
        if not start < end or start < previous_end:
            raise ImproperlyConfigured("WORK_PERIODS 的时段应按时间先后排列、互不重叠，且每段开始早于结束。")
        previous_end = end
    return periods


def work_periods() -> tuple[tuple[datetime.time, datetime.time], ...]:
    """The working-hour periods of a working day (settings.WORK_PERIODS), validated."""
    raw = getattr(settings, "WORK_PERIODS", (("08:30", "12:00"), ("14:30", "17:30")))
    return _parse_periods(tuple((str(a), str(b)) for a, b in raw))


def workday_start() -> datetime.time:
    return _parse_time(getattr(settings, "WORKDAY_START", "08:30"), "WORKDAY_START")


def workday_end() -> datetime.time:
    """When business stops on a working day: the moment a day-counted limit ends (民法典 第二百零三条)."""
    return _parse_time(getattr(settings, "WORKDAY_END", "17:30"), "WORKDAY_END")


def _reload_seconds() -> float:
    return float(getattr(settings, "WORKCALENDAR_RELOAD_SECONDS", 300))


# ---------------------------------------------------------------------------------------------- snapshot


@dataclass(frozen=True)
class Snapshot:
    """The calendar table as this process last read it: date -> is it a working day."""

    exceptions: dict[datetime.date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()
    loaded_at: float = 0.0


_snapshot: Snapshot | None = None


def _load() -> Snapshot:
    from .models import CalendarDay  # here, so this module stays importable before the app registry is ready

    rows = CalendarDay.objects.values_list("date", "kind")
    exceptions = {day: kind == CalendarDay.Kind.WORKDAY for day, kind in rows}
    return Snapshot(exceptions, frozenset(day.year for day in exceptions), time.monotonic())


def snapshot() -> Snapshot:
    """The cached table; one query the first time in a process and after each invalidation or reload period."""
    global _snapshot
    current = _snapshot
    reload_after = _reload_seconds()
    if current is None or (reload_after > 0 and time.monotonic() - current.loaded_at > reload_after):
        current = _snapshot = _load()
    return current


def invalidate() -> None:
    """Forget the cached table; the next calculation reads it again."""
    global _snapshot
    _snapshot = None


def invalidate_now_and_on_commit() -> None:
    """Invalidate at once (so this transaction sees its own change) and again after commit (so a reload by
    another thread in between, which could only see the old committed rows, does not stay cached)."""
    invalidate()
    transaction.on_commit(invalidate)


def on_calendar_day_changed(sender: Any, **kwargs: Any) -> None:
    """post_save/post_delete receiver for CalendarDay (connected in apps.py): cache upkeep only."""
    invalidate_now_and_on_commit()


# ---------------------------------------------------------------------------------------------- helpers


def _local(value: datetime.datetime, name: str = "start") -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"{name} 应为带时区的 datetime，收到的是 {type(value).__name__}。")
    if timezone.is_naive(value):
        raise ValueError(
            f"时限计算需要带时区的时间（{settings.TIME_ZONE}），{name} 不带时区：{value.isoformat()}。"
        )
    return timezone.localtime(value)


def _as_date(value: datetime.date | datetime.datetime, name: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return _local(value, name).date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"{name} 应为 date 或带时区的 datetime，收到的是 {type(value).__name__}。")


def _at(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def _is_workday(day: datetime.date, table: Snapshot) -> bool:
    known = table.exceptions.get(day)
    return day.weekday() < 5 if known is None else known


def _next_workday(day: datetime.date, table: Snapshot, *, include_today: bool) -> datetime.date:
    if not include_today:
        day += ONE_DAY
    for _step in range(MAX_SCAN_DAYS):
        if _is_workday(day, table):
            return day
        day += ONE_DAY
    raise RuntimeError(f"{day.year} 年前后 {MAX_SCAN_DAYS} 天内没有工作日，请检查节假日表。")


# ---------------------------------------------------------------------------------------------- public API


def is_workday(day: datetime.date | datetime.datetime) -> bool:
    """Whether people work on this (local) day: Monday–Friday unless the table says otherwise."""
    return _is_workday(_as_date(day, "day"), snapshot())


def next_workday(day: datetime.date | datetime.datetime, *, include_today: bool = False) -> datetime.date:
    """The first working day after `day` (or `day` itself when include_today and it is a working day)."""
    return _next_workday(_as_date(day, "day"), snapshot(), include_today=include_today)


def workday_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Opening and closing moments of a day (settings.WORKDAY_START / WORKDAY_END), aware and local."""
    return _at(day, workday_start()), _at(day, workday_end())


def add_workdays(start: datetime.datetime, n: int) -> datetime.datetime:
    """End of the n-th working day after the day of `start` (that day is not counted, 民法典 第二百零一条).

    Example: received Friday 2024-09-27, 7 working days → 2024-10-12 17:30 (the 调休上班 Saturday).
    n = 0 means "the same working day": the end of the day of `start`, or of the next working day if `start`
    falls on a rest day.
    """
    local = _local(start)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"工作日数应为非负整数，收到 {n!r}。")
    table = snapshot()
    day = _next_workday(local.date(), table, include_today=True) if n == 0 else local.date()
    for _i in range(n):
        day = _next_workday(day, table, include_today=False)
    return _at(day, workday_end())


def add_workhours(start: datetime.datetime, hours: float | Decimal) -> datetime.datetime:
    """The moment `hours` working hours after `start`, counting only settings.WORK_PERIODS on working days.

    For limits in hours (民法典 第二百零一条: 按照小时计算期间的，自法律规定或者当事人约定的时间开始计算)
    the clock starts at `start`, or at the next opening if `start` is outside working hours. A limit used up
    exactly at a period's end returns that end (12:00 or 17:30), not the next opening.
    """
    local = _local(start)
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal) or hours < 0:
        raise ValueError(f"工作小时数应为非负数，收到 {hours!r}。")
    remaining = datetime.timedelta(seconds=round(float(hours) * 3600, 6))
    if not remaining:
        return local
    periods, table = work_periods(), snapshot()
    cursor, day = local, local.date()
    for _step in range(MAX_SCAN_DAYS):
        if _is_workday(day, table):
            for opens, closes in periods:
                period_start, period_end = _at(day, opens), _at(day, closes)
                if cursor >= period_end:
                    continue
                begin = max(cursor, period_start)
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += ONE_DAY
        cursor = _at(day, datetime.time.min)
    raise RuntimeError(f"{MAX_SCAN_DAYS} 天内无法用完 {hours} 个工作小时，请检查节假日表。")


def add_days(start: datetime.datetime, n: int) -> datetime.datetime:
    """End of business on the n-th natural day after the day of `start`, moved to the next working day when
    that day is a rest day (民法典 第二百零一条、第二百零三条)."""
    local = _local(start)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"自然日数应为非负整数，收到 {n!r}。")
    last = _next_workday(local.date() + datetime.timedelta(days=n), snapshot(), include_today=True)
    return _at(last, workday_end())


def workdays_between(a: datetime.date | datetime.datetime, b: datetime.date | datetime.datetime) -> int:
    """Working days after day a up to and including day b (negative when b is before a).

    The same counting as `add_workdays`: workdays_between(start, add_workdays(start, n)) == n, so
    "已用 / 剩余 N 个工作日" shown to users agrees with the deadline.
    """
    first, last = _as_date(a, "a"), _as_date(b, "b")
    if last < first:
        return -workdays_between(last, first)
    table = snapshot()
    count, day = 0, first + ONE_DAY
    while day <= last:
        count += _is_workday(day, table)
        day += ONE_DAY
    return count


def deadline(start: datetime.datetime, amount: float | Decimal, unit: str) -> datetime.datetime:
    """The deadline of a limit of `amount` units (TimeUnit: "workdays", "workhours" or "days") from `start`."""
    if unit == TimeUnit.WORKHOURS:
        return add_workhours(start, amount)
    if unit in (TimeUnit.WORKDAYS, TimeUnit.DAYS):
        if isinstance(amount, bool) or int(amount) != amount:
            raise ValueError(f"按日计算的时限应为整数天，收到 {amount!r}。")
        count = int(amount)
        return add_workdays(start, count) if unit == TimeUnit.WORKDAYS else add_days(start, count)
    raise ValueError(f"未知的时限单位 {unit!r}，应为 {', '.join(TimeUnit.values)} 之一。")


def coverage_gaps(years: Iterable[int]) -> list[int]:
    """Those of `years` with no row at all: their arithmetic falls back to Monday–Friday."""
    covered = snapshot().years
    return sorted({year for year in years if year not in covered})


def covered_years() -> Sequence[int]:
    return sorted(snapshot().years)
