"""The dashboard's figures, read from the facts only (never from the matters): totals and rates of a region
over a period and the same period a year before, the trend, the mix by item/topic/channel, and the ranking of the
sub-regions and units (per 10,000 residents where the census gives the population: counties and cities).

满意率 = good ÷ rated; 按时办结率 = on time ÷ completed; both None when nothing was rated / completed.

A page keeps what it computed under the facts' version (``cached``: in its process, and in the shared cache when
the figures took a while to compute): every rebuild or refresh of the facts writes a new version in its own
transaction, so a repeat view costs a read of the version until the facts change.
"""

from __future__ import annotations

import datetime as dt
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from fawang.catalog.models import Channel, ServiceItem
from fawang.lib import codes, memo
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region

from .models import (
    DailyFact,
    DistrictDayFact,
    DistrictMonthFact,
    DistrictUnitMonthFact,
    MonthFact,
    RollupState,
)
from .rollup import MEASURES

T = TypeVar("T")

PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
# The same period a year before: 52 weeks back, so that Mondays compare with Mondays.
YEAR = dt.timedelta(days=364)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def last(cls, days: int, end: dt.date | None = None) -> Period:
        end = end or timezone.localdate()
        return cls(end - dt.timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_before(self) -> Period:
        return Period(self.start - YEAR, self.end - YEAR)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def given(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters that are set (an empty choice in the filter bar is no filter)."""
    return {k: v for k, v in filters.items() if v not in (None, "")}


def facts(region: str, period: Period, **filters: Any) -> QuerySet[DailyFact]:
    qs = DailyFact.objects.filter(day__gte=period.start, day__lte=period.end)
    qs = qs.filter(region_q("region_id", region))
    return qs.filter(**given(filters))


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Plan:
    """How ``grouped`` reads a period: the calendar months ``months`` (first, last; None for none) from the monthly
    or district facts, plus the daily facts of the days ``add``, minus those of the days ``subtract`` (days of a
    month read whole that lie outside the period)."""

    months: tuple[dt.date, dt.date] | None
    add: tuple[Period, ...]
    subtract: tuple[Period, ...] = ()


def _clipped_days(parts: list[Period], today: dt.date) -> int:
    """The days of ``parts`` up to ``today``: days after it hold no facts yet, so reading them costs nothing."""
    return sum(max(0, (min(p.end, today) - p.start).days + 1) for p in parts)


def plan(period: Period, today: dt.date | None = None) -> Plan:
    """The fewest daily facts for ``period``: every whole calendar month from the monthly facts; a month the
    period covers in part either by its days inside the period or, when that reads fewer days, as the whole month
    less its days outside the period (a 30-day period ending today: last month less its first days, and this
    month, whose days after today hold nothing yet). The sums are the same either way: a month's facts are its
    days' facts summed."""
    today = today or timezone.localdate()
    months: list[dt.date] = []
    add: list[Period] = []
    subtract: list[Period] = []
    month = period.start.replace(day=1)
    while month <= period.end:
        last = _next_month(month) - dt.timedelta(days=1)
        inside = Period(max(month, period.start), min(last, period.end))
        outside = [
            p
            for p in (
                Period(month, inside.start - dt.timedelta(days=1)),
                Period(inside.end + dt.timedelta(days=1), last),
            )
            if p.start <= p.end
        ]
        if not outside or _clipped_days(outside, today) < _clipped_days([inside], today):
            months.append(month)
            subtract.extend(outside)
        else:
            add.append(inside)
        month = _next_month(month)
    return Plan((months[0], months[-1]) if months else None, _joined(add), _joined(subtract))


def _joined(parts: list[Period]) -> tuple[Period, ...]:
    """Adjacent periods joined into one."""
    out: list[Period] = []
    for p in parts:
        if out and out[-1].end + dt.timedelta(days=1) == p.start:
            out[-1] = Period(out[-1].start, p.end)
        else:
            out.append(p)
    return tuple(out)


def reads_months(region: str, keys: tuple[str, ...] = ()) -> bool:
    """Whether ``grouped`` may read the monthly facts for this question: unless the answer needs what the monthly
    facts have cut away — days, or places below the town (a village's figures, a town's villages)."""
    if "day" in keys or len(region) > 9:
        return False
    return not ("region_id" in keys and len(region) >= 9)


def reads_districts(region: str, keys: tuple[str, ...], depth: int, filters: dict[str, Any]) -> bool:
    """Whether the whole months can come from the district months (``DistrictMonthFact``): the question is about
    a county or larger, and needs neither the handling unit nor places below the county."""
    if len(region) > 6 or "unit_id" in keys or "unit_id" in given(filters):
        return False
    return "region_id" not in keys or depth <= 6


def reads_unit_districts(region: str, keys: tuple[str, ...], depth: int, filters: dict[str, Any]) -> bool:
    """Whether the whole months can come from the units' district months (``DistrictUnitMonthFact``): the question
    is about a county or larger, by unit (and month or county at most), filtered by nothing but the unit."""
    if len(region) > 6 or not set(keys) <= {"unit_id", "month", "region_id"}:
        return False
    if set(given(filters)) - {"unit_id"}:
        return False
    return "region_id" not in keys or depth <= 6


def days_of(region: str, keys: tuple[str, ...], depth: int, filters: dict[str, Any]) -> tuple[type[Any], str]:
    """The table of days a question reads and its region column: the district days (``DistrictDayFact``) for a
    county or larger by day, month or county at most, with no filter; else the daily facts."""
    plain = not given(filters)
    if (
        len(region) <= 6
        and plain
        and set(keys) <= {"day", "month", "region_id"}
        and ("region_id" not in keys or depth <= 6)
    ):
        return DistrictDayFact, "district"
    return DailyFact, "region_id"


def _days_q(parts: tuple[Period, ...]) -> Q:
    q = Q()
    for p in parts:
        q |= Q(day__gte=p.start, day__lte=p.end)
    return q


Grouped = dict[tuple[Any, ...], dict[str, int]]


def grouped(
    region: str, period: Period, keys: tuple[str, ...] = (), depth: int | None = None, **filters: Any
) -> Grouped:
    """The measures of ``region``'s subtree over ``period``, summed by ``keys`` (any of ``region_id``,
    ``service_item_id``, ``topic_id``, ``channel``, ``unit_id``, ``day`` or ``month``); a key with nothing in the
    period is left out. ``region_id`` is cut to ``depth`` digits: by default the town below a county or city, as
    the monthly facts have it (a town's places are its villages); 6 asks for counties. The whole months come from
    the district months when the question needs neither units nor places below the county (``reads_districts``),
    or from the units' district months when it asks by unit only (``reads_unit_districts``), else from the monthly
    facts; a county or larger with no breakdown but by day, month or county and no filter reads its whole period
    from the district days (``days_of``: a few rows a day); the months the period covers in part from the daily facts (``plan``: the days
    inside it, or the whole month less the days outside it, whichever reads fewer days). A question the monthly
    facts cannot answer (``reads_months``: days, a village) reads the daily facts of the period. So a year of a
    city is a few hundred or thousand rows however many matters lie behind it, and a month ending today reads
    the daily facts of its first month's first days at most."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}

    def add(key: tuple[Any, ...], row: dict[str, Any], sign: int) -> None:
        slot = out.setdefault(key, dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            slot[m] += sign * int(row[m] or 0)

    # A county's or city's places are named by town whichever facts are read, so the keys do not change with the
    # period; a town's are its villages (read from the daily facts).
    if depth is None:
        depth = 9 if len(region) <= 6 else 12
    day_model, day_place = days_of(region, keys, depth, filters)
    wanted = given(filters)
    if day_model is DistrictDayFact:
        # A few rows a day (one per county): the whole period from the district days, fewer rows than its months'
        # items, topics and channels in the district months.
        how = Plan(None, (period,))
    else:
        how = plan(period) if reads_months(region, keys) else Plan(None, (period,))
    # The database cuts the region to ``depth`` and the day to its month, so that it sends one row per place and
    # month, not one per village and day.
    daily = tuple(_DAILY_KEYS.get(k, k) for k in keys)
    totals_of = {m: Sum(m) for m in MEASURES}
    for parts, sign in ((how.add, 1), (how.subtract, -1)):
        if not parts:
            continue
        qs = day_model.objects.filter(_days_q(parts), region_q(day_place, region))
        qs = qs.filter(**wanted)
        if not keys:
            add((), qs.aggregate(**totals_of), sign)
            continue
        qs = qs.annotate(place=Substr(day_place, 1, depth), month=TruncMonth("day"))
        for found in qs.values(*daily).annotate(**totals_of).order_by():
            row: dict[str, Any] = dict(found)
            add(tuple(row[k] for k in daily), row, sign)
    if how.months is not None:
        if reads_districts(region, keys, depth, filters):
            model: type[DistrictMonthFact | DistrictUnitMonthFact | MonthFact] = DistrictMonthFact
            place = "district"
        elif reads_unit_districts(region, keys, depth, filters):
            model, place = DistrictUnitMonthFact, "district"
        else:
            model, place = MonthFact, "area"
        monthly = tuple(place if k == "region_id" else k for k in keys)
        first, last = how.months
        qs_m = model.objects.filter(codes.under(place, region), month__gte=first, month__lte=last)
        qs_m = qs_m.filter(**wanted)
        if not keys:
            add((), qs_m.aggregate(**totals_of), 1)
        else:
            for found in qs_m.values(*monthly).annotate(**totals_of):
                row = dict(found)
                add(tuple(row[k][:depth] if k == place else row[k] for k in monthly), row, 1)
    return {k: v for k, v in out.items() if any(v.values())}


def grouped_each(region: str, period: Period, fields: tuple[str, ...], **filters: Any) -> dict[str, Grouped]:
    """``grouped(region, period, (field,))`` for each of ``fields`` (of ``MIX_FIELDS``: columns every fact table
    has), read together: on PostgreSQL one query per part of the plan (the days added, the days taken away, the
    months) with GROUPING SETS, so that the facts are read once for all the fields; elsewhere one ``grouped`` per
    field."""
    if not set(fields) <= set(MIX_FIELDS.values()):
        raise ValueError(fields)
    if connection.vendor != "postgresql" or len(fields) < 2:
        return {f: grouped(region, period, (f,), **filters) for f in fields}
    wanted = given(filters)
    how = plan(period) if reads_months(region, fields) else Plan(None, (period,))
    parts: list[tuple[QuerySet[Any], int]] = []
    for days, sign in ((how.add, 1), (how.subtract, -1)):
        if days:
            daily = DailyFact.objects.filter(_days_q(days), region_q("region_id", region)).filter(**wanted)
            parts.append((daily, sign))
    if how.months is not None:
        if reads_districts(region, fields, 9, filters):
            months: QuerySet[Any] = DistrictMonthFact.objects.filter(codes.under("district", region))
        else:
            months = MonthFact.objects.filter(codes.under("area", region))
        first, last = how.months
        parts.append((months.filter(month__gte=first, month__lte=last).filter(**wanted), 1))
    out: dict[str, Grouped] = {f: {} for f in fields}
    n = len(fields)
    sets = ", ".join(f"({f})" for f in fields)
    flags = ", ".join(f"GROUPING({f})" for f in fields)
    sums_sql = ", ".join(f"SUM({m})" for m in MEASURES)
    for qs, sign in parts:
        inner, params = qs.values(*fields, *MEASURES).query.sql_with_params()
        # The names are MIX_FIELDS' and MEASURES' (checked above); the values go in as the inner query's parameters.
        sql = f"SELECT {', '.join(fields)}, {flags}, {sums_sql} FROM ({inner}) f GROUP BY GROUPING SETS ({sets})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for row in rows:
            i = row[n : 2 * n].index(0)  # the field this row is grouped by
            slot = out[fields[i]].setdefault((row[i],), dict.fromkeys(MEASURES, 0))
            for m, value in zip(MEASURES, row[2 * n :], strict=True):
                slot[m] += sign * int(value or 0)
    return {f: {k: v for k, v in got.items() if any(v.values())} for f, got in out.items()}


# A daily fact's key as the coarser facts have it: its region cut to the depth asked for, its day's month.
_DAILY_KEYS = {"region_id": "place", "month": "month"}


def sums(region: str, period: Period, **filters: Any) -> dict[str, int]:
    """The region's totals over the period (monthly facts for the whole months)."""
    return grouped(region, period, **filters).get((), dict.fromkeys(MEASURES, 0))


def _sums(qs: QuerySet[DailyFact]) -> dict[str, int]:
    got = qs.aggregate(**{m: Sum(m) for m in MEASURES})
    return {m: int(v or 0) for m, v in got.items()}


def with_rates(counts: dict[str, int]) -> dict[str, Any]:
    return {
        **counts,
        "on_time_rate": rate(counts["on_time"], counts["completed"]),
        "satisfaction": rate(counts["good"], counts["rated"]),
    }


def totals(region: str, period: Period, **filters: Any) -> dict[str, Any]:
    """This period's totals and rates, and the same period a year before."""
    now = with_rates(sums(region, period, **filters))
    before = with_rates(sums(region, period.year_before(), **filters))
    return {"now": now, "year_before": before}


def trend(region: str, period: Period, **filters: Any) -> dict[str, Any]:
    """Received, completed and overdue by day (periods up to 90 days) or by calendar month (longer ones: the whole
    months read from the monthly facts), with last year's received."""
    return trend_and_totals(region, period, **filters)[0]


def trend_and_totals(region: str, period: Period, **filters: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trend (``trend``) and the totals (``totals``) of the same period, the totals summed from the trend's
    days or months: the facts are read once for both."""
    if period.days <= 90:
        now, before = _by_day(region, (period, period.year_before()), filters)
        buckets = range(period.days)
        labels: list[str] = [(period.start + dt.timedelta(days=b)).isoformat() for b in buckets]
        step: int | str = 1
    else:
        now, before = _by_month(region, period, filters), _by_month(region, period.year_before(), filters)
        buckets = range(_month_index(period.end, period.start) + 1)
        first = period.start.replace(day=1)
        labels = []
        for b in buckets:
            month = dt.date(first.year + (first.month - 1 + b) // 12, (first.month - 1 + b) % 12 + 1, 1)
            labels.append(month.strftime("%Y-%m"))
        step = "month"
    shown = {
        "labels": labels,
        "step": step,
        "received": [now.get(b, {}).get("received", 0) for b in buckets],
        "completed": [now.get(b, {}).get("completed", 0) for b in buckets],
        "overdue": [now.get(b, {}).get("overdue", 0) for b in buckets],
        "received_year_before": [before.get(b, {}).get("received", 0) for b in buckets],
    }

    def summed(series: dict[int, dict[str, int]]) -> dict[str, Any]:
        got = dict.fromkeys(MEASURES, 0)
        for row in series.values():
            for m in MEASURES:
                got[m] += row[m]
        return with_rates(got)

    return shown, {"now": summed(now), "year_before": summed(before)}


def _month_index(day: dt.date, start: dt.date) -> int:
    return (day.year - start.year) * 12 + day.month - start.month


def _by_month(region: str, p: Period, filters: dict[str, Any]) -> dict[int, dict[str, int]]:
    """Every measure of each calendar month of ``p`` (numbered from its first), the whole months from the monthly
    facts."""
    out: dict[int, dict[str, int]] = {}
    for (month,), row in grouped(region, p, ("month",), **filters).items():
        out[_month_index(month, p.start)] = row
    return out


def _by_day(
    region: str, periods: tuple[Period, Period], filters: dict[str, Any]
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """Every measure of each day of each of two periods that do not overlap (numbered from the period's first day),
    from the daily facts (or the district days: ``days_of``) in one grouped read."""
    wanted = given(filters)
    day_model, day_place = days_of(region, ("day",), 9, filters)
    rows = (
        day_model.objects.filter(_days_q(periods), region_q(day_place, region))
        .filter(**wanted)
        .values("day")
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by()
    )
    out: tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]] = ({}, {})
    for found in rows:
        row: dict[str, Any] = dict(found)
        for p, series in zip(periods, out, strict=True):
            if p.start <= row["day"] <= p.end:
                series[(row["day"] - p.start).days] = {m: int(row[m] or 0) for m in MEASURES}
    return out


MIX_FIELDS = {"item": "service_item_id", "topic": "topic_id", "channel": "channel"}


def names(dimension: str) -> dict[Any, str]:
    if dimension == "item":
        return dict(ServiceItem.objects.values_list("pk", "name"))
    if dimension == "topic":
        return dict(Speciality.objects.values_list("pk", "name"))
    return {k: str(v) for k, v in Channel.choices}


def mix(region: str, period: Period, dimension: str, **filters: Any) -> list[dict[str, Any]]:
    """Received (and rates) by service item, topic or channel, largest first."""
    return _mix(dimension, grouped(region, period, (MIX_FIELDS[dimension],), **filters))


def mixes(region: str, period: Period, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    """``mix`` by item, topic and channel, the facts read together (``grouped_each``)."""
    found = grouped_each(region, period, tuple(MIX_FIELDS.values()), **filters)
    return {dimension: _mix(dimension, found[field]) for dimension, field in MIX_FIELDS.items()}


def _mix(dimension: str, found: Grouped) -> list[dict[str, Any]]:
    labels = names(dimension)
    rows = sorted(found.items(), key=lambda kv: (-kv[1]["received"], str(kv[0][0])))
    out = []
    for (key,), got in rows:
        if not any(got.values()):
            continue
        out.append(
            {
                "key": key if key is not None else "",
                "name": labels.get(key, "未分类") if key is not None else "未分类",
                **with_rates(got),
            }
        )
    return out


def sub_regions(region: str) -> list[Region]:
    return list(Region.objects.filter(parent_id=region).order_by("code"))


def ranking(region: str, period: Period, **filters: Any) -> list[dict[str, Any]]:
    """The sub-regions of ``region`` with their figures, per 10,000 residents where the census has them, most
    matters per resident (or most matters) first."""
    return ranking_and_sums(region, period, **filters)[0]


def ranking_and_sums(
    region: str, period: Period, **filters: Any
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The ranking (``ranking``) and the region's totals over the period (``sums``), the totals summed from the
    ranking's places (every fact lies in one): the facts are read once for both."""
    children = sub_regions(region)
    if not children:
        return [], sums(region, period, **filters)
    length = len(children[0].code)
    acc: dict[str, dict[str, int]] = {c.code: dict.fromkeys(MEASURES, 0) for c in children}
    total = dict.fromkeys(MEASURES, 0)
    for (code,), got in grouped(region, period, ("region_id",), length, **filters).items():
        for m in MEASURES:
            total[m] += got[m]
        slot = acc.get(code[:length])
        if slot is None:
            continue
        for m in MEASURES:
            slot[m] += got[m]
    out = []
    for c in children:
        counts = acc[c.code]
        per = round(counts["received"] / c.population * 10_000, 2) if c.population else None
        out.append(
            {"code": c.code, "name": c.name, "population": c.population, "per_10k": per, **with_rates(counts)}
        )
    out.sort(key=lambda r: (r["per_10k"] is None, -(r["per_10k"] or 0), -r["received"]))
    return out, total


def unit_ranking(region: str, period: Period, limit: int = 15, **filters: Any) -> list[dict[str, Any]]:
    """The units that handled the region's matters, most matters first; per 10,000 residents of the unit's own
    region where the census has it."""
    rows: list[dict[str, Any]] = [
        {"unit_id": key[0], **got}
        for key, got in sorted(
            grouped(region, period, ("unit_id",), **filters).items(),
            key=lambda kv: (-kv[1]["received"], kv[0][0]),
        )[:limit]
    ]
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).select_related("region")
    }
    out = []
    for row in rows:
        unit = units.get(row["unit_id"])
        if unit is None:
            continue
        counts = {m: int(row[m] or 0) for m in MEASURES}
        pop = unit.region.population
        per = round(counts["received"] / pop * 10_000, 2) if pop else None
        out.append(
            {
                "id": unit.pk,
                "name": unit.name,
                "region": unit.region.name,
                "per_10k": per,
                **with_rates(counts),
            }
        )
    return out


def public_by_district(regions: list[str], period: Period) -> list[dict[str, Any]]:
    """网上监督: counts, time limits kept and satisfaction by district/county (no personal data), and received per
    10,000 residents where the census has the population."""
    out = []
    for region in Region.objects.filter(code__in=regions).order_by("code"):
        got = with_rates(sums(region.code, period))
        pop = region.population
        per = round(got["received"] / pop * 10_000, 2) if pop else None
        out.append({"code": region.code, "name": region.name, "per_10k": per, **got})
    return out


def region_q(field: str, region: str) -> Q:
    return codes.under(field, region) if len(region) < 12 else Q(**{field: region})


# A cached page's figures are dropped after this long even if the facts have not changed, so that what they carry
# besides the facts (names of units and places, census populations) is never older than this.
CACHE_SECONDS = 3600


def facts_version() -> str:
    """The version the last rebuild or refresh of the facts wrote; "" before the first."""
    got = RollupState.objects.filter(name="facts").values_list("version", flat=True).first()
    return got or ""


# The figures are kept in this process too (``_LOCAL``: a repeat view then reads nothing but the version; not in the
# tests, ``_local_enabled``), and in the shared cache only when they took longer than this to compute: writing there costs about five queries where the
# shared cache is a table of the database, more than figures read from the monthly facts cost to compute again.
SHARED_MIN_SECONDS = 0.05
# How many pages' figures one process keeps at most (the oldest are dropped first).
LOCAL_ENTRIES = 512


class _Local:
    """The figures this process computed or read: key -> (version, expiry on the monotonic clock, pickled figures).
    Kept pickled, so that every view gets its own copy (as from the shared cache)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[str, float, bytes]] = OrderedDict()

    def get(self, key: str, version: str) -> tuple[bool, Any]:
        with self._lock:
            found = self._entries.get(key)
        if found is None or found[0] != version or found[1] < time.monotonic():
            return False, None
        return True, pickle.loads(found[2])  # noqa: S301 (pickled by this process)

    def set(self, key: str, version: str, value: Any) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._entries[key] = (version, time.monotonic() + CACHE_SECONDS, data)
            self._entries.move_to_end(key)
            while len(self._entries) > LOCAL_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_LOCAL = _Local()


def cached(name: str, region: str, period: Period, filters: dict[str, Any], compute: Callable[[], T]) -> T:
    """``compute()``, kept per (page, region, period, filters) with the facts' version it was computed under, and
    used only while that is still the version: in this process, and in the shared cache for figures that took a
    while to compute (``SHARED_MIN_SECONDS``) — one entry per page asked for, replaced after a refresh (not one
    more per version, which would crowd the shared cache's other entries out). The version is read first: a
    refresh that commits while the figures are computed leaves them under the older version, which no later view
    takes. Without a version (the facts never built) nothing is kept."""
    version = facts_version()
    if not version:
        return compute()
    wanted = ",".join(f"{k}={v}" for k, v in sorted(given(filters).items()))
    key = f"insights:{name}:{region}:{period.start.isoformat()}:{period.end.isoformat()}:{wanted}"
    local = _local_enabled()
    if local:
        hit, value = _LOCAL.get(key, version)
        if hit:
            return cast(T, value)
    found: tuple[str, T] | None = cache.get(key)
    if found is not None and found[0] == version:
        if local:
            _LOCAL.set(key, version, found[1])
        return found[1]
    started = time.monotonic()
    computed = compute()
    if not local or time.monotonic() - started >= SHARED_MIN_SECONDS:
        cache.set(key, (version, computed), CACHE_SECONDS)
    if local:
        _LOCAL.set(key, version, computed)
    return computed


def _local_enabled() -> bool:
    """Whether this process keeps figures (``_LOCAL``): not where REFERENCE_CACHE_SECONDS is 0 (the tests, which
    clear the shared cache to make a page compute its figures), as the catalogue's copy."""
    return memo.seconds() > 0


def forget() -> None:
    """Drop this process's figures (tests)."""
    _LOCAL.clear()
