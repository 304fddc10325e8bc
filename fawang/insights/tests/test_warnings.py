from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.insights import actions, warnings
from fawang.insights.activity import DEMOLITION_VILLAGE, WAGE_TOWN
from fawang.insights.models import Warning
from fawang.notify.models import Message
from fawang.testing.world import world

from .base import END, ActivityTestCase


class RaiseTestCase(ActivityTestCase):
    def test_hotspots_are_raised_once_and_told_to_the_regions_supervisors(self) -> None:
        raised = warnings.raise_warnings(as_of=END)
        hot = {w.region_id for w in raised if w.kind == Warning.Kind.HOTSPOT}
        self.assertTrue({WAGE_TOWN, DEMOLITION_VILLAGE} <= hot)
        wage = next(w for w in raised if w.region_id == WAGE_TOWN)
        self.assertIn("劳动纠纷", wage.title)
        self.assertIn("包工头", [p[0] for p in wage.explanation["phrases"]])
        self.assertEqual(wage.status, Warning.Status.OPEN)
        self.assertEqual(wage.due_at - wage.created_at, dt.timedelta(days=warnings.HANDLING_DAYS))
        told = set(
            Message.objects.filter(kind="insights.warning", related_id=str(wage.pk)).values_list(
                "user__username", flat=True
            )
        )
        self.assertEqual(told, {"sm_supervisor", "xm_supervisor"})
        self.assertTrue(
            AuditEvent.objects.filter(action="insights.raise_warning", target_id=str(wage.pk)).exists()
        )
        # The next pass raises nothing new while it is open.
        self.assertEqual([w for w in warnings.raise_warnings(as_of=END) if w.region_id == WAGE_TOWN], [])

    def test_raise_due_runs_at_most_hourly(self) -> None:
        now = timezone.now()
        warnings.raise_due(now)
        self.assertEqual(warnings.raise_due(now + dt.timedelta(minutes=5)), [])

    def test_a_drop_in_time_limits_kept(self) -> None:
        # 80% of 200 recently against 95% of 600 before: a drop of 15 points, far beyond chance.
        self.assertLess(warnings._drop_p(160, 200, 570, 600), warnings.ALPHA)
        self.assertGreater(warnings._drop_p(190, 200, 570, 600), warnings.ALPHA)


class LoopTestCase(ActivityTestCase):
    count = 0

    def setUp(self) -> None:
        super().setUp()
        today = timezone.localdate()
        self.warning = Warning.objects.create(
            kind=Warning.Kind.HOTSPOT,
            region_id=WAGE_TOWN,
            period_start=today - dt.timedelta(days=6),
            period_end=today,
            title="莲前街道劳动纠纷类事项异常增多",
            observed=36,
            expected=5.3,
            due_at=timezone.now() + dt.timedelta(days=7),
        )
        self.office = world().unit("siming.lianqian.office")

    def audit(self) -> list[str]:
        return list(
            AuditEvent.objects.filter(target_type="insights.warning", target_id=str(self.warning.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )

    def test_acknowledge_assign_note_close(self) -> None:
        actions.do_acknowledge(self.warning.pk, actor=self.sm_supervisor)
        actions.do_assign(self.warning.pk, actor=self.sm_supervisor, unit=self.office, note="核实欠薪情况")
        actions.do_note(self.warning.pk, actor=self.sm_supervisor, text="已会同人社部门约谈项目部。")
        actions.do_close(self.warning.pk, actor=self.sm_supervisor, text="工资已发放。")
        w = Warning.objects.get(pk=self.warning.pk)
        self.assertEqual(w.status, Warning.Status.CLOSED)
        self.assertEqual(w.assigned_unit, self.office)
        self.assertIn("约谈项目部", w.action_taken)
        self.assertIn("工资已发放", w.action_taken)
        self.assertEqual(
            self.audit(),
            [
                "insights.acknowledge_warning",
                "insights.assign_warning",
                "insights.note_warning",
                "insights.close_warning",
            ],
        )
        with self.assertRaisesMessage(ValidationError, "该预警已办结"):
            actions.do_note(self.warning.pk, actor=self.sm_supervisor, text="再记一笔")

    def test_refusals(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_acknowledge(self.warning.pk, actor=self.hl_supervisor)
        with self.assertRaises(PermissionDenied):
            actions.do_acknowledge(self.warning.pk, actor=self.sm_clerk)
        with self.assertRaisesMessage(ValidationError, "只能交办给您辖区内的单位"):
            actions.do_assign(self.warning.pk, actor=self.sm_supervisor, unit=world().unit("huli.bureau"))
        with self.assertRaisesMessage(ValidationError, "请填写办结情况"):
            actions.do_close(self.warning.pk, actor=self.sm_supervisor, text="  ")
        self.assertEqual(self.audit(), [])
        self.assertEqual(Warning.objects.get(pk=self.warning.pk).status, Warning.Status.OPEN)

    def test_the_pages(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("insights:warning", args=[self.warning.pk])
        self.assertContains(self.client.get(reverse("insights:warnings")), "莲前街道劳动纠纷类事项异常增多")
        self.assertContains(self.client.get(url), "签收")
        response = self.client.post(reverse("insights:warning_acknowledge", args=[self.warning.pk]))
        self.assertRedirects(response, url)
        response = self.client.post(reverse("insights:warning_assign", args=[self.warning.pk]), {"unit": ""})
        self.assertContains(response, "请选择交办单位", status_code=400)
        response = self.client.post(
            reverse("insights:warning_close", args=[self.warning.pk]), {"text": "<b>已处置</b>"}
        )
        self.assertRedirects(response, url)
        page = self.client.get(url)
        self.assertContains(page, "&lt;b&gt;已处置&lt;/b&gt;")
        self.assertContains(page, "已办结")
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(url).status_code, 403)
