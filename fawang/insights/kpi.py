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
| the lines' indicators (社区矫正, 安置帮教, 12348 热线, 人民调解) | see ``lines`` | see ``lines`` |

The coverage and staff targets are the seeds' (三级平台全覆盖, 一村（居）一法律顾问, 每万名人口拥有专业法律服务人员
1.5 名以上); the time-limit and satisfaction targets are this platform's defaults (``TARGETS``), a bureau's own may
differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from fawang.matters.models import Callback
from fawang.orgs.models import AdvisorAssignment, Practitioner, Unit
from fawang.regions.models import Region

from . import figures, lines

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
    "corrections_items": 1.0,
    "corrections_lost": 0.0,
    "key_connected": 1.0,
    "general_connected": 0.7,
    "placement": 0.95,
    "hotline_answer_rate": 0.9,
    "hotline_callbacks": 0.95,
    "mediation_success": 0.9,
}
# Indicators where less is better (the target is a ceiling).
LOWER_IS_BETTER = {"corrections_lost"}
NAMES = {
    "station_coverage": "乡镇（街道）公共法律服务工作站覆盖率",
    "room_coverage": "村（居）公共法律服务工作室覆盖率",
    "advisor_coverage": "一村（居）一法律顾问覆盖率",
    "staff_per_10k": "每万名常住人口专业法律服务人员数",
    "on_time_rate": "按时办结率",
    "satisfaction": "满意率（好评 ÷ 评价）",
    "callbacks_done": "差评回访完成率",
    "corrections_items": "社区矫正监管事项按时完成率（日定位、周听声、月走访）",
    "corrections_lost": "社区矫正对象脱管率",
    "key_connected": "重点帮教对象衔接率",
    "general_connected": "一般帮教对象衔接率",
    "placement": "刑满释放人员安置率",
    "hotline_answer_rate": "12348 热线接通率",
    "hotline_callbacks": "热线回拨及时率",
    "mediation_success": "人民调解成功率",
}
PERCENT = {
    "station_coverage",
    "room_coverage",
    "advisor_coverage",
    "on_time_rate",
    "satisfaction",
    "callbacks_done",
    "corrections_items",
    "corrections_lost",
    "key_connected",
    "general_connected",
    "placement",
    "hotline_answer_rate",
    "hotline_callbacks",
    "mediation_success",
}


def _under(field: str, code: str) -> Q:
    return figures.region_q(field, code)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def station_coverage(code: str) -> tuple[float | None, int, int]:
    towns = Region.objects.filter(_under("code", code), level=Region.Level.TOWN)
    covered = towns.filter(
        code__in=Unit.objects.filter(kind=Unit.Kind.STATION, is_active=True).values("region_id")
    ).count()
    total = towns.count()
    return _ratio(covered, total), covered, total


def room_coverage(code: str) -> tuple[float | None, int, int]:
    villages = Region.objects.filter(_under("code", code), level=Region.Level.VILLAGE)
    covered = villages.filter(
        code__in=Unit.objects.filter(kind=Unit.Kind.ROOM, is_active=True).values("region_id")
    ).count()
    total = villages.count()
    return _ratio(covered, total), covered, total


def advisor_coverage(code: str, on: dt.date | None = None) -> tuple[float | None, int, int]:
    villages = Region.objects.filter(_under("code", code), level=Region.Level.VILLAGE)
    current = AdvisorAssignment.objects.current()
    if on is not None:
        current = AdvisorAssignment.objects.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )
    covered = villages.filter(code__in=current.values("region_id")).count()
    total = villages.count()
    return _ratio(covered, total), covered, total


def staff_per_10k(code: str) -> tuple[float | None, int, int]:
    region = Region.objects.filter(code=code).only("population").first()
    staff = Practitioner.objects.filter(
        _under("unit__region_id", code),
        kind__in=PROFESSIONAL_KINDS,
        licence_status=Practitioner.LicenceStatus.PRACTISING,
    ).count()
    population = region.population if region and region.population else 0
    return (staff / population * 10_000 if population else None), staff, population


def rates(code: str, period: figures.Period) -> dict[str, tuple[float | None, int, int]]:
    g = figures.sums(code, period)
    return {
        "on_time_rate": (_ratio(g["on_time"], g["completed"]), g["on_time"], g["completed"]),
        "satisfaction": (_ratio(g["good"], g["rated"]), g["good"], g["rated"]),
    }


def callbacks_done(
    code: str, period: figures.Period, now: dt.datetime | None = None
) -> tuple[float | None, int, int]:
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
    total = due.count()
    done = due.filter(done_at__isnull=False).count()
    return _ratio(done, total), done, total


def measure(code: str, period: figures.Period) -> dict[str, tuple[float | None, int, int]]:
    values = {
        "station_coverage": station_coverage(code),
        "room_coverage": room_coverage(code),
        "advisor_coverage": advisor_coverage(code),
        "staff_per_10k": staff_per_10k(code),
        **rates(code, period),
        "callbacks_done": callbacks_done(code, period),
        "corrections_items": lines.corrections_items_on_time(code, period),
        "corrections_lost": lines.corrections_lost(code),
        "key_connected": lines.resettlement_connected(code, period, key=True),
        "general_connected": lines.resettlement_connected(code, period, key=False),
        "placement": lines.resettlement_placement(code, period),
        "hotline_answer_rate": lines.hotline_answer_rate(code, period),
        "hotline_callbacks": lines.hotline_callbacks_on_time(code, period),
        "mediation_success": lines.mediation_success(code, period),
    }
    return values


def met(key: str, value: float | None) -> bool | None:
    if value is None:
        return None
    if key in LOWER_IS_BETTER:
        return value <= TARGETS[key] + 1e-9
    return value >= TARGETS[key] - 1e-9


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

    @property
    def percent(self) -> bool:
        return self.key in PERCENT

    @property
    def ceiling(self) -> bool:
        """The target is a ceiling (脱管率 0): the board writes ≤ before it."""
        return self.key in LOWER_IS_BETTER


def board(code: str, period: figures.Period) -> list[Indicator]:
    """Every indicator for region ``code``, and the places directly under it that miss each target."""
    own = measure(code, period)
    children = list(Region.objects.filter(parent_id=code).order_by("code"))
    # Villages are many: below a town only the coverage and advisor indicators name them.
    per_child = {c.code: measure(c.code, period) for c in children} if len(code) < 9 else {}
    if len(code) == 9:
        per_child = {
            c.code: {
                "room_coverage": room_coverage(c.code),
                "advisor_coverage": advisor_coverage(c.code),
            }
            for c in children
        }
    names = {c.code: c.name for c in children}
    out = []
    for key in TARGETS:
        value, part, whole = own[key]
        ind = Indicator(key, NAMES[key], TARGETS[key], value, part, whole, met(key, value))
        for child, values in per_child.items():
            if key not in values:
                continue
            v, p, w = values[key]
            if met(key, v) is False:
                ind.misses.append({"code": child, "name": names[child], "value": v, "part": p, "whole": w})
        out.append(ind)
    return out
