"""The work plans' pages (工作计划、分解任务、进度时间表): the plans of a region, one plan with its tasks, their
progress and the year's timetable, and the forms that add a task, record progress and complete it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.orgs import authority
from fawang.orgs.models import Unit
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import figures, plans
from .access import VIEW, get_region_for_user, require_viewer
from .models import PlanTask, WorkPlan


def get_plan_for_user(user: Any, pk: int) -> WorkPlan:
    require_viewer(user)
    plan = get_object_or_404(WorkPlan.objects.select_related("region"), pk=pk)
    if not authority.has_capability_in_region(user, VIEW, plan.region_id):
        raise Http404
    return plan


def get_task_for_user(user: Any, pk: int) -> PlanTask:
    require_viewer(user)
    task = get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk)
    if not authority.has_capability_in_region(user, VIEW, task.plan.region_id):
        raise Http404
    return task


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _number(value: str | None) -> float | None:
    try:
        return float((value or "").strip())
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@never_cache
@staff_required
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    """The plans of the region and the places under it, newest year first, with the form for a new one."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    found = (
        WorkPlan.objects.filter(figures.region_q("region_id", region.code))
        .select_related("region")
        .order_by("-year", "region_id")[:100]
    )
    return render(
        request,
        "insights/plans.html",
        {
            "region": region,
            "plans": found,
            "year": timezone.localdate().year,
            "may_plan": authority.has_capability_in_region(user, plans.PLAN, region.code),
        },
    )


@require_POST
@staff_required
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    region = get_region_for_user(user, code)
    try:
        plan = plans.create_plan(
            actor=user,
            region=region,
            year=_int(request.POST.get("year")),
            title=request.POST.get("title", ""),
        )
    except ValidationError as e:
        _errors(request, e)
        response = plan_list(request, code)
        response.status_code = 400
        return response
    messages.success(request, _("工作计划已制定，请分解任务。"))
    return redirect("insights:plan", plan.pk)


@never_cache
@staff_required
def plan_detail(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    """One plan: its tasks with owners, deadlines and progress, and the 进度时间表 of the year."""
    user = staff_user(request)
    plan = get_plan_for_user(user, pk)
    today = timezone.localdate()
    task_rows = plans.rows(plan, today=today)
    may_plan = authority.has_capability_in_region(user, plans.PLAN, plan.region_id)
    units = (
        Unit.objects.filter(authority.units_filter(user), is_active=True)
        .filter(figures.region_q("region_id", plan.region_id))
        .order_by("kind", "name")[:300]
        if may_plan
        else []
    )
    year_start = dt.date(plan.year, 1, 1)
    year_days = (dt.date(plan.year + 1, 1, 1) - year_start).days
    months = [
        {
            "label": _("%(m)d月") % {"m": m},
            "left": round((dt.date(plan.year, m, 1) - year_start).days / year_days * 100, 2),
        }
        for m in range(1, 13)
    ]
    today_left = (
        round((today - year_start).days / year_days * 100, 2)
        if year_start <= today < year_start.replace(year=plan.year + 1)
        else None
    )
    response = render(
        request,
        "insights/plan.html",
        {
            "plan": plan,
            "region": plan.region,
            "rows": task_rows,
            "done": sum(1 for r in task_rows if r.task.status == PlanTask.Status.DONE),
            "overdue": sum(1 for r in task_rows if r.overdue),
            "may_plan": may_plan,
            "units": units,
            "sub_regions": Region.objects.filter(figures.region_q("code", plan.region_id))
            .filter(level__in=[Region.Level.CITY, Region.Level.COUNTY, Region.Level.TOWN])
            .order_by("code")[:300],
            "indicators": PlanTask.Indicator.choices,
            "months": months,
            "today_left": today_left,
            "form": request.POST if request.method == "POST" else {},
        },
    )
    response.status_code = status
    return response


@require_POST
@staff_required
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    plan = get_plan_for_user(user, pk)
    data = plans.TaskData(
        title=request.POST.get("title", ""),
        region=(request.POST.get("region") or plan.region_id).strip(),
        owner_id=_int(request.POST.get("owner")),
        starts_on=_date(request.POST.get("starts_on")),
        due_on=_date(request.POST.get("due_on")),
        indicator=(request.POST.get("indicator") or "").strip(),
        target=_number(request.POST.get("target")),
    )
    try:
        plans.add_task(actor=user, plan_id=plan.pk, data=data)
    except ValidationError as e:
        _errors(request, e)
        return plan_detail(request, plan.pk, status=400)
    messages.success(request, _("任务已分解。"))
    return redirect("insights:plan", plan.pk)


def _task_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = staff_user(request)
    task = get_task_for_user(user, pk)
    try:
        if step == "progress":
            raw = request.POST.get("progress")
            plans.record_progress(
                actor=user,
                task_id=task.pk,
                progress=_int(raw) if raw not in (None, "") else None,
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("已记录进展情况。"))
        else:
            plans.complete_task(actor=user, task_id=task.pk, note=request.POST.get("note", ""))
            messages.success(request, _("任务已完成。"))
    except ValidationError as e:
        _errors(request, e)
        return plan_detail(request, task.plan_id, status=400)
    return redirect("insights:plan", task.plan_id)


@require_POST
@staff_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, "progress")


@require_POST
@staff_required
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, "done")
