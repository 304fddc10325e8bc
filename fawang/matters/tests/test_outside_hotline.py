"""Issue 14, item 6: a hand-over to an outside hotline (12345, 12315, 110) ends our clock — no overdue, no
escalation — and waits for the hotline's ticket number and outcome, which complete the matter; a district
hotline agent can choose those hotlines in the transfer form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from fawang.lib.formfields import model_choice_field
from fawang.orgs.models import Unit

from .. import actions, deadlines
from ..forms import TransferForm
from ..models import Matter, MatterEvent, OutsideHandover
from .base import MONDAY, MatterTestCase, at


class OutsideHotlineTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.matter = self.submit(
            self.mediation,
            actor=self.sm_agent,
            channel="hotline",
            intake_unit=self.sm_centre,
            description="小区商铺夜间噪音扰民，要求有关部门处理。",
        )
        self.hotline = Unit.objects.get(kind=Unit.Kind.HOTLINE, hotline_number="12345")

    def test_a_district_agent_can_choose_the_outside_hotlines(self) -> None:
        form = TransferForm(matter=self.matter, user=self.sm_agent)
        units = model_choice_field(form, "unit").queryset
        assert units is not None
        names = set(units.values_list("name", flat=True))
        self.assertLessEqual(
            {"厦门市12345 政务服务便民热线", "厦门市12315 市场监管投诉举报热线", "厦门市110 报警服务台"},
            names,
        )
        form = TransferForm(
            {"unit": self.hotline.pk, "reason": "属城市管理事项。"}, matter=self.matter, user=self.sm_agent
        )
        self.assertTrue(form.is_valid(), form.errors)

    def test_the_hand_over_ends_our_clock_and_waits_for_ticket_and_outcome(self) -> None:
        self.assertIsNotNone(self.matter.due_at)
        unit = self.matter.unit
        matter = actions.do_transfer(
            self.matter.pk, actor=self.sm_agent, unit=self.hotline, reason="属城市管理事项。", now=MONDAY
        )
        self.assertEqual((matter.unit, matter.due_at, matter.step), (unit, None, ""))
        self.assertTrue(matter.is_open)
        handover = OutsideHandover.objects.get(matter=matter)
        self.assertTrue(handover.is_open)
        event = matter.events.latest("pk")
        self.assertEqual(event.action, MatterEvent.Action.HAND_OVER)
        self.assertEqual(event.summary, "已转交厦门市12345 政务服务便民热线办理")
        # Weeks later nothing is overdue or escalated here.
        deadlines.scan_deadlines(at(2025, 4, 30))
        matter.refresh_from_db()
        self.assertEqual((matter.escalated_at, matter.warned_at, matter.due_at), (None, None, None))
        with self.assertRaises(ValidationError):
            actions.do_transfer(matter.pk, actor=self.sm_agent, unit=self.hotline, reason="再转", now=MONDAY)
        self.client.force_login(self.sm_agent)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "等待外部热线办理结果（本平台不再计时）")
        # Recorded on the detail page: first the ticket, then the outcome.
        url = reverse("matters:outside_reply", args=[matter.pk])
        self.assertRedirects(
            self.client.post(url, {"ticket_no": "XM2025030300123"}),
            reverse("matters:detail", args=[matter.pk]),
        )
        self.client.post(url, {"ticket_no": "", "outcome": ""})
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, matter.status)
        self.client.post(url, {"outcome": "城管执法部门已到场处理，商铺已整改。"})
        done = Matter.objects.get(pk=matter.pk)
        self.assertEqual(done.status, Matter.Status.COMPLETED)
        self.assertEqual(
            done.result,
            "已由厦门市12345 政务服务便民热线办理（工单号 XM2025030300123）：城管执法部门已到场处理，商铺已整改。",
        )
        self.assertEqual(done.handler, self.sm_agent)
        handover.refresh_from_db()
        completed = done.events.get(action="complete")
        self.assertEqual((completed.note, completed.payload), (done.result, {"outside": handover.pk}))
        self.assertTrue(self.messages(done, "matter.completed"))
        self.assertEqual(handover.ticket_no, "XM2025030300123")
        self.assertFalse(handover.is_open)

    def test_outcome_without_a_hand_over_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            actions.do_record_outside_outcome(self.matter.pk, actor=self.sm_agent, outcome="x")
