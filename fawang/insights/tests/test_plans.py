"""工作计划、分解任务、进度时间表: a plan of 思明区 for 2025 with tasks measured from the figures (checked against the
four matters made here by hand), a task moved by hand, the checks on a task, the overdue warning, the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.insights import plans, rollup, warnings
from fawang.insights.models import PlanTask, Warning, WorkPlan
from fawang.matters import actions
from fawang.matters.models import Matter
from fawang.matters.tests.base import MONDAY, MatterTestCase
from fawang.notify.models import Message
from fawang.orgs.models import Unit
from fawang.regions.models import Region

COUNTY = "350203"  # 思明区
TOWN = "350203012"  # 鼓浪屿街道


class PlanTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.office = Unit.objects.filter(region__code__startswith=COUNTY, kind=Unit.Kind.JUDICIAL_OFFICE)[0]
        self.plan = plans.create_plan(
            actor=self.sm_supervisor,
            region=Region.objects.get(code=COUNTY),
            year=2025,
            title="2025年公共法律服务工作计划",
        )

    def task(self, title: str, **kw: object) -> PlanTask:
        fields: dict[str, object] = {
            "title": title,
            "region": COUNTY,
            "owner_id": self.office.pk,
            "starts_on": dt.date(2025, 3, 1),
            "due_on": dt.date(2025, 3, 31),
        }
        fields.update(kw)
        return plans.add_task(actor=self.sm_supervisor, plan_id=self.plan.pk, data=plans.TaskData(**fields))  # type: ignore[arg-type]

    def four_matters(self) -> None:
        """Four matters in 鼓浪屿街道, received in March 2025, completed ten days later, one of them late."""
        handler = self.staff_of(self.sm_legal_aid, "handler")
        for i in range(4):
            m = self.submit(region=TOWN, now=MONDAY + dt.timedelta(hours=i))
            actions.do_accept(m.pk, actor=handler, now=MONDAY + dt.timedelta(hours=i, minutes=30))
            if i == 3:
                Matter.objects.filter(pk=m.pk).update(escalated_at=MONDAY + dt.timedelta(days=9))
            actions.do_complete(m.pk, actor=handler, result="已办结。", now=MONDAY + dt.timedelta(days=10))
        rollup.rebuild()

    def test_tasks_measured_from_the_figures(self) -> None:
        self.four_matters()
        today = dt.date(2025, 4, 15)
        received = self.task("鼓浪屿街道受理 8 件", region=TOWN, indicator="received", target=8)
        on_time = self.task("按时办结率达到 100%", region=TOWN, indicator="on_time_rate", target=100)
        # Received in February: none of the four.
        february = self.task(
            "二月受理",
            region=TOWN,
            indicator="received",
            target=4,
            starts_on=dt.date(2025, 2, 1),
            due_on=dt.date(2025, 2, 28),
        )
        got = plans.measure(received, today)
        self.assertEqual((got.value, got.share, got.shown), (4, 0.5, "4"))
        got = plans.measure(on_time, today)
        self.assertEqual((got.value, got.share), (0.75, 0.75))
        self.assertEqual(got.shown, "75.0%")
        self.assertEqual(plans.measure(february, today).value, 0)
        # Not started yet: nothing measured.
        later = self.task(
            "年底",
            indicator="received",
            target=5,
            starts_on=dt.date(2025, 12, 1),
            due_on=dt.date(2025, 12, 31),
        )
        self.assertEqual(plans.measure(later, today).share, 0.0)

    def test_coverage_task(self) -> None:
        towns = Region.objects.filter(parent_id=COUNTY).count()
        Unit.objects.filter(kind=Unit.Kind.STATION, region_id=TOWN).update(is_active=False)
        task = self.task("工作站全覆盖", indicator="station_coverage", target=100)
        got = plans.measure(task, dt.date(2025, 3, 15))
        self.assertAlmostEqual(got.value or 0, (towns - 1) / towns)
        self.assertAlmostEqual(got.share, (towns - 1) / towns)

    def test_a_task_moved_by_hand_and_completed(self) -> None:
        task = self.task("开展民法典进社区宣传")
        self.assertEqual(plans.measure(task).share, 0.0)
        plans.record_progress(
            actor=self.sm_supervisor, task_id=task.pk, progress=40, note="已完成 4 个社区。"
        )
        task.refresh_from_db()
        self.assertEqual(plans.measure(task).share, 0.4)
        self.assertIn("已完成 4 个社区。", task.notes)
        with self.assertRaises(ValidationError):
            plans.record_progress(actor=self.sm_supervisor, task_id=task.pk, progress=140, note="多了")
        with self.assertRaises(ValidationError):
            plans.complete_task(actor=self.sm_supervisor, task_id=task.pk, note="")
        plans.complete_task(actor=self.sm_supervisor, task_id=task.pk, note="全部完成。")
        task.refresh_from_db()
        self.assertEqual((task.status, plans.measure(task).share), ("done", 1.0))
        codes = list(
            AuditEvent.objects.filter(target_type="insights.plantask", target_id=str(task.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )
        self.assertEqual(
            codes, ["insights.add_plan_task", "insights.plan_progress", "insights.complete_plan_task"]
        )

    def test_what_a_task_must_have(self) -> None:
        huli = Unit.objects.filter(region__code__startswith="350206", kind=Unit.Kind.JUDICIAL_OFFICE)[0]
        cases: list[tuple[dict[str, object], str]] = [
            ({"owner_id": huli.pk}, "owner"),  # outside the supervisor's district
            ({"owner_id": None}, "owner"),
            ({"region": "350206"}, "region"),  # not under the plan's region
            ({"due_on": dt.date(2025, 2, 1)}, "due_on"),  # before the start
            ({"indicator": "received"}, "target"),  # an indicator needs a target
            ({"indicator": "satisfaction", "target": 120}, "target"),
        ]
        for change, field in cases:
            with self.subTest(field=field, change=change), self.assertRaises(ValidationError) as caught:
                self.task("任务", **change)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(PlanTask.objects.filter(plan=self.plan).exists())
        # Another district's supervisor may not touch the plan.
        with self.assertRaises(PermissionDenied):
            plans.add_task(
                actor=self.hl_supervisor,
                plan_id=self.plan.pk,
                data=plans.TaskData("任务", COUNTY, self.office.pk, dt.date(2025, 3, 1), dt.date(2025, 3, 2)),
            )
        with self.assertRaises(ValidationError):  # one plan per region and year
            plans.create_plan(actor=self.sm_supervisor, region=self.plan.region, year=2025, title="又一个")

    def test_overdue_tasks_warn_the_supervisors(self) -> None:
        late = self.task("调解员培训", due_on=dt.date(2025, 3, 10))
        self.task("按期任务", due_on=dt.date(2025, 3, 31))
        done = self.task("已完成的任务", due_on=dt.date(2025, 3, 5))
        plans.complete_task(actor=self.sm_supervisor, task_id=done.pk, note="完成。")
        now = timezone.now()
        raised = warnings.raise_plan_overdue(dt.date(2025, 3, 20), now)
        self.assertEqual(len(raised), 1)
        warning = raised[0]
        self.assertEqual((warning.kind, warning.region_id, warning.observed), ("plan", COUNTY, 1))
        self.assertEqual([t["id"] for t in warning.explanation["tasks"]], [late.pk])
        self.assertTrue(Message.objects.filter(user=self.sm_supervisor, kind="insights.warning").exists())
        self.assertFalse(Message.objects.filter(user=self.hl_supervisor, kind="insights.warning").exists())
        # Still open: not raised again.
        self.assertEqual(warnings.raise_plan_overdue(dt.date(2025, 3, 21), now), [])
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("insights:warning", args=[warning.pk]))
        self.assertContains(page, "调解员培训")
        self.assertContains(page, reverse("insights:plan", args=[self.plan.pk]))
        self.assertEqual(Warning.objects.filter(kind="plan").count(), 1)


class PlanPagesTestCase(MatterTestCase):
    def test_the_supervisor_makes_a_plan_and_breaks_it_down(self) -> None:
        self.client.force_login(self.sm_supervisor)
        year = timezone.localdate().year
        self.assertRedirects(
            self.client.get(reverse("insights:plans_home")), reverse("insights:plans", args=[COUNTY])
        )
        self.assertContains(self.client.get(reverse("insights:plans", args=[COUNTY])), "还没有工作计划")
        bad = self.client.post(
            reverse("insights:plan_create", args=[COUNTY]), {"year": "20x", "title": "计划"}
        )
        self.assertContains(bad, "请填写正确的年度", status_code=400)
        response = self.client.post(
            reverse("insights:plan_create", args=[COUNTY]), {"year": str(year), "title": "本年度工作计划"}
        )
        plan = self.plan_of(COUNTY, year)
        self.assertRedirects(response, reverse("insights:plan", args=[plan.pk]))
        office = Unit.objects.filter(region__code__startswith=COUNTY, kind=Unit.Kind.JUDICIAL_OFFICE)[0]
        missing = self.client.post(
            reverse("insights:plan_task_add", args=[plan.pk]),
            {"title": "法治宣传", "region": COUNTY, "starts_on": f"{year}-01-01", "due_on": f"{year}-06-30"},
        )
        self.assertContains(missing, "请选择责任单位", status_code=400)
        self.assertContains(missing, 'value="法治宣传"', status_code=400)  # what was typed is kept
        added = self.client.post(
            reverse("insights:plan_task_add", args=[plan.pk]),
            {
                "title": "法治宣传",
                "region": COUNTY,
                "owner": office.pk,
                "starts_on": f"{year}-01-01",
                "due_on": f"{year}-06-30",
            },
        )
        self.assertRedirects(added, reverse("insights:plan", args=[plan.pk]))
        task = PlanTask.objects.get(plan=plan)
        self.client.post(
            reverse("insights:plan_task_progress", args=[task.pk]), {"progress": "60", "note": "过半"}
        )
        page = self.client.get(reverse("insights:plan", args=[plan.pk]))
        self.assertContains(page, "进度时间表")
        self.assertContains(page, office.name)
        self.assertContains(page, 'value="60"')
        # The dashboard and the KPI board show this year's plan.
        for name in ("insights:dashboard", "insights:kpi"):
            shown = self.client.get(reverse(name, args=[COUNTY]))
            self.assertContains(shown, "工作计划进度")
            self.assertContains(shown, "法治宣传")
        # Another district's supervisor: 404.
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(self.client.get(reverse("insights:plan", args=[plan.pk])).status_code, 404)

    @staticmethod
    def plan_of(code: str, year: int) -> WorkPlan:
        return WorkPlan.objects.get(region_id=code, year=year)
