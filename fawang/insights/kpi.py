"""The KPI board (考核): the seeds' indicators of a region, computed live, each with its target and the places under
the region that miss it.

| indicator | how | target |
|---|---|---|
| 乡镇（街道）公共法律服务工作站覆盖率 | towns with an active 工作站 ÷ towns | 100% |
| 村（居）公共法律服务工作室覆盖率 | villages with an active 工作室 ÷ villages | 100% |
| 一村（居）一法律顾问覆盖率 | villages with a current advisor ÷ villages | 100% |
| 每万名常住人口专业法律服务人员数 | practising lawyers, notaries, appraisers and grassroots legal service workers at units of the region ÷ census population × 10,000 (counties and cities: towns have no census figure here) | ≥ 1.5 |
| 按时办结率 | on time ÷ completed (daily facts) | ≥ 95% |
| 满意率 | good ÷ rated (daily facts) | ≥ 95% |
| 差评回访完成率 | 差评回访 tasks of the period done ÷ those due by now | 100% |
| the lines' indicators (社区矫正, 安置帮教, 12348 热线, 人民调解 …) | registered by each line (``lines``) | the line's |

The coverage and staff targets are the seeds' (三级平台全覆盖, 一村（居）一法律顾问, 每万名人口拥有专业法律服务人员
1.5 名以上); the time-limit and satisfaction targets are this platform's defaults (``TARGETS``), a bureau's own may
differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fawang.matters.models import Callback
from fawang.orgs.models import AdvisorAssignment, Practitioner, Unit
from fawang.regions.models import Region

from . import figures, lines

Figure = lines.Figure
Places = dict[str, Figure]  # indicator -> figure
PerPlace = dict[str, Places]  # place code -> its indicators

PROFESSIONAL_KINDS = (
    Practitioner.Kind.LAWYER,
    Practitioner.Kind.NOTARY,
    Practitioner.Kind.APPRAISER,
    Practitioner.Kind.GRASSROOTS_WORKER,
)
TARGETS = {
    "station_coverage": 1.0,
    "room_coverage": 1.0,
    "advisor_coverage": 1.0,
    "staff_per_10k": 1.5,
    "on_time_rate": 0.95,
    "satisfaction": 0.95,
    "callbacks_done": 1.0,
}
NAMES = {
    "station_coverage": "乡镇（街道）公共法律服务工作站覆盖率",
    "room_coverage": "村（居）公共法律服务工作室覆盖率",
    "advisor_coverage": "一村（居）一法律顾问覆盖率",
    "staff_per_10k": "每万名常住人口专业法律服务人员数",
    "on_time_rate": "按时办结率",
    "satisfaction": "满意率（好评 ÷ 评价）",
    "callbacks_done": "差评回访完成率",
}
# The one of these not counted as a percentage.
NOT_PERCENT = {"staff_per_10k"}


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    target: float
    percent: bool = True
    ceiling: bool = False  # less is better: the target is the most allowed (脱管率 0)


def definitions() -> list[Definition]:
    """This app's indicators, then the lines' (registered in ``fawang.lib.supervision``)."""
    own = [Definition(k, NAMES[k], t, k not in NOT_PERCENT) for k, t in TARGETS.items()]
    return own + [
        Definition(s.key, str(s.label), s.target, s.percent, s.lower_is_better) for s in lines.sources()
    ]


def _under(field: str, code: str) -> Q:
    return figures.region_q(field, code)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _station_tally(code: str) -> lines.Tally:
    towns = Region.objects.filter(_under("code", code), level=Region.Level.TOWN)
    stations = Unit.objects.filter(kind=Unit.Kind.STATION, is_active=True).values("region_id")
    return lines.Tally(towns, Q(code__in=stations), "code")


def _room_tally(code: str) -> lines.Tally:
    villages = Region.objects.filter(_under("code", code), level=Region.Level.VILLAGE)
    rooms = Unit.objects.filter(kind=Unit.Kind.ROOM, is_active=True).values("region_id")
    return lines.Tally(villages, Q(code__in=rooms), "code")


def _advisor_tally(code: str, on: dt.date | None = None) -> lines.Tally:
    villages = Region.objects.filter(_under("code", code), level=Region.Level.VILLAGE)
    current = AdvisorAssignment.objects.current()
    if on is not None:
        current = AdvisorAssignment.objects.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )
    return lines.Tally(villages, Q(code__in=current.values("region_id")), "code")


def station_coverage(code: str) -> Figure:
    return _station_tally(code).figure()


def room_coverage(code: str) -> Figure:
    return _room_tally(code).figure()


def advisor_coverage(code: str, on: dt.date | None = None) -> Figure:
    return _advisor_tally(code, on).figure()


def _staff(code: str) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(
        _under("unit__region_id", code),
        kind__in=PROFESSIONAL_KINDS,
        licence_status=Practitioner.LicenceStatus.PRACTISING,
    )


def _per_10k(staff: int, population: int | None) -> Figure:
    population = population or 0
    return (staff / population * 10_000 if population else None), staff, population


def staff_per_10k(code: str) -> Figure:
    region = Region.objects.filter(code=code).only("population").first()
    return _per_10k(_staff(code).count(), region.population if region else None)


def _rates_by_place(code: str, period: figures.Period, length: int | None) -> tuple[Places, PerPlace]:
    """按时办结率 and 满意率 of the region and of each place (codes cut to ``length``), from one read of the facts
    grouped by region (kept in the cache under the facts' version, like the dashboard's figures; the board's
    other indicators are counted live)."""
    own = dict.fromkeys(("on_time", "completed", "good", "rated"), 0)
    per: dict[str, dict[str, int]] = {}
    keys: tuple[str, ...] = ("region_id",) if length else ()
    found = figures.cached(
        "kpi", code, period, {"depth": length}, lambda: figures.grouped(code, period, keys, length)
    )
    for key, got in found.items():
        slots = [own]
        if length:
            slots.append(per.setdefault(key[0][:length], dict.fromkeys(own, 0)))
        for slot in slots:
            for m in slot:
                slot[m] += got[m]

    def figs(g: dict[str, int]) -> dict[str, Figure]:
        return {
            "on_time_rate": (_ratio(g["on_time"], g["completed"]), g["on_time"], g["completed"]),
            "satisfaction": (_ratio(g["good"], g["rated"]), g["good"], g["rated"]),
        }

    return figs(own), {place: figs(g) for place, g in per.items()}


def rates(code: str, period: figures.Period) -> dict[str, Figure]:
    return _rates_by_place(code, period, None)[0]


def _callbacks_tally(code: str, period: figures.Period, now: dt.datetime | None = None) -> lines.Tally:
    """差评回访 opened in the period and due by now: how many were done."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(period.start, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    due = Callback.objects.filter(
        _under("matter__region_id", code),
        reason=Callback.Reason.BAD_RATING,
        created_at__gte=lo,
        created_at__lt=hi,
        due_at__lte=now,
    )
    return lines.Tally(due, Q(done_at__isnull=False), "matter__region_id")


