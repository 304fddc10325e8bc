"""Monthly figures of the advisors' work (per advisor and village), the subsidy computed from confirmed work under
the dated rules, the payment export, advisor coverage per town and professional staff per 10,000 residents per
county. Read-only: everything here is computed from the records, in a few queries per page."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from fawang.lib import codes, xlsx
from fawang.orgs.models import AdvisorAssignment, Practitioner
from fawang.regions.models import Region

from .access import assignments_visible_to
from .actions import GRACE_DAYS, expected_days
from .models import MissedDay, ServiceDay, ServiceKind, SubsidyRule, WorkLog

if TYPE_CHECKING:
    from fawang.accounts.models import User

ZERO = Decimal("0.00")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]


class Rules:
    """The subsidy rules, loaded once: the rule for a village on a day is the one of the most specific region
    (county before city) whose ``effective_from`` is the latest not after the day."""

    def __init__(self, rules: list[SubsidyRule]) -> None:
        self.by_region: dict[str, list[SubsidyRule]] = defaultdict(list)
        for rule in sorted(rules, key=lambda r: r.effective_from, reverse=True):
            self.by_region[rule.region_id].append(rule)

    @classmethod
    def for_codes(cls, village_codes: set[str]) -> Rules:
        prefixes = {p for code in village_codes for p in _prefixes(code)}
        return cls(list(SubsidyRule.objects.filter(region_id__in=prefixes)))

    def rule_for(self, village: str, day: dt.date) -> SubsidyRule | None:
        for prefix in reversed(_prefixes(village)):
            for rule in self.by_region.get(prefix, []):
                if rule.effective_from <= day:
                    return rule
        return None


def log_amount(log: WorkLog, rule: SubsidyRule) -> Decimal:
    base = rule.per_fixed_day if log.kind == ServiceKind.FIXED else rule.per_roving_day
    return (
        base
        + rule.per_talk * log.talks
        + rule.per_mediation * log.disputes_mediated
        + rule.per_document * log.documents_reviewed
    ).quantize(ZERO)


@dataclass
class MonthRow:
    assignment: AdvisorAssignment
    scheduled: int = 0  # scheduled days already due (past the grace day)
    attended: int = 0  # of those, days with a work log
    missed: int = 0  # missed-day warnings of the month
    logs: int = 0
    confirmed: int = 0
    pending: int = 0
    disputed: int = 0
    hours: Decimal = ZERO
    consultations: int = 0
    disputes_mediated: int = 0
    documents_reviewed: int = 0
    talks: int = 0
    audience: int = 0
    subsidy: Decimal = ZERO
    capped: bool = False
    rule: SubsidyRule | None = None
    ratings: list[int] = field(default_factory=list)

    @property
    def compliance(self) -> int | None:
        """Per cent of the scheduled days (due so far) with a work log; None without a schedule."""
        return round(100 * self.attended / self.scheduled) if self.scheduled else None


def monthly(
    user: User, year: int, month: int, *, today: dt.date | None = None, region: str = ""
) -> list[MonthRow]:
    """One row per appointment (advisor × village) in force during the month, at rooms the user reaches."""
    today = today or timezone.localdate()
    start, end = month_bounds(year, month)
    due_until = min(end, today - dt.timedelta(days=GRACE_DAYS + 1))
    assignments = (
        AdvisorAssignment.objects.filter(assignments_visible_to(user))
        .filter(started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .select_related("practitioner__unit", "region__parent", "room")
        .order_by("region_id", "started_on")
    )
    if region:
        assignments = assignments.filter(codes.under("region_id", region))
    rows = {a.pk: MonthRow(a) for a in assignments}
    if not rows:
        return []
    days: dict[int, list[ServiceDay]] = defaultdict(list)
    for d in ServiceDay.objects.filter(assignment_id__in=rows):
        days[d.assignment_id].append(d)
    logs = list(WorkLog.objects.filter(assignment_id__in=rows, date__range=(start, end)).order_by("date"))
    logged = {(log.assignment_id, log.date) for log in logs}
    for mrow in rows.values():
        expected = expected_days(mrow.assignment, days[mrow.assignment.pk], start, due_until)
        mrow.scheduled = len(expected)
        mrow.attended = sum(1 for day in expected if (mrow.assignment.pk, day) in logged)
    for assignment_id, n in (
        MissedDay.objects.filter(assignment_id__in=rows, date__range=(start, end))
        .values_list("assignment_id")
        .annotate(n=Count("pk"))
    ):
        rows[assignment_id].missed = n
    rules = Rules.for_codes({r.assignment.region_id for r in rows.values()})
    for log in logs:
        mrow = rows[log.assignment_id]
        mrow.logs += 1
        if log.status == WorkLog.Status.SUBMITTED:
            mrow.pending += 1
        elif log.status == WorkLog.Status.DISPUTED:
            mrow.disputed += 1
        else:
            mrow.confirmed += 1
            mrow.hours += log.hours
            mrow.consultations += log.consultations
            mrow.disputes_mediated += log.disputes_mediated
            mrow.documents_reviewed += log.documents_reviewed
            mrow.talks += log.talks
            mrow.audience += log.audience
            if log.rating:
                mrow.ratings.append(log.rating)
            rule = rules.rule_for(log.region_id, log.date)
            if rule is not None:
                mrow.subsidy += log_amount(log, rule)
                mrow.rule = rule
    for mrow in rows.values():
        cap = mrow.rule.monthly_cap if mrow.rule else None
        if cap is not None and mrow.subsidy > cap:
            mrow.subsidy, mrow.capped = cap.quantize(ZERO), True
    return list(rows.values())


EXPORT_HEADERS = [
    "村（社区）",
    "乡镇（街道）",
    "法律顾问",
    "执业机构",
    "执业证号",
    "应到天数",
    "实到天数",
    "履职率（%）",
    "村委会确认次数",
    "待确认",
    "在村时长（小时）",
    "解答咨询（人次）",
    "参与调解（件）",
    "审查文件（份）",
    "法治讲座（场）",
    "补助金额（元）",
    "适用补助办法",
]


def export_xlsx(rows: list[MonthRow], year: int, month: int) -> bytes:
    """The month's subsidy sheet for payment (法律顾问工作补助发放表): one line per advisor and village, a total."""
    lines: list[Sequence[object]] = [
        [f"村（居）法律顾问工作补助发放表（{year}年{month}月，按村委会确认的服务计算）"],
        EXPORT_HEADERS,
    ]
    total = ZERO
    for r in rows:
        a = r.assignment
        rule = r.rule
        lines.append(
            [
                a.region.name,
                a.region.parent.name if a.region.parent else "",
                a.practitioner.name,
                a.practitioner.unit.name if a.practitioner.unit else "",
                a.practitioner.licence_no,
                r.scheduled,
                r.attended,
                r.compliance if r.compliance is not None else "",
                r.confirmed,
                r.pending,
                float(r.hours),
                r.consultations,
                r.disputes_mediated,
                r.documents_reviewed,
                r.talks,
                float(r.subsidy),
                (
                    f"{rule.title} {rule.document_no}（{rule.effective_from}起）".strip()
                    if rule
                    else "无适用办法"
                )
                + ("，已按月上限" if r.capped else ""),
            ]
        )
        total += r.subsidy
    lines.append(["合计", "", "", "", "", "", "", "", "", "", "", "", "", "", "", float(total), ""])
    return xlsx.workbook([xlsx.Sheet(f"{year}年{month}月", lines, bold_row=2)])


