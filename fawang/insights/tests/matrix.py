"""The supervision app's URLs in the role matrix (fawang/console/tests/test_role_matrix.py): the figures of a region
and the warnings raised for it are the supervisors' — a city supervisor sees the city's districts, a district
supervisor only their district; everyone else's role is refused (403) before any region is looked at."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import SUPERVISORS, SYSADMIN, Row

CAN = {
    "insights.view": SUPERVISORS | SYSADMIN,
    "insights.handle_warning": SUPERVISORS | SYSADMIN,
    "insights.plan": SUPERVISORS | SYSADMIN,
    "insights.write_report": SUPERVISORS | SYSADMIN,
}


def _answers(ok: int) -> dict[str, tuple[int, int, int, int, int]]:
    # own, sibling, parent, district, city: a region (or a warning of it) is the supervisor's when it lies in their
    # 司法局's region; the parent's region is wider, another district's or city's outside.
    return {
        "city_supervisor": (ok, ok, 404, ok, 404),
        "bureau_supervisor": (ok, ok, 404, 404, 404),
        "sysadmin": (ok, ok, ok, ok, ok),
        "*": (403, 403, 403, 403, 403),
    }


ANSWERS = {
    "insights.region": _answers(200),
    "insights.warning": _answers(200),
    "insights.warning_done": _answers(302),
    # 交办 without a unit: refused with the form's message (400) where the warning is the persona's.
    "insights.warning_no_unit": _answers(400),
    # A work plan (or a task of it) is the supervisors' of the plan's region, like a warning.
    "insights.plan": _answers(200),
    "insights.plan_done": _answers(302),
    # 分解任务 without a responsible unit: the form's message (400) where the plan is the persona's.
    "insights.plan_no_owner": _answers(400),
}

ROWS = {
    "insights:home": Row("page", "insights.view", ok=302),
    "insights:warnings": Row("page", "insights.view"),
    "insights:plans_home": Row("page", "insights.view", ok=302),
    "insights:plans": Row("region", "insights.region"),
    # A plan for a year no other row made (2099): made, then the page of the plan (302).
    "insights:plan_create": Row(
        "region", "insights.warning_done", "post", 302, (("year", "2099"), ("title", "矩阵工作计划"))
    ),
    "insights:plan": Row("plan", "insights.plan"),
    "insights:plan_task_add": Row("plan", "insights.plan_no_owner", "post", 400, (("title", "矩阵任务"),)),
    "insights:plan_task_progress": Row(
        "plan_task", "insights.plan_done", "post", 302, (("progress", "50"), ("note", "已部署。"))
    ),
    "insights:plan_task_done": Row("plan_task", "insights.plan_done", "post", 302, (("note", "已完成。"),)),
    "insights:dashboard": Row("region", "insights.region"),
    "insights:data": Row("region", "insights.region"),
    "insights:matters": Row("region", "insights.region"),
    "insights:hotspots": Row("region", "insights.region"),
    "insights:kpi": Row("region", "insights.region"),
    "insights:report": Row("region", "insights.region"),
    "insights:report_note": Row(
        "region", "insights.warning_done", "post", 302, (("month", "2026-01"), ("summary", "总体平稳。"))
    ),
    "insights:report_pdf": Row("region", "insights.region"),
    "insights:report_xlsx": Row("region", "insights.region"),
    "insights:warning": Row("warning", "insights.warning"),
    "insights:warning_acknowledge": Row("warning", "insights.warning_done", "post", 302),
    "insights:warning_assign": Row("warning", "insights.warning_no_unit", "post", 400, (("note", "矩阵"),)),
    "insights:warning_note": Row("warning", "insights.warning_done", "post", 302, (("text", "已约谈。"),)),
    "insights:warning_close": Row("warning", "insights.warning_done", "post", 302, (("text", "已处置。"),)),
}

PUBLIC = {
    "stats": "the public statistics (网上监督): sums by district, no personal data",
    "stats:region": "one district's or town's public statistics (网上监督): sums only, no personal data",
}


def make(case: Any, kind: str, unit: Any) -> Any:
    if kind in ("plan", "plan_task"):
        return _plan(kind, unit)
    if kind != "warning":
        return None
    from fawang.insights.models import Warning

    today = timezone.localdate()
    warning, _created = Warning.objects.get_or_create(
        kind=Warning.Kind.TIME_LIMIT,
        region_id=unit.region_id,
        topic=None,
        period_end=today,
        defaults={
            "period_start": today - dt.timedelta(days=29),
            "title": "按时办结率由 97.0% 降至 88.0%",
            "observed": 0.88,
            "expected": 0.97,
            "due_at": timezone.now() + dt.timedelta(days=7),
        },
    )
    return warning


def _plan(kind: str, unit: Any) -> Any:
    from fawang.accounts.models import User
    from fawang.insights.models import PlanTask, WorkPlan

    today = timezone.localdate()
    author = User.objects.filter(is_superuser=False).order_by("pk")[0]
    plan, _created = WorkPlan.objects.get_or_create(
        region_id=unit.region_id,
        year=today.year,
        defaults={"title": "矩阵工作计划", "created_by": author},
    )
    if kind == "plan":
        return plan
    task, _created = PlanTask.objects.get_or_create(
        plan=plan,
        title="矩阵任务",
        defaults={
            "region_id": unit.region_id,
            "owner": unit,
            "starts_on": today.replace(month=1, day=1),
            "due_on": today.replace(month=12, day=31),
        },
    )
    return task
