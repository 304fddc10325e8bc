"""The agent's desk: a seat, the screen pop with the caller's history, taking in from a call, wrap-up."""

from __future__ import annotations

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.catalog.models import ServiceItem
from fawang.matters.models import Matter

from ..models import Call, Seat
from .base import CALLER, HotlineTestCase


class DeskTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.xm_agent)

    def by_phone(self, item: ServiceItem, description: str = "咨询劳动争议。") -> Matter:
        """A matter the agent took in earlier on the hotline, for a person with the caller's phone number."""
        return self.submit(
            item,
            actor=self.xm_agent,
            intake_unit=self.xm_centre,
            channel="hotline",
            person=self.person(phone=CALLER, id_number=""),
            description=description,
        )

    def test_signing_into_a_seat(self) -> None:
        response = self.client.post(reverse("hotline:sign_in"), {"extension": "8001", "queue": "法律咨询"})
        self.assertRedirects(response, reverse("hotline:desk"))
        seat = Seat.objects.get(agent=self.xm_agent)
        self.assertEqual((seat.unit, seat.extension, seat.queue), (self.xm_centre, "8001", "法律咨询"))
        self.assertTrue(AuditEvent.objects.filter(action="hotline.sign_in", actor=self.xm_agent).exists())
        # Moving to another extension leaves the first one free.
        self.client.post(reverse("hotline:sign_in"), {"extension": "8002"})
        self.assertEqual(
            list(Seat.objects.filter(agent=self.xm_agent).values_list("extension", flat=True)), ["8002"]
        )
        self.assertIsNone(Seat.objects.get(extension="8001").agent)
        response = self.client.post(reverse("hotline:sign_in"), {"extension": "分机"})
        self.assertContains(response, "分机号应为 2 至 10 位数字", status_code=400)
        self.client.post(reverse("hotline:sign_out"))
        self.assertFalse(Seat.objects.filter(agent=self.xm_agent).exists())

    def test_only_hotline_agents_have_a_desk(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("hotline:desk")).status_code, 403)
        self.assertEqual(self.client.post(reverse("hotline:sign_in"), {"extension": "8001"}).status_code, 403)
        self.assertFalse(Seat.objects.exists())

    def test_the_screen_pop_shows_the_caller_and_their_history(self) -> None:
        earlier = self.by_phone(self.consultation)
        self.seat_in(queue="法律咨询")
        self.ring("old", seconds=0)
        self.answer("old", seconds=5)
        self.hangup("old", seconds=60)
        self.client.post(
            reverse("hotline:wrap_up", args=[self.call("old").pk]), {"code": "info", "next": "desk"}
        )
        self.ring("now", seconds=600)
        pop = self.client.get(reverse("hotline:pop"))
        html = pop.content.decode()
        self.assertIn("139****5678", html)
        self.assertIn(earlier.tracking_no, html)  # registered with that phone number at a window
        self.assertIn("重复来电：近 7 日内已来电 1 次。", html)
        self.assertIn(reverse("hotline:take_in", args=[self.call("now").pk]), html)
        self.assertNotIn(CALLER, html)
        # A call in another queue does not pop on this seat.
        Call.objects.filter(call_id="now").update(status=Call.Status.ENDED)
        self.ring("other", seconds=620, queue="法律援助")
        self.assertContains(self.client.get(reverse("hotline:pop")), "暂无来电")

    def test_an_open_complaint_is_a_warning(self) -> None:
        from fawang.catalog.models import BusinessLine, ServiceItem

        complaint = ServiceItem.objects.filter(business_line=BusinessLine.COMPLAINT, is_active=True).first()
        assert complaint is not None
        self.by_phone(complaint)
        self.seat_in()
        self.ring("c")
        self.assertContains(self.client.get(reverse("hotline:pop")), "该来电人有未办结的投诉")

    def test_the_pop_costs_the_same_queries_whatever_the_history(self) -> None:
        self.seat_in()
        self.ring("q0", seconds=0)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("hotline:pop")).status_code, 200)
            return len(queries)

        for i in range(13):
            if i == 1:
                count()  # the first request after signing in also saves the session
                few = count()
            self.ring(f"h{i}", seconds=-(i + 1) * 60)  # 1 earlier call and matter, then 13 of each
            self.hangup(f"h{i}", seconds=-(i + 1) * 60 + 5, cause="cancel")
            self.by_phone(self.consultation, description=f"第{i}次咨询")
        self.assertEqual(count(), few)

    def test_taking_in_from_a_call(self) -> None:
        self.seat_in()
        self.ring("t1")
        self.answer("t1", seconds=3)
        call = self.call("t1")
        url = reverse("hotline:take_in", args=[call.pk])
        form = self.client.get(url)
        self.assertContains(form, f'value="{CALLER}"')  # the number is filled in, and that is recorded
        self.assertTrue(
            AuditEvent.objects.filter(
                action="hotline.show_number", target_id=str(call.pk), actor=self.xm_agent
            ).exists()
        )
        key = uuid.uuid4().hex
        data = {
            "idempotency_key": key,
            "channel": "hotline",
            "name": "林小华",
            "phone": CALLER,
            "id_number": "",
            "address": "",
            "region": "350203",
            "req-service_item": self.consultation.pk,
            "req-description": "公司拖欠工资怎么办？",
            "req-answer": "可向劳动保障监察部门投诉，或申请劳动仲裁。",
        }
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("hotline:call", args=[call.pk]))
        matter = call.matters.get()
        self.assertEqual((matter.channel, matter.status), ("hotline", Matter.Status.COMPLETED))
        self.assertEqual(matter.person.phone, CALLER)
        # The same form sent again registers nothing more.
        self.client.post(url, data)
        self.assertEqual(call.matters.count(), 1)
        self.assertEqual(Matter.objects.filter(person__name="林小华").count(), 1)
        self.assertTrue(AuditEvent.objects.filter(action="hotline.take_in", note=matter.tracking_no).exists())
        # The next call from the number pops with that matter.
        self.hangup("t1", seconds=200)
        self.client.post(reverse("hotline:wrap_up", args=[call.pk]), {"code": "answered", "next": "desk"})
        self.ring("t2", seconds=400)
        self.assertContains(self.client.get(reverse("hotline:pop")), matter.tracking_no)
        # The matter's page has the hotline's panel: the call it came from, the number masked.
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "hotline-panel-title")
        self.assertContains(page, reverse("hotline:call", args=[call.pk]))
        self.assertContains(page, "139****5678")
        self.assertNotContains(page, reverse("hotline:call", args=[self.call("t2").pk]))

    def test_taking_in_keeps_what_was_typed_on_an_error(self) -> None:
        self.ring("t3")
        call = self.call("t3")
        response = self.client.post(
            reverse("hotline:take_in", args=[call.pk]),
            {
                "idempotency_key": uuid.uuid4().hex,
                "channel": "hotline",
                "name": "<b>林</b>",
                "phone": "12345",
                "region": "350203",
                "req-service_item": self.consultation.pk,
                "req-description": "咨询<script>alert(1)</script>",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "咨询&lt;script&gt;alert(1)&lt;/script&gt;", status_code=400)
        self.assertNotContains(response, "<script>alert(1)</script>", status_code=400)
        self.assertFalse(call.matters.exists())

    def test_wrap_up(self) -> None:
        self.seat_in()
        self.ring("w1")
        self.answer("w1", seconds=2)
        self.hangup("w1", seconds=90)
        call = self.call("w1")
        self.assertContains(self.client.get(reverse("hotline:pop")), "保存小结")
        response = self.client.post(
            reverse("hotline:wrap_up", args=[call.pk]),
            {"code": "answered", "notes": "<i>解答</i>", "next": "desk"},
        )
        self.assertRedirects(response, reverse("hotline:desk"))
        call.refresh_from_db()
        self.assertEqual((call.wrap_code, call.wrap_notes), ("answered", "<i>解答</i>"))
        self.assertContains(self.client.get(reverse("hotline:pop")), "暂无来电")
        page = self.client.get(reverse("hotline:call", args=[call.pk]))
        self.assertContains(page, "&lt;i&gt;解答&lt;/i&gt;")
        self.assertTrue(AuditEvent.objects.filter(action="hotline.wrap_up").exists())

    def test_calls_of_other_centres_are_404(self) -> None:
        self.ring("x1")
        call = self.call("x1")
        sm_agent = self.sm_agent
        self.client.force_login(sm_agent)
        for name in ("hotline:call", "hotline:take_in"):
            self.assertEqual(self.client.get(reverse(name, args=[call.pk])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("hotline:wrap_up", args=[call.pk]), {"code": "info"}).status_code, 404
        )
