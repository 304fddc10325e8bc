"""工作计划、分解任务、进度时间表 (the seeds): a 司法局's plan for a year and a region, its tasks with owners and
deadlines, and how far each has got.

A task bound to an indicator measures itself from the same figures as the dashboard and the KPI board, for the
task's region over its own span (from its start to its deadline, or to today while it runs):

- 受理登记件数, 办结件数: the daily facts' sums; progress = count ÷ target;
- 按时办结率, 满意率: the daily facts' rates; the target is a percentage (95 = 95%); progress = rate ÷ target;
- the coverage rates and staff per 10,000 residents: ``kpi`` as of today; progress = value ÷ target.

A task without an indicator moves by hand (进度 %). An open task past its deadline is overdue; the scheduler raises
a warning (``warnings.raise_plan_overdue``) for the plan's region.

Every write here locks what it changes, checks who acts and where, and leaves an audit row in its transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.audit import actions as audit
from fawang.orgs import authority
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from . import figures, kpi
from .models import PlanTask, WorkPlan

PLAN = "insights.plan"
Indicator = PlanTask.Indicator
COUNTS = {Indicator.RECEIVED, Indicator.COMPLETED}
RATES = {Indicator.ON_TIME_RATE, Indicator.SATISFACTION}
COVERAGE = {Indicator.STATION_COVERAGE, Indicator.ROOM_COVERAGE, Indicator.ADVISOR_COVERAGE}
TASK_FIELDS = ["title", "status", "manual_progress", "notes", "done_at", "due_on", "owner", "target"]
MAX_TEXT = 2000


@dataclass(frozen=True)
class Progress:
    """How far a task has got: ``share`` in 0…1 (drawn as the bar), ``value`` the measured figure (None for a
    task moved by hand or one that has not started), ``shown`` the figure as the page writes it."""

    share: float
    value: float | None
    shown: str
    measured: bool


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def measure(task: PlanTask, today: dt.date | None = None) -> Progress:
    today = today or timezone.localdate()
    if not task.indicator:
        share = min(task.manual_progress, 100) / 100
        return Progress(share, None, f"{task.manual_progress}%", False)
    target = task.target or 0
    if task.starts_on > today:
        return Progress(0.0, None, _("未开始"), True)
    if task.indicator in COUNTS or task.indicator in RATES:
        period = figures.Period(task.starts_on, min(task.due_on, today))
        sums = figures.with_rates(figures.sums(task.region_id, period))
        if task.indicator in COUNTS:
            count = sums[task.indicator]
            share = count / target if target else 0.0
            return Progress(min(share, 1.0), count, str(count), True)
        rate = sums[task.indicator]
        if rate is None:
            return Progress(0.0, None, _("无数据"), True)
        share = rate * 100 / target if target else 0.0
        return Progress(min(share, 1.0), rate, _percent(rate), True)
    if task.indicator in COVERAGE:
        got = {
            Indicator.STATION_COVERAGE: kpi.station_coverage,
            Indicator.ROOM_COVERAGE: kpi.room_coverage,
            Indicator.ADVISOR_COVERAGE: kpi.advisor_coverage,
        }[PlanTask.Indicator(task.indicator)](task.region_id)
        value = got[0]
        if value is None:
            return Progress(0.0, None, _("无数据"), True)
        share = value * 100 / target if target else 0.0
        return Progress(min(share, 1.0), value, _percent(value), True)
    value = kpi.staff_per_10k(task.region_id)[0]
    if value is None:
        return Progress(0.0, None, _("无数据"), True)
    share = value / target if target else 0.0
    return Progress(min(share, 1.0), value, f"{value:.2f}", True)


def target_shown(task: PlanTask) -> str:
    if not task.indicator or task.target is None:
        return "—"
    if task.indicator in COUNTS:
        return f"{task.target:g}"
    if task.indicator == Indicator.STAFF_PER_10K:
        return f"≥ {task.target:g}"
    return f"{task.target:g}%"


@dataclass
class Row:
    """A task as the pages show it (progress measured, overdue flagged, the bar placed on the year)."""

    task: PlanTask
    progress: Progress
    overdue: bool
    target: str
    left: float  # where its bar starts on the 进度时间表, % of the year
    width: float  # and how long it is


def rows(plan: WorkPlan, tasks: list[PlanTask] | None = None, today: dt.date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    start = dt.date(plan.year, 1, 1)
    days = (dt.date(plan.year + 1, 1, 1) - start).days
    out = []
    for task in plan.tasks.select_related("owner", "region") if tasks is None else tasks:
        first = max(task.starts_on, start)
        last = min(task.due_on, dt.date(plan.year, 12, 31))
        left = max((first - start).days, 0) / days * 100
        width = max((last - first).days + 1, 1) / days * 100
        out.append(
            Row(
                task,
                measure(task, today),
                task.is_overdue(today),
                target_shown(task),
                round(left, 2),
                round(min(width, 100 - left), 2),
            )
        )
    return out


def current_plan(code: str, today: dt.date | None = None) -> WorkPlan | None:
    """The region's plan of this year (shown on the dashboard and the KPI board)."""
    today = today or timezone.localdate()
    return WorkPlan.objects.filter(region_id=code, year=today.year).first()


