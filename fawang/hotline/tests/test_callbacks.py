"""Missed and abandoned calls become callback tasks with a working-hours time limit, for the queue's agents."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.calendar import workdays
from fawang.orgs.models import Membership

from .. import actions, cti
from ..models import Call, CallbackTask
from .base import HotlineTestCase

TZ = timezone.get_default_timezone()


class CallbackTestCase(HotlineTestCase):
    def test_a_missed_call_becomes_a_callback_for_the_queue(self) -> None:
        other = User.objects.create_user("xm_agent2", kind=User.Kind.STAFF, display_name="黄晓琳")
        Membership.objects.create(user=other, unit=self.xm_centre, role=Membership.Role.HOTLINE_AGENT)
        self.seat_in(extension="8001", queue="法律援助")
        self.seat_in(other, extension="8002", queue="法律咨询")
        self.ring("m1", queue="法律咨询")
        self.hangup("m1", seconds=45, cause="noAnswer")
        task = CallbackTask.objects.get(call__call_id="m1")
        call = task.call
        self.assertEqual(call.status, Call.Status.MISSED)
        self.assertEqual((task.status, task.queue, task.assigned_to), ("open", "法律咨询", other))
        assert call.ended_at is not None
        self.assertEqual(task.due_at, workdays.add_workhours(call.ended_at, 2))
        # Resending the hang-up makes no second task.
        self.hangup("m1", seconds=45, cause="noAnswer")
        self.assertEqual(CallbackTask.objects.count(), 1)

    def test_the_time_limit_counts_working_hours(self) -> None:
        friday_evening = dt.datetime(2025, 3, 7, 18, 0, tzinfo=TZ)
        call = Call.objects.create(
            system=self.system,
            unit=self.xm_centre,
            call_id="fri",
            caller="13900001111",
            rang_at=friday_evening,
        )
        for kind, moment in (
            ("newCall", friday_evening),
            ("hangup", friday_evening + dt.timedelta(seconds=30)),
        ):
            event = cti.Event(
                kind=kind, call_id="fri", occurred_at=moment, number_from="13900001111", direction="in"
            )
            actions.ingest(self.system, event)
        task = CallbackTask.objects.get(call=call)
        # Two working hours from Friday 18:00: Monday 08:30 + 2 h.
        self.assertEqual(timezone.localtime(task.due_at), dt.datetime(2025, 3, 10, 10, 30, tzinfo=TZ))

    def test_the_agent_completes_it_from_the_desk(self) -> None:
        self.seat_in()
        self.ring("m2")
        self.hangup("m2", seconds=20, cause="cancel")
        task = CallbackTask.objects.get(call__call_id="m2")
        self.client.force_login(self.xm_agent)
        desk = self.client.get(reverse("hotline:desk"))
        self.assertContains(desk, "139****5678")
        self.assertContains(desk, reverse("hotline:callback_done", args=[task.pk]))
        response = self.client.post(
            reverse("hotline:callback_done", args=[task.pk]),
            {"outcome": "reached", "note": "已回电解答", "next": "desk"},
        )
        self.assertRedirects(response, reverse("hotline:desk"))
        task.refresh_from_db()
        self.assertEqual((task.status, task.outcome, task.done_by), ("done", "reached", self.xm_agent))
        self.assertTrue(task.on_time)
        self.assertTrue(
            AuditEvent.objects.filter(action="hotline.callback_done", target_id=str(task.pk)).exists()
        )
        response = self.client.post(
            reverse("hotline:callback_done", args=[task.pk]), {"outcome": "reached"}, follow=True
        )
        self.assertContains(response, "该回拨任务已处理")

    def test_supervisors_see_callbacks_of_their_reach(self) -> None:
        self.ring("m3")
        self.hangup("m3", seconds=20, cause="noAnswer")
        task = CallbackTask.objects.get(call__call_id="m3")
        self.client.force_login(self.xm_supervisor)
        self.assertContains(self.client.get(reverse("hotline:callbacks")), "139****5678")
        # A supervisor looks, but the agents ring back.
        response = self.client.post(reverse("hotline:callback_done", args=[task.pk]), {"outcome": "reached"})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.sm_supervisor)  # 思明区司法局 does not reach the city's centre
        self.assertNotContains(self.client.get(reverse("hotline:callbacks")), "139****5678")
        self.assertEqual(
            self.client.post(
                reverse("hotline:callback_done", args=[task.pk]), {"outcome": "reached"}
            ).status_code,
            404,
        )
        task.refresh_from_db()
        self.assertEqual(task.status, "open")

    def test_outbound_and_answered_calls_need_no_callback(self) -> None:
        self.post(
            {"event": "newCall", "from": "12348", "to": "13900002222", "direction": "out", "callId": "o1"}
        )
        self.post({"event": "hangup", "callId": "o1", "cause": "noAnswer"})
        call = self.call("o1")
        self.assertEqual((call.direction, call.caller, call.status), ("out", "13900002222", "missed"))
        self.ring("a1")
        self.answer("a1", seconds=5)
        self.hangup("a1", seconds=50)
        self.assertFalse(CallbackTask.objects.exists())
