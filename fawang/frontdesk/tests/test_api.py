"""Appointments on REST API v1: the public slots of a point, a citizen's bookings (book with an Idempotency-Key,
cancel, reschedule, a remote visit), the front desk's day, check-in and review; the one error format and the
same 404 for another person's or another district's booking."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.notify.models import Message

from ..models import Appointment, Schedule, Slot
from .base import FrontdeskTestCase, next_workdays

TZ = timezone.get_default_timezone()


class AppointmentApiTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # throttle counts
        self.sched = self.schedule(today=timezone.localdate(), days_ahead=10, capacity=2)
        self.day = next_workdays(1)[0]
        self.slots = self.slots_of(self.sched, self.day)

    def as_user(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '测试')[1]}")
        return client

    @staticmethod
    def post(client: APIClient, url: str, data: Any, key: str | None = None) -> Any:
        return client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex)

    def assertError(self, response: Any, status: int, code: str, message: str | None = None) -> None:
        self.assertEqual(response.status_code, status, response.content.decode())
        error = response.json()["error"]
        self.assertEqual(set(error), {"code", "message", "fields"})
        self.assertEqual(error["code"], code)
        if message is not None:
            self.assertIn(message, error["message"])

    def book(self, client: APIClient, slot: Slot, key: str | None = None) -> Any:  # type: ignore[override]
        return self.post(
            client,
            reverse("api:me_appointments"),
            {
                "slot": slot.pk,
                "service_item": self.consult_item.pk,
                "reason": "咨询劳动争议",
                "channel": "wechat",
            },
            key,
        )

    def test_the_public_sees_the_items_and_the_slots_with_places(self) -> None:
        info = APIClient().get(reverse("api:point_booking", args=[self.point.pk])).json()
        self.assertEqual(info["unit"], {"id": self.point.pk, "name": self.point.name})
        self.assertEqual(
            info["items"],
            [{"id": self.consult_item.pk, "code": "consultation", "name": "法律咨询", "remote_visit": False}],
        )
        url = reverse("api:point_slots", args=[self.point.pk])
        out = APIClient().get(url, {"date": f"{self.day:%Y-%m-%d}"}).json()
        self.assertEqual([r["id"] for r in out["results"]], [s.pk for s in self.slots])
        first = out["results"][0]
        self.assertEqual(first["places_left"], 2)
        self.assertEqual(first["service_items"], [self.consult_item.pk])
        self.assertEqual(first["place"], "综合窗口")
        self.assertEqual(dt.datetime.fromisoformat(first["starts_at"]), self.slots[0].starts_at)
        Slot.objects.filter(pk=self.slots[0].pk).update(booked=2)
        out = APIClient().get(url, {"date": f"{self.day:%Y-%m-%d}"}).json()
        self.assertNotIn(self.slots[0].pk, [r["id"] for r in out["results"]])
        self.assertError(
            APIClient().get(url, {"item": self.mediation.pk}),
            400,
            "item_not_offered",
            "本服务点不接受该事项的预约。",
        )
        self.assertError(APIClient().get(url, {"date": "2026-13-01"}), 400, "invalid")
        other = self.unit("siming.yundang.station")
        self.assertError(APIClient().get(reverse("api:point_slots", args=[other.pk])), 404, "not_found")

    def test_a_citizen_books_idempotently_then_reschedules_and_cancels(self) -> None:
        client = self.as_user(self.alice)
        response = client.post(
            reverse("api:me_appointments"),
            {"slot": self.slots[0].pk, "service_item": self.consult_item.pk, "reason": "咨询"},
            format="json",
        )
        self.assertError(response, 400, "idempotency_key_required", "新建请求须带 Idempotency-Key 请求头。")
        first = self.book(client, self.slots[0], key="k-1")
        self.assertEqual(first.status_code, 201, first.content)
        body = first.json()
        appointment = Appointment.objects.get(pk=body["id"])
        self.assertEqual(
            (appointment.channel, appointment.status, appointment.user),
            ("wechat", Appointment.Status.BOOKED, self.alice),
        )
        self.assertEqual(body["status_label"], "已预约")
        self.assertEqual(body["events"][0]["action"], "book")
        self.assertTrue(body["can_change"])
        again = self.book(client, self.slots[0], key="k-1")
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Appointment.objects.filter(user=self.alice).count(), 1)
        self.assertError(
            self.book(client, self.slots[0]), 400, "same_slot", "您已预约了该时段，请勿重复预约。"
        )

        listing = client.get(reverse("api:me_appointments")).json()
        self.assertEqual([r["number"] for r in listing["results"]], [appointment.number])

        moved = self.post(
            client,
            reverse("api:me_appointment_reschedule", args=[appointment.pk]),
            {"slot": self.slots[2].pk},
        )
        self.assertEqual(moved.status_code, 200, moved.content)
        self.assertEqual(moved.json()["slot"]["id"], self.slots[2].pk)
        cancelled = self.post(
            client, reverse("api:me_appointment_cancel", args=[appointment.pk]), {"reason": "有事"}
        )
        self.assertEqual(cancelled.json()["status"], "cancelled")
        self.assertEqual(
            list(Message.objects.filter(user=self.alice).order_by("pk").values_list("kind", flat=True)),
            ["appointment.booked", "appointment.rescheduled", "appointment.cancelled"],
        )
        self.assertError(
            self.post(client, reverse("api:me_appointment_cancel", args=[appointment.pk]), {}),
            400,
            "invalid_transition",
            "该预约当前状态为“已取消”，不能取消。",
        )

    def test_the_last_place_and_the_errors_are_in_chinese(self) -> None:
        self.book(self.as_user(self.alice), self.slots[0])
        self.book(self.as_user(self.bob), self.slots[0])
        third = self.real_named("周海燕", seq="321")
        self.assertError(
            self.book(self.as_user(third), self.slots[0]), 400, "slot_full", "该时段已约满，请选择其他时段。"
        )
        client = self.as_user(third)
        bad = self.post(
            client,
            reverse("api:me_appointments"),
            {"slot": self.slots[1].pk, "service_item": 999999, "reason": "x"},
        )
        self.assertError(bad, 400, "invalid", "没有这个服务事项。")
        self.assertError(
            self.post(
                client,
                reverse("api:me_appointments"),
                {"slot": self.slots[1].pk, "service_item": self.visit_item.pk, "reason": "x"},
            ),
            400,
            "use_remote_visits",
        )
        no_name = self.as_user(self.citizen)
        self.assertError(self.book(no_name, self.slots[1]), 400, "no_real_name", "预约前请先填写实名信息")

    def test_a_remote_visit_waits_for_review_and_staff_approve_it(self) -> None:
        centre = self.unit("siming.centre")
        info = APIClient().get(reverse("api:point_booking", args=[centre.pk])).json()
        self.assertIn({"id": self.prison.pk, "name": "厦门市看守所"}, info["prisons"])
        schedule = Schedule.objects.get(unit=centre, name="远程视频探视")
        slot = (
            Slot.objects.bookable()
            .filter(schedule=schedule, starts_at__gt=timezone.now() + dt.timedelta(days=1))
            .order_by("starts_at")
            .first()
        )
        assert slot is not None
        client = self.as_user(self.alice)
        visit = {
            "slot": slot.pk,
            "reason": "探视父亲",
            "prison": self.prison.pk,
            "inmate_name": "林大海",
            "relation": "parent",
        }
        bad = self.post(client, reverse("api:me_remote_visits"), {**visit, "id_number": "123"})
        self.assertError(bad, 400, "invalid_id_format", "身份证号码应为 18 位")
        self.assertEqual(
            bad.json()["error"]["fields"], {"id_number": ["身份证号码应为 18 位，最后一位可以是数字或 X。"]}
        )
        from fawang.matters.tests.base import id_number

        response = self.post(
            client, reverse("api:me_remote_visits"), {**visit, "id_number": id_number(seq="456")}
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["status"], "pending")
        self.assertEqual(body["remote_visit"]["inmate_name"], "林大海")
        self.assertEqual(
            body["remote_visit"]["id_number"],
            id_number(seq="456")[:6] + "********" + id_number(seq="456")[-4:],
        )
        staff = self.as_user(self.sm_clerk)
        review = self.post(staff, reverse("api:desk_review", args=[body["id"]]), {"approve": False})
        self.assertError(review, 400, "no_note", "请填写未通过审核的理由，将告知预约人。")
        review = self.post(staff, reverse("api:desk_review", args=[body["id"]]), {"approve": True})
        self.assertEqual(review.json()["status"], "booked")
        self.assertEqual(review.json()["name"], "林*燕")

    def test_the_desk_lists_the_day_and_checks_in_on_the_day(self) -> None:
        appointment = Appointment.objects.get(
            pk=self.book(self.as_user(self.alice), self.slots[0]).json()["id"]
        )
        staff = self.as_user(self.sm_clerk)
        day = staff.get(
            reverse("api:desk_appointments"), {"unit": self.point.pk, "date": f"{self.day:%Y-%m-%d}"}
        ).json()
        self.assertEqual(
            [(r["number"], r["name"], r["phone"]) for r in day["results"]],
            [(appointment.number, "林*燕", appointment.phone_masked)],
        )
        self.assertError(
            self.post(staff, reverse("api:desk_check_in", args=[appointment.pk]), {}),
            400,
            "not_today",
            "只能在预约当天签到",
        )
        with mock.patch(
            "django.utils.timezone.now", return_value=dt.datetime.combine(self.day, dt.time(8, 40), tzinfo=TZ)
        ):
            done = self.post(staff, reverse("api:desk_check_in", args=[appointment.pk]), {})
        self.assertEqual(done.json()["status"], "checked_in")

    def test_a_paused_booker_gets_the_reason_as_a_400(self) -> None:
        self.missed(self.slots[:3])
        response = self.book(self.as_user(self.alice), self.slots[0], key="k-pause")
        self.assertError(response, 400, "no_show_pause", "网上预约暂停至")
        self.assertEqual(Appointment.objects.filter(user=self.alice).count(), 3)

    def test_nobody_else_sees_a_booking(self) -> None:
        appointment_id = self.book(self.as_user(self.alice), self.slots[0]).json()["id"]
        bob = self.as_user(self.bob)
        self.assertError(bob.get(reverse("api:me_appointment", args=[appointment_id])), 404, "not_found")
        self.assertError(
            self.post(bob, reverse("api:me_appointment_cancel", args=[appointment_id]), {}), 404, "not_found"
        )
        huli = self.as_user(self.hl_clerk)
        self.assertError(huli.get(reverse("api:desk_appointment", args=[appointment_id])), 404, "not_found")
        self.assertError(
            self.post(huli, reverse("api:desk_check_in", args=[appointment_id]), {}), 404, "not_found"
        )
        self.assertError(
            huli.get(reverse("api:desk_appointments"), {"unit": self.point.pk}), 404, "not_found"
        )
        # A staff token does not reach the citizens' endpoints, nor a citizen's token the staff ones.
        self.assertError(self.as_user(self.sm_clerk).get(reverse("api:me_appointments")), 404, "not_found")
        self.assertError(bob.get(reverse("api:desk_appointment", args=[appointment_id])), 404, "not_found")
        self.assertEqual(Appointment.objects.get(pk=appointment_id).status, Appointment.Status.BOOKED)

    def test_the_schema_documents_the_endpoints_with_idempotency_keys(self) -> None:
        import yaml

        document = yaml.safe_load(self.client.get(reverse("api:schema")).content)
        paths = document["paths"]
        for path in (
            "/api/v1/service-points/{id}/slots/",
            "/api/v1/me/appointments/",
            "/api/v1/me/remote-visits/",
            "/api/v1/me/appointments/{id}/reschedule/",
            "/api/v1/frontdesk/appointments/{id}/check-in/",
        ):
            self.assertIn(path, paths)
        for path in ("/api/v1/me/appointments/", "/api/v1/me/remote-visits/"):
            headers = [p["name"] for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
            self.assertIn("Idempotency-Key", headers)
