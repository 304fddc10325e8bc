"""统计: applications, grants and refusals (with reasons), time to decision and to assignment against the limits
(第四十三条: 7 days, 3 days), cases by type and by lawyer, quality scores and subsidies, over the matters the user
sees and a period of application dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils import timezone

from fawang.lib.periods import day_bounds
from fawang.matters.models import Matter
from fawang.regions.models import Region

from . import access
from .models import HELP_KINDS, Assignment, Decision, DutyLog, QualityRecord, Subsidy
from .notices import ITEM

DECIDE_DAYS = 7
ASSIGN_DAYS = 3
NOTIFIED_DAYS = 3  # 第三十六条


@dataclass
class Stats:
    start: dt.date
    end: dt.date
    region_code: str = ""
    region_name: str = ""
    applications: int = 0
    grants: int = 0
    refusals: int = 0
    terminations: int = 0
    refusal_reasons: list[tuple[str, int]] = field(default_factory=list)
    decided: int = 0
    decided_late: int = 0
    avg_days_to_decision: float | None = None
    assigned: int = 0
    assigned_late: int = 0
    avg_days_to_assignment: float | None = None
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_lawyer: list[tuple[str, str, int]] = field(default_factory=list)
    avg_quality: float | None = None
    subsidies_paid: Decimal = Decimal(0)
    subsidies_count: int = 0
    notified: int = 0
    notified_late: int = 0
    duty_logs: int = 0
    duty_by_kind: list[tuple[str, int]] = field(default_factory=list)
    quality_by_kind: list[tuple[str, int, float]] = field(default_factory=list)


def compute(user: Any, start: dt.date, end: dt.date, region: Region | None = None) -> Stats:
    """The figures over what ``user`` sees, for applications made from ``start`` to ``end``, in ``region`` and
    the regions under it when given (matters by their region; notifications and duty lawyers by the centre's)."""
    lo, hi = day_bounds(start, end)
    matters = Matter.objects.visible_to(user).filter(
        service_item__code=ITEM, submitted_at__gte=lo, submitted_at__lt=hi
    )
    if region is not None:
        matters = matters.filter(region__code__startswith=region.code)
    out = Stats(
        start=start,
        end=end,
        region_code=region.code if region else "",
        region_name=region.name if region else "",
        applications=matters.count(),
    )
    decisions = access.decisions_for(user).filter(matter__in=matters).select_related("matter")
    first_days: list[float] = []
    seen: set[int] = set()
    for d in decisions.order_by("decided_at"):
        if d.kind == Decision.Kind.GRANT:
            out.grants += 1
        elif d.kind == Decision.Kind.REFUSE:
            out.refusals += 1
        else:
            out.terminations += 1
        if d.kind != Decision.Kind.TERMINATE and d.matter_id not in seen:
            seen.add(d.matter_id)
            days = (d.decided_at - d.matter.submitted_at).total_seconds() / 86400
            first_days.append(days)
            out.decided_late += days > DECIDE_DAYS
    out.decided = len(first_days)
    if first_days:
        out.avg_days_to_decision = round(sum(first_days) / len(first_days), 1)
    out.refusal_reasons = [
        (row["reasons"][:60], row["n"])
        for row in decisions.filter(kind=Decision.Kind.REFUSE)
        .values("reasons")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    ]
    assignments = access.assignments_for(user).filter(matter__in=matters)
    grants = {d.matter_id: d.decided_at for d in decisions.filter(kind=Decision.Kind.GRANT)}
    assign_days = [
        (a.assigned_at - grants[a.matter_id]).total_seconds() / 86400
        for a in assignments.filter(advance=False)
        if a.matter_id in grants
    ]
    out.assigned = assignments.count()
    out.assigned_late = sum(d > ASSIGN_DAYS for d in assign_days)
    if assign_days:
        out.avg_days_to_assignment = round(sum(assign_days) / len(assign_days), 1)
    labels = dict(Assignment.CaseType.choices)
    out.by_type = [
        (str(labels.get(r["case_type"], r["case_type"])), r["n"])
        for r in assignments.values("case_type").annotate(n=Count("pk")).order_by("-n")
    ]
    out.by_lawyer = [
        (r["lawyer__practitioner__name"], r["firm__name"], r["n"])
        for r in assignments.values("lawyer__practitioner__name", "firm__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:50]
    ]
    q = assignments.exclude(quality_score=None).aggregate(avg=Avg("quality_score"))["avg"]
    out.avg_quality = round(float(q), 1) if q is not None else None
    paid = Subsidy.objects.filter(assignment__in=assignments, status=Subsidy.Status.APPROVED).aggregate(
        total=Sum("amount"), n=Count("pk")
    )
    out.subsidies_paid = paid["total"] or Decimal(0)
    out.subsidies_count = paid["n"]
    _notified(out, user, lo, hi)
    _duty(out, user, lo, hi)
    labels = dict(QualityRecord.Kind.choices)
    out.quality_by_kind = [
        (str(labels.get(row["kind"], row["kind"])), row["n"], round(float(row["avg"]), 1))
        for row in QualityRecord.objects.filter(assignment__in=assignments)
        .values("kind")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .order_by("kind")
    ]
    return out


def _notified(out: Stats, user: Any, lo: dt.datetime, hi: dt.datetime) -> None:
    """通知辩护 received in the period, and those not assigned within the three days of 第三十六条."""
    found = access.notifications_for(user).filter(received_at__gte=lo, received_at__lt=hi)
    if out.region_code:
        found = found.filter(centre__region__code__startswith=out.region_code)
    rows = list(found)
    first: dict[int, dt.datetime] = {}
    for assignment in Assignment.objects.filter(matter_id__in=[row.matter_id for row in rows]).order_by(
        "assigned_at"
    ):
        first.setdefault(assignment.matter_id, assignment.assigned_at)
    now = timezone.now()
    out.notified = len(rows)
    out.notified_late = sum((first.get(row.matter_id) or now) > row.due_at for row in rows)


def _duty(out: Stats, user: Any, lo: dt.datetime, hi: dt.datetime) -> None:
    """值班律师 help given in the period (by the day of the shift), by kind of help (第三十条)."""
    found = DutyLog.objects.filter(
        shift__in=access.shifts_for(user), shift__on__gte=lo.date(), shift__on__lt=hi.date()
    )
    if out.region_code:
        found = found.filter(shift__station__centre__region__code__startswith=out.region_code)
    logs = found.values_list("help_kinds", flat=True)
    counts: dict[str, int] = {}
    total = 0
    for kinds in logs:
        total += 1
        for kind in kinds:
            counts[kind] = counts.get(kind, 0) + 1
    out.duty_logs = total
    out.duty_by_kind = [(str(label), counts.get(code, 0)) for code, label in HELP_KINDS]


def rows(s: Stats) -> list[tuple[str, Any]]:
    """The figures as (label, value) rows: the page's table and the Excel sheet alike."""
    none = "—"
    return [
        ("统计期间", f"{s.start.isoformat()} 至 {s.end.isoformat()}"),
        ("统计区划", s.region_name or "本人可见范围"),
        ("申请件数", s.applications),
        ("给予法律援助", s.grants),
        ("不予法律援助", s.refusals),
        ("终止法律援助", s.terminations),
        ("已作决定件数", s.decided),
        (f"超过 {DECIDE_DAYS} 日作出决定", s.decided_late),
        ("平均决定用时（日）", s.avg_days_to_decision if s.avg_days_to_decision is not None else none),
        ("指派件数", s.assigned),
        (f"决定后超过 {ASSIGN_DAYS} 日指派", s.assigned_late),
        ("平均指派用时（日）", s.avg_days_to_assignment if s.avg_days_to_assignment is not None else none),
        ("案卷质量平均分", s.avg_quality if s.avg_quality is not None else none),
        ("已审批补贴件数", s.subsidies_count),
        ("已审批补贴金额（元）", float(s.subsidies_paid)),
        ("通知辩护件数", s.notified),
        (f"收到通知后超过 {NOTIFIED_DAYS} 日指派", s.notified_late),
        ("值班律师提供法律帮助人次", s.duty_logs),
        *((f"值班律师：{label}", count) for label, count in s.duty_by_kind),
        *(
            (f"质量监督：{label}（次数 / 平均分）", f"{count} / {avg}")
            for label, count, avg in s.quality_by_kind
        ),
    ]
