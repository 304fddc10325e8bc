"""回访 from the desk: a matter's 回访 task (matters.Callback) dialled through the telephone system like a callback,
the PBX's report of the outbound call, and the result stored where the matter's 回访 lives."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.matters.models import Callback, MatterEvent
from fawang.orgs.models import Membership
from fawang.orgs.web import SESSION_KEY

from ..models import Call, CallbackTask, FollowUpDial
from .base import HotlineTestCase

PHONE = "13712340099"


class FollowUpTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.bureau = self.unit("xiamen.bureau")
        # The bureau's 回访 is done by a hotline agent of the city centre who also works for the bureau
        # (matters.callback over the bureau); the seat and the telephone system are the centre's.
        self.fu_agent = User.objects.create_user("xm_followup", kind=User.Kind.STAFF, display_name="回访坐席")
        for unit in (self.xm_centre, self.bureau):
            Membership.objects.create(user=self.fu_agent, unit=unit, role=Membership.Role.HOTLINE_AGENT)
        self.matter = self.submit(
            self.consultation,
            actor=self.xm_agent,
            channel="hotline",
            intake_unit=self.xm_centre,
            person=self.person(phone=PHONE),
            description="咨询劳动合同。",
        )
        self.task = Callback.objects.create(
            matter=self.matter,
            reason="sample",
            unit=self.bureau,
            due_at=timezone.now() + dt.timedelta(days=3),
        )
        self.desk = Client()
        self.desk.force_login(self.fu_agent)
        session = self.desk.session
        session[SESSION_KEY] = self.xm_centre.pk
        session.save()

    def pbx_report(self, dial_id: str, *, answered: bool) -> Call:
        self.post({"event": "newCall", "callId": dial_id, "from": "8001", "to": PHONE, "direction": "out"})
        if answered:
            self.post({"event": "answer", "callId": dial_id, "answeringNumber": "8001"})
        self.post(
            {"event": "hangup", "callId": dial_id, "cause": "normalClearing" if answered else "noAnswer"}
        )
        return Call.objects.get(call_id=dial_id)

    def test_dialled_from_the_desk_reported_by_the_pbx_and_completed_on_the_matter(self) -> None:
        desk = self.desk.get(reverse("hotline:desk"))
        self.assertContains(desk, self.matter.tracking_no)
        self.assertContains(desk, "137****0099")
        self.assertNotContains(desk, PHONE)
        dial_url = reverse("hotline:followup_dial", args=[self.task.pk])
        # No seat yet: the extension is missing, nothing is dialled.
        self.assertContains(self.desk.post(dial_url, follow=True), "请先签入坐席：外呼需要您的分机号。")
        self.assertFalse(FollowUpDial.objects.exists())
        self.desk.post(reverse("hotline:sign_in"), {"extension": "8001", "queue": ""})
        response = self.desk.post(dial_url, follow=True)
        self.assertContains(response, "第 1 次回访外呼：分机 8001 → 137****0099")
        first = FollowUpDial.objects.get()
        # No click-to-dial URL on the centre's telephone system: the order is recorded, the agent dials by hand.
        self.assertEqual(
            (first.dial, first.extension, first.system_id),
            ("recorded", "8001", self.xm_centre.cti_systems.filter(is_active=True).order_by("pk")[0].pk),
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="hotline.followup_dial", actor=self.fu_agent).exists()
        )
        # A second order before the first has an outcome is refused.
        self.assertContains(self.desk.post(dial_url, follow=True), "第 1 次回访外呼尚未登记结果，请先登记。")
        # The PBX reports the outbound call unanswered: 无人接听 is recorded on the matter, the task stays open.
        call = self.pbx_report(first.dial_id, answered=False)
        self.assertEqual((call.direction, call.status, call.caller), ("out", "missed", PHONE))
        self.assertEqual(list(call.matters.all()), [self.matter])
        first.refresh_from_db()
        self.assertEqual((first.outcome, first.call), ("no_answer", call))
        note = MatterEvent.objects.filter(matter=self.matter, action="comment").latest("pk")
        self.assertEqual(note.note, "回访电话第 1 次：无人接听。电话系统报告：外呼未接通（noAnswer）。")
        self.assertIsNone(note.actor)
        self.assertFalse(CallbackTask.objects.filter(call=call).exists())  # ours, not a missed call
        self.task.refresh_from_db()
        self.assertIsNone(self.task.done_at)
        # Second try: answered; the agent records what the person said.
        self.desk.post(dial_url)
        second = FollowUpDial.objects.get(seq=2)
        self.pbx_report(second.dial_id, answered=True)
        done_url = reverse("hotline:followup_done", args=[self.task.pk])
        empty = self.desk.post(done_url, {"outcome": "reached", "text": "", "satisfied": "true"}, follow=True)
        self.assertContains(empty, "请填写回访情况。")
        response = self.desk.post(
            done_url,
            {"outcome": "reached", "text": "对答复满意，问题已解决。", "satisfied": "true"},
            follow=True,
        )
        self.assertContains(response, f"回访已完成：{self.matter.tracking_no}。")
        self.task.refresh_from_db()
        self.assertEqual(
            (self.task.outcome, self.task.satisfied, self.task.done_by),
            ("对答复满意，问题已解决。", True, self.fu_agent),
        )
        event = MatterEvent.objects.filter(matter=self.matter, action="callback").latest("pk")
        self.assertEqual(
            (event.note, event.actor, event.payload["satisfied"]), (self.task.outcome, self.fu_agent, True)
        )
        second.refresh_from_db()
        self.assertEqual(second.outcome, "reached")
        self.assertNotContains(self.desk.get(reverse("hotline:desk")), self.matter.tracking_no)
        # Done is done.
        again = self.desk.post(done_url, {"outcome": "reached", "text": "再次"}, follow=True)
        self.assertContains(again, "该回访任务已经完成。")

    def test_by_hand_and_not_reached(self) -> None:
        done_url = reverse("hotline:followup_done", args=[self.task.pk])
        self.desk.post(done_url, {"outcome": "wrong_number", "text": "空号", "satisfied": "unknown"})
        dial = FollowUpDial.objects.get()
        self.assertEqual((dial.dial, dial.outcome, dial.agent), ("manual", "wrong_number", self.fu_agent))
        note = MatterEvent.objects.filter(matter=self.matter, action="comment").latest("pk")
        self.assertEqual((note.note, note.actor), ("回访电话第 1 次：号码有误。空号", self.fu_agent))
        self.task.refresh_from_db()
        self.assertIsNone(self.task.done_at)

    def test_only_who_may_do_the_matters_callback(self) -> None:
        # The centre's agent took the matter in and sees it, but the 回访 is the bureau's: not on their desk, 403.
        agent = Client()
        agent.force_login(self.xm_agent)
        self.assertNotContains(agent.get(reverse("hotline:desk")), f'data-followup="{self.task.pk}"')
        for name in ("hotline:followup_dial", "hotline:followup_done"):
            response = agent.post(reverse(name, args=[self.task.pk]), {"outcome": "reached", "text": "x"})
            self.assertEqual(response.status_code, 403, name)
        # Another district's agent does not see it at all.
        other = Client()
        other.force_login(User.objects.get(username="hl_agent"))
        response = other.post(reverse("hotline:followup_done", args=[self.task.pk]), {"outcome": "no_answer"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(FollowUpDial.objects.exists())