# --- coverage and staff ratios ----------------------------------------------------------------------------


@dataclass
class TownCoverage:
    town: Region
    villages: int
    with_advisor: int

    @property
    def missing(self) -> int:
        return self.villages - self.with_advisor


def advisor_coverage(county_code: str) -> list[TownCoverage]:
    """一村一法律顾问 per town of a county: villages, and villages with a current advisor."""
    towns = list(Region.objects.filter(parent_id=county_code, level=Region.Level.TOWN).order_by("code"))
    villages = dict(
        Region.objects.filter(parent__parent_id=county_code, level=Region.Level.VILLAGE)
        .values_list("parent_id")
        .annotate(n=Count("code"))
    )
    served = dict(
        AdvisorAssignment.objects.current()
        .filter(region__parent__parent_id=county_code)
        .values_list("region__parent_id")
        .annotate(n=Count("region_id", distinct=True))
    )
    return [TownCoverage(t, villages.get(t.code, 0), served.get(t.code, 0)) for t in towns]


# The professional staff counted per 10,000 residents (the seed: 每万人拥有法律服务专业人员 ≥ 1.5): practising
# lawyers, notaries, judicial appraisers and grassroots legal service workers. People's mediators are volunteers
# of the committees and village advisors are counted through their licences as lawyers or workers.
PROFESSIONAL_KINDS = (
    Practitioner.Kind.LAWYER,
    Practitioner.Kind.NOTARY,
    Practitioner.Kind.APPRAISER,
    Practitioner.Kind.GRASSROOTS_WORKER,
)
STAFF_TARGET = Decimal("1.5")


@dataclass
class StaffRatio:
    county: Region
    staff: int
    by_kind: dict[str, int]

    @property
    def per_10k(self) -> Decimal | None:
        if not self.county.population:
            return None
        return (Decimal(self.staff) * 10000 / Decimal(self.county.population)).quantize(Decimal("0.01"))

    @property
    def meets(self) -> bool | None:
        value = self.per_10k
        return None if value is None else value >= STAFF_TARGET


def staff_per_10k(parent_code: str) -> list[StaffRatio]:
    """Per county (district) under ``parent_code`` (a city): the practising professional staff whose unit lies in
    the county, and the census population (第七次全国人口普查, imported with the regions)."""
    counties = list(Region.objects.filter(parent_id=parent_code, level=Region.Level.COUNTY).order_by("code"))
    if not counties and len(parent_code) == 6:
        counties = list(Region.objects.filter(code=parent_code))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        Practitioner.objects.filter(
            kind__in=PROFESSIONAL_KINDS,
            licence_status=Practitioner.LicenceStatus.PRACTISING,
            unit__isnull=False,
        )
        .filter(codes.under("unit__region_id", parent_code))
        .values_list("unit__region_id", "kind")
        .annotate(n=Count("pk"))
    )
    for region_code, kind, n in rows:
        by_kind = counts[region_code[:6] if len(region_code) >= 6 else region_code]
        by_kind[kind] = by_kind.get(kind, 0) + n
    out = [StaffRatio(c, sum(counts[c.code].values()), counts[c.code]) for c in counties]
    whole = Region.objects.filter(code=parent_code, level=Region.Level.CITY).first()
    if whole is not None:
        # The city as a whole, with the staff of its city-level institutions (市公证处、司法鉴定机构) that no
        # district holds.
        total: dict[str, int] = defaultdict(int)
        for by_kind in counts.values():
            for kind, n in by_kind.items():
                total[kind] += n
        out.append(StaffRatio(whole, sum(total.values()), dict(total)))
    return out
