"""外呼回拨: the agent rings a missed caller back from the desk. The click-to-dial request goes to the telephone
system's interface (or, without one, is only recorded here); the PBX reports the outbound call under our callId;
each try is counted, and a number not reached after the centre's maximum closes the task by the rule."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from django.urls import reverse

from fawang.audit.models import AuditEvent

from .. import actions, centre, cti
from ..models import Call, CallbackAttempt, CallbackTask
from .base import CALLER, HotlineTestCase


class FakeResponse:
    def __init__(self, status: int) -> None:
        self.status = status

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *args: Any) -> None:
        return None


class DialTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.seat_in(extension="8001")
        self.ring("miss")
        self.hangup("miss", seconds=30, cause="noAnswer")
        self.task = CallbackTask.objects.get(call__call_id="miss")
        self.client.force_login(self.xm_agent)

    def dial(self) -> Any:
        return self.client.post(
            reverse("hotline:callback_dial", args=[self.task.pk]), {"next": "desk"}, follow=True
        )

    def test_without_a_dial_interface_the_request_is_recorded_and_the_outcome_closes_it(self) -> None:
        response = self.dial()
        self.assertContains(response, "第 1 次外呼：分机 8001 → 139****5678。")
        self.assertContains(response, "外呼请求已记录，请用话机拨打")
        attempt = CallbackAttempt.objects.get(task=self.task)
        self.assertEqual((attempt.seq, attempt.dial, attempt.extension), (1, "recorded", "8001"))
        self.assertTrue(attempt.dial_id.startswith("fw-cb-"))
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.attempts), ("open", 1))
        self.assertTrue(AuditEvent.objects.filter(action="hotline.callback_dial").exists())
        # A second dial before the first one's outcome is refused.
        self.assertContains(self.dial(), "第 1 次外呼尚未登记结果，请先登记。")
        self.assertEqual(CallbackAttempt.objects.count(), 1)
        # The outcome of that attempt closes the task.
        self.client.post(
            reverse("hotline:callback_done", args=[self.task.pk]),
            {"outcome": "reached", "note": "已解答", "next": "desk"},
        )
        attempt.refresh_from_db()
        self.task.refresh_from_db()
        self.assertEqual((attempt.outcome, attempt.note), ("reached", "已解答"))
        self.assertEqual((self.task.status, self.task.outcome, self.task.attempts), ("done", "reached", 1))

    def test_the_dial_interface_gets_a_signed_order_and_the_pbx_reports_the_call(self) -> None:
        system = self.system
        centre.do_update_system(system.pk, actor=self.sysadmin, data={"dial_url": "https://pbx.example/dial"})
        secret = "s3cret-for-dialling"
        system.secret = secret
        system.save(update_fields=["secret"])
        with mock.patch("urllib.request.urlopen", return_value=FakeResponse(200)) as urlopen:
            self.assertContains(self.dial(), "电话系统已接受外呼请求。")
        request = urlopen.call_args.args[0]
        order = json.loads(request.data)
        attempt = CallbackAttempt.objects.get(task=self.task)
        self.assertEqual(request.full_url, "https://pbx.example/dial")
        self.assertEqual(
            order,
            {
                "event": "dial",
                "callId": attempt.dial_id,
                "from": "8001",
                "to": CALLER,
                "direction": "out",
                "queue": "法律咨询",
            },
        )
        stamp = request.get_header("X-fawang-timestamp")
        self.assertEqual(request.get_header("X-fawang-signature"), cti.sign(secret, stamp, request.data))
        self.assertEqual(attempt.dial, "sent")
        # The PBX reports the outbound call, hang-up first: logged as an outbound call, no callback of its own,
        # linked to the attempt; unanswered, so the attempt's outcome is recorded for the agent.
        headers = self.signed_headers
        for data in (
            {"event": "hangup", "callId": attempt.dial_id, "cause": "noAnswer", "timestamp": self.at(1900)},
            {
                "event": "newCall",
                "callId": attempt.dial_id,
                "from": "8001",
                "to": CALLER,
                "direction": "out",
                "timestamp": self.at(1870),
            },
        ):
            body = json.dumps(data).encode()
            response = self.pbx.post(
                reverse("api:hotline_cti", args=[self.token]),
                body,
                content_type="application/json",
                **headers(body, secret),
            )
            self.assertEqual(response.status_code, 200, response.content)
        call = Call.objects.get(call_id=attempt.dial_id)
        self.assertEqual((call.direction, call.status, call.caller), ("out", "missed", CALLER))
        self.assertEqual(CallbackTask.objects.count(), 1)
        attempt.refresh_from_db()
        self.assertEqual((attempt.call, attempt.outcome), (call, "no_answer"))
        self.assertIn("外呼未接通", attempt.note)
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.attempts), ("open", 1))
        # The missed call's page lists the try and links the outbound call.
        page = self.client.get(reverse("hotline:call", args=[self.task.call_id]))
        self.assertContains(page, "第 1 次")
        self.assertContains(page, reverse("hotline:call", args=[call.pk]))

    def test_a_refused_dial_is_kept_but_not_counted(self) -> None:
        centre.do_update_system(
            self.system.pk, actor=self.sysadmin, data={"dial_url": "https://pbx.example/dial"}
        )
        with mock.patch("urllib.request.urlopen", side_effect=OSError("connection refused")):
            self.assertContains(self.dial(), "无法连接电话系统外呼接口")
        attempt = CallbackAttempt.objects.get(task=self.task)
        self.task.refresh_from_db()
        self.assertEqual((attempt.dial, self.task.attempts, self.task.status), ("failed", 0, "open"))

    def test_a_number_not_reached_closes_after_the_centres_maximum(self) -> None:
        centre.do_save_settings(actor=self.sysadmin, unit=self.xm_centre, data={"callback_max_attempts": 2})
        for n, status in ((1, "open"), (2, "unreached")):
            self.dial()
            response = self.client.post(
                reverse("hotline:callback_done", args=[self.task.pk]),
                {"outcome": "no_answer", "next": "desk"},
                follow=True,
            )
            self.task.refresh_from_db()
            self.assertEqual((self.task.attempts, self.task.status), (n, status))
        self.assertContains(response, "已回拨 2 次均未接通，任务按规则关闭。")
        self.assertEqual(self.task.done_by, self.xm_agent)
        self.assertContains(self.dial(), "该回拨任务已处理。")
        self.assertEqual(
            list(CallbackAttempt.objects.values_list("seq", "outcome")), [(1, "no_answer"), (2, "no_answer")]
        )

    def test_a_wrong_number_closes_at_once_and_a_hand_dialled_call_counts(self) -> None:
        # No dial from the desk: the agent rang from the desk phone and records it.
        actions.do_complete_callback(self.task.pk, actor=self.xm_agent, outcome="wrong_number")
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.attempts), ("done", 1))
        self.assertEqual(CallbackAttempt.objects.get().dial, "manual")

    def test_dialling_needs_a_seat(self) -> None:
        actions.do_sign_out(actor=self.xm_agent)
        self.assertContains(self.dial(), "请先签入坐席：外呼需要您的分机号。")
        self.assertFalse(CallbackAttempt.objects.exists())

    def test_the_desk_offers_the_dial_and_shows_the_tries(self) -> None:
        self.dial()
        desk = self.client.get(reverse("hotline:desk"))
        self.assertContains(desk, reverse("hotline:callback_dial", args=[self.task.pk]))
        self.assertContains(desk, "外呼回拨")
        self.assertContains(desk, "1 次")
