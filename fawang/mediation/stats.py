"""调解统计: per committee the user reaches, and per district, over a period — disputes screened, warnings raised
and lowered, cases by source and type, agreements, success rate (agreements ÷ cases closed), performance rate
(follow-ups finding the agreement performed ÷ follow-ups done), judicial confirmations and average days to close.
Excel export with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.lib import xlsx
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from .choices import CaseSource, DisputeType
from .models import Agreement, Case, FollowUp, RiskWarning, Screening


@dataclass
class Row:
    name: str
    region: str = ""
    screened: int = 0
    warnings: int = 0
    warnings_lowered: int = 0
    cases: int = 0
    closed: int = 0
    agreements: int = 0
    follow_ups_done: int = 0
    performed: int = 0
    confirmed: int = 0
    days_total: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)

    @property
    def success_rate(self) -> float | None:
        return round(self.agreements / self.closed * 100, 1) if self.closed else None

    @property
    def performance_rate(self) -> float | None:
        return round(self.performed / self.follow_ups_done * 100, 1) if self.follow_ups_done else None

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.closed, 1) if self.closed else None

    def add(self, other: Row) -> None:
        for name in (
            "screened",
            "warnings",
            "warnings_lowered",
            "cases",
            "closed",
            "agreements",
            "follow_ups_done",
            "performed",
            "confirmed",
            "days_total",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_source.update(other.by_source)
        self.by_type.update(other.by_type)


@dataclass
class Table:
    committees: list[Row]
    regions: list[Row]
    total: Row


def _in(moment: dt.datetime, start: dt.date, end: dt.date) -> bool:
    return start <= timezone.localdate(moment) <= end


def _count_cases(rows: dict[int, Row], start: dt.date, end: dt.date) -> None:
    """Cases opened in the period (by source and dispute type) and closed in it (days taken, agreements)."""
    cases = Case.objects.filter(unit_id__in=list(rows)).values(
        "pk", "unit_id", "source", "dispute_type", "status", "opened_at", "closed_at"
    )
    for c in cases:
        row = rows[c["unit_id"]]
        if _in(c["opened_at"], start, end):
            row.cases += 1
            row.by_source[c["source"]] += 1
            row.by_type[c["dispute_type"]] += 1
        if c["closed_at"] and _in(c["closed_at"], start, end):
            row.closed += 1
            row.days_total += (timezone.localdate(c["closed_at"]) - timezone.localdate(c["opened_at"])).days
            if c["status"] == Case.Status.AGREED:
                row.agreements += 1


def compute(user: Any, start: dt.date, end: dt.date) -> Table:
    units = {
        u.pk: u
        for u in Unit.objects.visible_to(user).filter(kind=Unit.Kind.MEDIATION).select_related("region")
    }
    rows = {pk: Row(u.name, u.region_id) for pk, u in units.items()}
    ids = list(units)
    for s in Screening.objects.filter(unit_id__in=ids, screened_on__range=(start, end)).values("unit_id"):
        rows[s["unit_id"]].screened += 1
    for w in RiskWarning.objects.filter(unit_id__in=ids).values("unit_id", "raised_at", "lowered_at"):
        if _in(w["raised_at"], start, end):
            rows[w["unit_id"]].warnings += 1
        if w["lowered_at"] and _in(w["lowered_at"], start, end):
            rows[w["unit_id"]].warnings_lowered += 1
    _count_cases(rows, start, end)
    for a in Agreement.objects.filter(
        case__unit_id__in=ids,
        confirmation=Agreement.Confirmation.CONFIRMED,
        confirmation_decided_on__range=(start, end),
    ).values("case__unit_id"):
        rows[a["case__unit_id"]].confirmed += 1
    for f in FollowUp.objects.filter(agreement__case__unit_id__in=ids, done_at__isnull=False).values(
        "agreement__case__unit_id", "done_at", "result"
    ):
        if f["done_at"] is not None and _in(f["done_at"], start, end):
            row = rows[f["agreement__case__unit_id"]]
            row.follow_ups_done += 1
            row.performed += f["result"] == FollowUp.Result.PERFORMED
    # Districts (县级区划): every committee counts under the county its region lies in.
    county_codes = {pk: u.region_id[:6] for pk, u in units.items()}
    names = dict(Region.objects.filter(code__in=set(county_codes.values())).values_list("code", "name"))
    regions: dict[str, Row] = defaultdict(lambda: Row(""))
    total = Row(_("合计"))
    for pk, row in rows.items():
        code = county_codes[pk]
        region = regions[code]
        region.name, region.region = names.get(code, code), code
        region.add(row)
        total.add(row)
    # Warnings a 司法所 or 司法局 raised at itself (not at a committee) count in their district and the total.
    others = (
        RiskWarning.objects.visible_to(user)
        .exclude(unit__kind=Unit.Kind.MEDIATION)
        .values("region_id", "raised_at", "lowered_at")
    )
    for other in others:
        code = other["region_id"][:6]
        raised = _in(other["raised_at"], start, end)
        lowered = other["lowered_at"] is not None and _in(other["lowered_at"], start, end)
        if not (raised or lowered):
            continue
        region = regions[code]
        if not region.region:
            region.name = Region.objects.filter(code=code).values_list("name", flat=True).first() or code
            region.region = code
        for row in (region, total):
            row.warnings += raised
            row.warnings_lowered += lowered
    ordered = sorted(rows.values(), key=lambda r: (r.region, r.name))
    return Table(ordered, sorted(regions.values(), key=lambda r: r.region), total)


HEAD = [
    _("名称"),
    _("区划代码"),
    _("排查纠纷"),
    _("发出预警"),
    _("解除预警"),
    _("受理案件"),
    _("结案"),
    _("调解成功"),
    _("调解成功率(%)"),
    _("回访"),
    _("已履行"),
    _("履行率(%)"),
    _("司法确认"),
    _("平均办理天数"),
]


def _cells(row: Row) -> list[Any]:
    return [
        row.name,
        row.region,
        row.screened,
        row.warnings,
        row.warnings_lowered,
        row.cases,
        row.closed,
        row.agreements,
        row.success_rate,
        row.follow_ups_done,
        row.performed,
        row.performance_rate,
        row.confirmed,
        row.average_days,
    ]


def to_excel(table: Table, start: dt.date, end: dt.date) -> bytes:
    head = [str(h) for h in HEAD]
    kinds: list[list[Any]] = [[_("分类"), _("项目"), _("案件数")]]
    kinds += [
        [_("案件来源"), str(label), table.total.by_source.get(code, 0)] for code, label in CaseSource.choices
    ]
    kinds += [
        [_("纠纷类型"), str(label), table.total.by_type.get(code, 0)] for code, label in DisputeType.choices
    ]
    return xlsx.workbook(
        [
            xlsx.Sheet(
                _("按调委会"),
                [
                    [_("人民调解统计 %(start)s 至 %(end)s") % {"start": start, "end": end}],
                    head,
                    *(_cells(row) for row in [*table.committees, table.total]),
                ],
            ),
            xlsx.Sheet(_("按区县"), [head, *(_cells(row) for row in [*table.regions, table.total])]),
            xlsx.Sheet(_("按来源和类型"), kinds),
        ]
    )