# --------------------------------------------------------------------------------------------------- writers


def _may_plan(actor: User, region: str) -> None:
    if not authority.has_capability_in_region(actor, PLAN, region):
        raise PermissionDenied(_("您的岗位无权制定该区划的工作计划。"))


def _text(value: str, required: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(required, code="required")
    if len(value) > limit:
        raise ValidationError(_("内容不能超过 %(n)d 字。") % {"n": limit}, code="too_long")
    return value


@transaction.atomic
def create_plan(*, actor: User, region: Region, year: int | None, title: str) -> WorkPlan:
    """制定工作计划: one per region and year."""
    _may_plan(actor, region.code)
    if year is None or not 2000 <= year <= 2100:
        raise ValidationError(_("请填写正确的年度（如 2026）。"), code="year")
    title = _text(title, _("请填写计划名称。"), 120)
    try:
        with transaction.atomic():
            plan = WorkPlan.objects.create(region=region, year=year, title=title, created_by=actor)
    except IntegrityError:
        raise ValidationError(_("该区划本年度已有工作计划。"), code="exists") from None
    audit.record("insights.create_plan", actor=actor, target=plan, region=region.code, note=title[:200])
    return plan


@dataclass
class TaskData:
    title: str
    region: str
    owner_id: int | None
    starts_on: dt.date | None
    due_on: dt.date | None
    indicator: str = ""
    target: float | None = None


def _check_task(plan: WorkPlan, actor: User, data: TaskData) -> tuple[Region, Unit]:
    errors: dict[str, list[str]] = {}
    region = Region.objects.filter(code=data.region or plan.region_id).first()
    if region is None or not region.code.startswith(plan.region_id):
        errors.setdefault("region", []).append(_("任务区划须为计划区划或其下级区划。"))
    owner = Unit.objects.filter(pk=data.owner_id, is_active=True).first() if data.owner_id else None
    if owner is None:
        errors.setdefault("owner", []).append(_("请选择责任单位。"))
    elif not authority.reaches(actor, owner):
        errors.setdefault("owner", []).append(_("只能把任务分解给您辖区内的单位。"))
    if data.starts_on is None or data.due_on is None:
        errors.setdefault("due_on", []).append(_("请填写开始日期和完成期限。"))
    elif data.due_on < data.starts_on:
        errors.setdefault("due_on", []).append(_("完成期限不能早于开始日期。"))
    elif data.starts_on.year != plan.year and data.due_on.year != plan.year:
        errors.setdefault("due_on", []).append(_("任务须在计划年度内。"))
    if data.indicator and data.indicator not in PlanTask.Indicator.values:
        errors.setdefault("indicator", []).append(_("请选择考核指标。"))
    elif data.indicator and (data.target is None or data.target <= 0):
        errors.setdefault("target", []).append(_("按指标衡量的任务须填写大于零的目标值。"))
    elif (
        data.indicator
        and data.indicator not in COUNTS
        and data.indicator != Indicator.STAFF_PER_10K
        and data.target is not None
        and data.target > 100
    ):
        errors.setdefault("target", []).append(_("比率的目标值填百分数，不能超过 100。"))
    if errors:
        raise ValidationError(errors)
    assert region is not None and owner is not None
    return region, owner


@transaction.atomic
def add_task(*, actor: User, plan_id: int, data: TaskData) -> PlanTask:
    """分解任务: a task of the plan, to a unit the supervisor reaches, with its span and (optionally) the
    indicator and target that measure it."""
    plan = WorkPlan.objects.select_for_update().get(pk=plan_id)
    _may_plan(actor, plan.region_id)
    title = _text(data.title, _("请填写任务内容。"), 200)
    region, owner = _check_task(plan, actor, data)
    assert data.starts_on is not None and data.due_on is not None
    task = PlanTask.objects.create(
        plan=plan,
        title=title,
        region=region,
        owner=owner,
        starts_on=data.starts_on,
        due_on=data.due_on,
        indicator=data.indicator or "",
        target=data.target if data.indicator else None,
    )
    audit.record(
        "insights.add_plan_task",
        actor=actor,
        target=task,
        region=plan.region_id,
        diff=audit.created(audit.snapshot(task, TASK_FIELDS)),
        note=title[:200],
    )
    return task


def _lock_task(task_id: int, actor: User) -> PlanTask:
    task = PlanTask.objects.select_for_update().select_related("plan").get(pk=task_id)
    _may_plan(actor, task.plan.region_id)
    return task


def _stamp(actor: User, text: str) -> str:
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return f"{when} {actor.display_name or actor.username}：{text}"


@transaction.atomic
def record_progress(*, actor: User, task_id: int, progress: int | None, note: str) -> PlanTask:
    """进展情况: a line of what was done and, for a task moved by hand, how far along it is now (0–100)."""
    task = _lock_task(task_id, actor)
    if task.status == PlanTask.Status.DONE:
        raise ValidationError(_("该任务已完成。"), code="done")
    note = _text(note, _("请填写进展情况。"))
    before = audit.snapshot(task, TASK_FIELDS)
    if not task.indicator:
        if progress is None or not 0 <= progress <= 100:
            raise ValidationError({"progress": [_("进度填 0 到 100 之间的整数。")]})
        task.manual_progress = progress
    task.notes = f"{task.notes}\n{_stamp(actor, note)}".strip()
    task.save(update_fields=["manual_progress", "notes"])
    audit.record(
        "insights.plan_progress",
        actor=actor,
        target=task,
        region=task.plan.region_id,
        diff=audit.changes(before, audit.snapshot(task, TASK_FIELDS)),
        note=note[:500],
    )
    return task


@transaction.atomic
def complete_task(*, actor: User, task_id: int, note: str) -> PlanTask:
    """任务完成: closed with what was achieved (required)."""
    task = _lock_task(task_id, actor)
    if task.status == PlanTask.Status.DONE:
        raise ValidationError(_("该任务已完成。"), code="done")
    note = _text(note, _("请填写完成情况。"))
    before = audit.snapshot(task, TASK_FIELDS)
    task.status = PlanTask.Status.DONE
    task.done_at = timezone.now()
    if not task.indicator:
        task.manual_progress = 100
    done = _("完成")
    task.notes = f"{task.notes}\n{_stamp(actor, done + '：' + note)}".strip()
    task.save(update_fields=["status", "done_at", "manual_progress", "notes"])
    audit.record(
        "insights.complete_plan_task",
        actor=actor,
        target=task,
        region=task.plan.region_id,
        diff=audit.changes(before, audit.snapshot(task, TASK_FIELDS)),
        note=note[:500],
    )
    return task


def overdue_tasks(today: dt.date) -> dict[str, list[PlanTask]]:
    """Open tasks past their deadline, by their plan's region."""
    out: dict[str, list[PlanTask]] = {}
    for task in (
        PlanTask.objects.filter(status=PlanTask.Status.OPEN, due_on__lt=today)
        .select_related("plan", "owner")
        .order_by("due_on", "pk")
    ):
        out.setdefault(task.plan.region_id, []).append(task)
    return out


def describe(task: PlanTask) -> dict[str, Any]:
    return {"id": task.pk, "title": task.title, "owner": task.owner.name, "due_on": task.due_on.isoformat()}
