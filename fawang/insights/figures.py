"""The dashboard's figures, read from the daily facts only (never from the matters): totals and rates of a region
over a period and the same period a year before, the trend, the mix by item/topic/channel, and the ranking of the
sub-regions and units (per 10,000 residents where the census gives the population: counties and cities).

满意率 = good ÷ rated; 按时办结率 = on time ÷ completed; both None when nothing was rated / completed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from fawang.catalog.models import Channel, ServiceItem
from fawang.lib import codes
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region

from .models import DailyFact
from .rollup import MEASURES

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


def facts(region: str, period: Period, **filters: Any) -> QuerySet[DailyFact]:
    qs = DailyFact.objects.filter(day__gte=period.start, day__lte=period.end)
    qs = qs.filter(region_q("region_id", region))
    return qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


def _sums(qs: QuerySet[DailyFact]) -> dict[str, int]:
    got = qs.aggregate(**{m: Sum(m) for m in MEASURES})
    return {m: int(v or 0) for m, v in got.items()}


def with_rates(sums: dict[str, int]) -> dict[str, Any]:
    return {
        **sums,
        "on_time_rate": rate(sums["on_time"], sums["completed"]),
        "satisfaction": rate(sums["good"], sums["rated"]),
    }


def totals(region: str, period: Period, **filters: Any) -> dict[str, Any]:
    """This period's totals and rates, and the same period a year before."""
    now = with_rates(_sums(facts(region, period, **filters)))
    before = with_rates(_sums(facts(region, period.year_before(), **filters)))
    return {"now": now, "year_before": before}


def trend(region: str, period: Period, **filters: Any) -> dict[str, Any]:
    """Received, completed and overdue by day (periods up to 90 days) or by week, with last year's received."""
    step = 1 if period.days <= 90 else 7

    def series(p: Period) -> dict[int, dict[str, int]]:
        rows = (
            facts(region, p, **filters)
            .values("day")
            .annotate(received=Sum("received"), completed=Sum("completed"), overdue=Sum("overdue"))
        )
        out: dict[int, dict[str, int]] = {}
        for found in rows:
            row: dict[str, Any] = dict(found)
            bucket = (row["day"] - p.start).days // step
            slot = out.setdefault(bucket, {"received": 0, "completed": 0, "overdue": 0})
            for k in slot:
                slot[k] += int(row[k] or 0)
        return out

    now, before = series(period), series(period.year_before())
    buckets = range((period.days + step - 1) // step)
    return {
        "labels": [(period.start + dt.timedelta(days=b * step)).isoformat() for b in buckets],
        "step": step,
        "received": [now.get(b, {}).get("received", 0) for b in buckets],
        "completed": [now.get(b, {}).get("completed", 0) for b in buckets],
        "overdue": [now.get(b, {}).get("overdue", 0) for b in buckets],
        "received_year_before": [before.get(b, {}).get("received", 0) for b in buckets],
    }


MIX_FIELDS = {"item": "service_item_id", "topic": "topic_id", "channel": "channel"}


def names(dimension: str) -> dict[Any, str]:
    if dimension == "item":
        return dict(ServiceItem.objects.values_list("pk", "name"))
    if dimension == "topic":
        return dict(Speciality.objects.values_list("pk", "name"))
    return {k: str(v) for k, v in Channel.choices}


def mix(region: str, period: Period, dimension: str, **filters: Any) -> list[dict[str, Any]]:
    """Received (and rates) by service item, topic or channel, largest first."""
    field = MIX_FIELDS[dimension]
    labels = names(dimension)
    rows = (
        facts(region, period, **filters)
        .values(field)
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by("-received")
    )
    out = []
    for row in rows:
        key = row[field]
        sums = {m: int(row[m] or 0) for m in MEASURES}
        if not any(sums.values()):
            continue
        out.append(
            {
                "key": key if key is not None else "",
                "name": labels.get(key, "未分类") if key is not None else "未分类",
                **with_rates(sums),
            }
        )
    return out


def sub_regions(region: str) -> list[Region]:
    return list(Region.objects.filter(parent_id=region).order_by("code"))


def ranking(region: str, period: Period, **filters: Any) -> list[dict[str, Any]]:
    """The sub-regions of ``region`` with their figures, per 10,000 residents where the census has them, most
    matters per resident (or most matters) first."""
    children = sub_regions(region)
    if not children:
        return []
    length = len(children[0].code)
    acc: dict[str, dict[str, int]] = {c.code: dict.fromkeys(MEASURES, 0) for c in children}
    rows = facts(region, period, **filters).values("region_id").annotate(**{m: Sum(m) for m in MEASURES})
    for found in rows:
        row: dict[str, Any] = dict(found)
        slot = acc.get(row["region_id"][:length])
        if slot is None:
            continue
        for m in MEASURES:
            slot[m] += int(row[m] or 0)
    out = []
    for c in children:
        sums = acc[c.code]
        per = round(sums["received"] / c.population * 10_000, 2) if c.population else None
        out.append(
            {"code": c.code, "name": c.name, "population": c.population, "per_10k": per, **with_rates(sums)}
        )
    out.sort(key=lambda r: (r["per_10k"] is None, -(r["per_10k"] or 0), -r["received"]))
    return out


def unit_ranking(region: str, period: Period, limit: int = 15, **filters: Any) -> list[dict[str, Any]]:
    """The units that handled the region's matters, most matters first; per 10,000 residents of the unit's own
    region where the census has it."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in facts(region, period, **filters)
        .values("unit_id")
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by("-received")[:limit]
    ]
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).select_related("region")
    }
    out = []
    for row in rows:
        unit = units.get(row["unit_id"])
        if unit is None:
            continue
        sums = {m: int(row[m] or 0) for m in MEASURES}
        pop = unit.region.population
        per = round(sums["received"] / pop * 10_000, 2) if pop else None
        out.append(
            {"id": unit.pk, "name": unit.name, "region": unit.region.name, "per_10k": per, **with_rates(sums)}
        )
    return out


def public_by_district(regions: list[str], period: Period) -> list[dict[str, Any]]:
    """网上监督: counts, time limits kept and satisfaction by district/county (no personal data)."""
    out = []
    for region in Region.objects.filter(code__in=regions).order_by("code"):
        sums = with_rates(_sums(facts(region.code, period)))
        out.append({"code": region.code, "name": region.name, **sums})
    return out


def region_q(field: str, region: str) -> Q:
    return codes.under(field, region) if len(region) < 12 else Q(**{field: region})