def callbacks_done(code: str, period: figures.Period, now: dt.datetime | None = None) -> Figure:
    return _callbacks_tally(code, period, now).figure()


def _tallies(code: str, period: figures.Period) -> dict[str, lines.Tally]:
    """The indicators counted as part ÷ whole of rows under the region: this app's, then the lines'."""
    found = {
        "station_coverage": _station_tally(code),
        "room_coverage": _room_tally(code),
        "advisor_coverage": _advisor_tally(code),
        "callbacks_done": _callbacks_tally(code, period),
    }
    for source in lines.sources():
        found[source.key] = lines.tally(source, code, period)
    return found


NO_RATES: dict[str, Figure] = {"on_time_rate": (None, 0, 0), "satisfaction": (None, 0, 0)}
# Below a town the places are villages: only the coverage indicators name them.
VILLAGE_INDICATORS = ("room_coverage", "advisor_coverage")


# The professional staff counted like the other indicators (``whole``: every practitioner that counts).
STAFF = "staff_per_10k"


def measure_places(code: str, period: figures.Period, places: list[Region]) -> tuple[Places, PerPlace]:
    """Every indicator of region ``code``, and of each of ``places`` (the regions directly under it), in one query
    for all the counted indicators (``lines.count_together``) and one for the rates, however many places there
    are."""
    length = len(places[0].code) if places else None
    per: PerPlace = {p.code: {} for p in places}
    village_level = length is not None and length > 9
    tallies = _tallies(code, period)
    tallies[STAFF] = lines.Tally(_staff(code), Q(pk__isnull=False), "unit__region_id")
    # By place, or for the region alone (every row lies under its code: one group).
    by_place: set[str] = set()
    if length is not None:
        by_place = set(VILLAGE_INDICATORS) if village_level else set(tallies)
    counted = lines.count_together(
        {key: (tally, length if key in by_place and length else len(code)) for key, tally in tallies.items()}
    )
    own: Places = {}
    for key, (figure, found) in counted.items():
        own[key] = figure
        if key in by_place and key != STAFF:
            for place in per:
                per[place][key] = found.get(place, (None, 0, 0))
    region = next((p.parent for p in places[:1]), None) or Region.objects.filter(code=code).first()
    staff, staff_places = counted[STAFF]
    own[STAFF] = _per_10k(staff[2], region.population if region else None)
    if STAFF in by_place:
        for p in places:
            per[p.code][STAFF] = _per_10k(staff_places.get(p.code, (None, 0, 0))[2], p.population)
    rate_own, rate_per = _rates_by_place(code, period, None if village_level else length)
    own.update(rate_own)
    if not village_level:
        for place in per:
            per[place].update(rate_per.get(place) or NO_RATES)
    return own, per


def measure(code: str, period: figures.Period) -> dict[str, Figure]:
    return measure_places(code, period, [])[0]


def met(definition: Definition, value: float | None) -> bool | None:
    if value is None:
        return None
    if definition.ceiling:
        return value <= definition.target + 1e-9
    return value >= definition.target - 1e-9


@dataclass
class Indicator:
    key: str
    name: str
    target: float
    value: float | None
    part: int
    whole: int
    met: bool | None
    misses: list[dict[str, Any]] = field(default_factory=list)
    percent: bool = True
    ceiling: bool = False  # the target is a ceiling (脱管率 0): the board writes ≤ before it


def board(code: str, period: figures.Period) -> list[Indicator]:
    """Every indicator for region ``code``, and the places directly under it that miss each target. The number of
    queries does not grow with the number of places (the counted indicators in one query, ``measure_places``)."""
    children = list(Region.objects.filter(parent_id=code).select_related("parent").order_by("code"))
    own, per_child = measure_places(code, period, children)
    names = {c.code: c.name for c in children}
    out = []
    for d in definitions():
        key = d.key
        value, part, whole = own[key]
        ind = Indicator(
            key, d.name, d.target, value, part, whole, met(d, value), percent=d.percent, ceiling=d.ceiling
        )
        for child, values in per_child.items():
            if key not in values:
                continue
            v, p, w = values[key]
            if met(d, v) is False:
                ind.misses.append({"code": child, "name": names[child], "value": v, "part": p, "whole": w})
        out.append(ind)
    return out
