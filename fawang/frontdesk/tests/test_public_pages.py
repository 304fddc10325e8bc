"""预约办理 and 我的预约 in the browser's terms: the portal links, the steps of booking, the confirm page, a resent
confirmation, rescheduling, cancelling, and another person's booking being a 404. These run at the real time,
so the schedule is made for the coming working days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fawang.matters.tests.base import id_number
from fawang.notify.models import Message
from fawang.orgs.models import Unit

from .. import actions
from ..models import Appointment, RemoteVisit, Slot
from .base import FrontdeskTestCase, next_workdays


class PublicBookingTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sched = self.schedule(today=timezone.localdate(), days_ahead=10, capacity=2)
        self.days = next_workdays(2)
        self.url = reverse("appoint:book", args=[self.point.pk])

    def first_slot(self, day_index: int = 0) -> Slot:
        return self.slots_of(self.sched, self.days[day_index])[0]

    def test_the_portal_offers_booking_on_the_point_page_and_in_the_finder(self) -> None:
        page = self.client.get(reverse("portal:unit_detail", args=[self.point.pk]))
        self.assertContains(page, f'href="{self.url}"')
        self.assertContains(page, "预约办理")
        finder = self.client.get(reverse("portal:finder"), {"region": self.point.region_id})
        self.assertContains(finder, f'href="{self.url}"')
        # A point without a schedule has no link.
        other = self.unit("siming.yundang.station")
        self.assertNotContains(
            self.client.get(reverse("portal:unit_detail", args=[other.pk])),
            reverse("appoint:book", args=[other.pk]),
        )

    def test_signing_in_and_real_name_come_first(self) -> None:
        response = self.client.get(self.url)
        self.assertRedirects(
            response,
            reverse("me:login") + "?next=" + self.url.replace("/", "%2F"),
            fetch_redirect_response=False,
        )
        self.client.force_login(self.citizen)  # no ID number on file
        response = self.client.get(self.url)
        self.assertRedirects(
            response,
            reverse("me:profile") + "?next=" + self.url.replace("/", "%2F"),
            fetch_redirect_response=False,
        )

    def test_a_person_with_three_no_shows_is_told_why_booking_is_paused(self) -> None:
        self.missed(self.slots_of(self.sched, self.days[0])[:3])
        self.client.force_login(self.alice)
        until = self.days[0] + dt.timedelta(days=90)
        notice = f"网上预约暂停至 {until.year}年{until.month}月{until.day}日"
        page = self.client.get(self.url, {"item": self.consult_item.pk})
        self.assertContains(page, notice)
        self.assertContains(page, "请直接到服务窗口或拨打 12348 公共法律服务热线")
        self.assertNotContains(page, "第 2 步，共 4 步")  # no dates offered
        posted = self.client.post(
            self.url,
            {"item": self.consult_item.pk, "date": f"{self.days[1]:%Y-%m-%d}", "slot": self.first_slot(1).pk},
        )
        self.assertContains(posted, notice, status_code=400)
        self.assertEqual(Appointment.objects.filter(user=self.alice).count(), 3)
        listing = self.client.get(reverse("appoint:list"))
        self.assertContains(listing, notice)
        self.assertNotContains(listing, "找服务点预约")
        # Bob, with no no-shows, is offered the steps as usual.
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(self.url), "第 1 步，共 4 步：选择事项")

    def test_item_day_slot_confirm_and_a_resent_confirmation(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(self.url)
        self.assertContains(page, "第 1 步，共 4 步：选择事项")
        self.assertContains(page, f'href="?item={self.consult_item.pk}"')
        page = self.client.get(self.url, {"item": self.consult_item.pk})
        day = self.days[0]
        self.assertContains(page, f"date={day:%Y-%m-%d}")
        self.assertContains(page, "余 6 个名额")  # three slots of two places
        page = self.client.get(self.url, {"item": str(self.consult_item.pk), "date": f"{day:%Y-%m-%d}"})
        slot = self.first_slot()
        self.assertContains(page, f'value="{slot.pk}"')
        self.assertContains(page, "08:30-09:00 · 综合窗口 · 余 2 个名额")
        key = page.context["form"]["key"].value()
        form = {
            "item": self.consult_item.pk,
            "date": f"{day:%Y-%m-%d}",
            "slot": slot.pk,
            "reason": "<script>x</script>咨询离婚",
            "key": key,
        }

        confirm = self.client.post(self.url, form)
        self.assertContains(confirm, "请确认预约信息")
        self.assertContains(confirm, "&lt;script&gt;x&lt;/script&gt;咨询离婚")
        self.assertNotContains(confirm, "<script>x</script>")
        self.assertFalse(Appointment.objects.exists())

        done = self.client.post(self.url, {**form, "confirm": "1"})
        appointment = Appointment.objects.get()
        self.assertRedirects(
            done, reverse("appoint:detail", args=[appointment.pk]), fetch_redirect_response=False
        )
        self.assertEqual(
            (appointment.user, appointment.slot, appointment.status),
            (self.alice, slot, Appointment.Status.BOOKED),
        )
        self.assertEqual(appointment.reason, "<script>x</script>咨询离婚")
        again = self.client.post(self.url, {**form, "confirm": "1"})
        self.assertRedirects(
            again, reverse("appoint:detail", args=[appointment.pk]), fetch_redirect_response=False
        )
        self.assertEqual(Appointment.objects.count(), 1)
        self.assertEqual(Slot.objects.get(pk=slot.pk).booked, 1)

        detail = self.client.get(reverse("appoint:detail", args=[appointment.pk]))
        self.assertContains(detail, f"预约成功，预约号 {appointment.number}。")
        self.assertContains(detail, "已预约")
        self.assertContains(detail, "鹭江街道公共法律服务工作站")
        self.assertContains(detail, "&lt;script&gt;")

    def test_errors_keep_what_was_typed(self) -> None:
        self.client.force_login(self.alice)
        day, slot = self.days[0], self.first_slot()
        base = {"item": self.consult_item.pk, "date": f"{day:%Y-%m-%d}", "key": "k" * 20}
        page = self.client.post(self.url, {**base, "reason": "咨询", "confirm": "1"})
        self.assertContains(page, "请选择预约时段。", status_code=400)
        page = self.client.post(self.url, {**base, "slot": slot.pk, "reason": "", "confirm": "1"})
        self.assertContains(page, "请填写预约事由，如要咨询或办理的事情。", status_code=400)
        # The slot filled up between the steps: a Chinese error, nothing booked, the reason kept.
        Slot.objects.filter(pk=slot.pk).update(booked=2)
        page = self.client.post(self.url, {**base, "slot": slot.pk, "reason": "我的事由", "confirm": "1"})
        self.assertContains(page, "该时段已约满或已停止预约，请重新选择。", status_code=400)
        self.assertContains(page, "我的事由", status_code=400)
        self.assertFalse(Appointment.objects.exists())

    def test_my_appointments_reschedule_and_cancel(self) -> None:
        appointment = actions.do_book(
            actor=self.alice, slot_id=self.first_slot().pk, service_item=self.consult_item, reason="咨询"
        ).appointment
        self.client.force_login(self.alice)
        listing = self.client.get(reverse("appoint:list"))
        self.assertContains(listing, appointment.number)
        self.assertContains(listing, "待办理的预约")
        self.assertContains(self.client.get(reverse("me:home")), reverse("appoint:list"))

        url = reverse("appoint:reschedule", args=[appointment.pk])
        later = self.days[1]
        page = self.client.get(url, {"date": f"{later:%Y-%m-%d}"})
        target = self.slots_of(self.sched, later)[1]
        self.assertContains(page, f'value="{target.pk}"')
        self.assertNotContains(page, f'value="{appointment.slot_id}"')
        response = self.client.post(url, {"date": f"{later:%Y-%m-%d}", "slot": target.pk})
        self.assertRedirects(
            response, reverse("appoint:detail", args=[appointment.pk]), fetch_redirect_response=False
        )
        appointment.refresh_from_db()
        self.assertEqual(appointment.slot, target)
        detail = self.client.get(reverse("appoint:detail", args=[appointment.pk]))
        self.assertContains(detail, "已改约。")
        self.assertContains(detail, "改约")

        response = self.client.post(reverse("appoint:cancel", args=[appointment.pk]), {"reason": "时间冲突"})
        self.assertRedirects(
            response, reverse("appoint:detail", args=[appointment.pk]), fetch_redirect_response=False
        )
        appointment.refresh_from_db()
        self.assertEqual(
            (appointment.status, appointment.cancel_reason), (Appointment.Status.CANCELLED, "时间冲突")
        )
        self.assertEqual(Slot.objects.get(pk=target.pk).booked, 0)
        self.assertEqual(
            list(
                Message.objects.filter(user=self.alice, channel="inapp")
                .order_by("pk")
                .values_list("kind", flat=True)
            ),
            ["appointment.booked", "appointment.rescheduled", "appointment.cancelled"],
        )
        listing = self.client.get(reverse("appoint:list"))
        self.assertContains(listing, "已结束的预约")
        self.assertContains(listing, "已取消")

    def test_another_persons_booking_is_a_404(self) -> None:
        appointment = actions.do_book(
            actor=self.alice, slot_id=self.first_slot().pk, service_item=self.consult_item, reason="咨询"
        ).appointment
        self.client.force_login(self.bob)
        for name in ("appoint:detail", "appoint:reschedule"):
            self.assertEqual(self.client.get(reverse(name, args=[appointment.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("appoint:cancel", args=[appointment.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("appoint:detail", args=[999999])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("appoint:list")), appointment.number)
        self.assertEqual(self.reload(appointment).status, Appointment.Status.BOOKED)

    def test_staff_sessions_are_sent_to_the_public_sign_in(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("appoint:list")).status_code, 302)

    def test_a_point_that_takes_no_bookings_is_a_404(self) -> None:
        self.client.force_login(self.alice)
        for unit in (self.unit("siming.yundang.station"), self.unit("siming.legal_aid")):
            self.assertEqual(self.client.get(reverse("appoint:book", args=[unit.pk])).status_code, 404)


class PublicRemoteVisitTestCase(FrontdeskTestCase):
    """At 思明区公共法律服务中心, whose demo schedule takes video visits on Tuesday and Thursday afternoons."""

    def test_a_visit_is_booked_with_the_inmate_prison_relation_and_id_number(self) -> None:
        centre = self.unit("siming.centre")
        url = reverse("appoint:book", args=[centre.pk])
        self.client.force_login(self.alice)
        page = self.client.get(url, {"item": self.visit_item.pk})
        days = page.context["days"]
        self.assertTrue(days)
        self.assertTrue(all(d.date.weekday() in (1, 3) for d in days))
        day = days[0].date
        page = self.client.get(url, {"item": str(self.visit_item.pk), "date": f"{day:%Y-%m-%d}"})
        self.assertContains(page, "被探视人姓名")
        self.assertContains(page, "厦门市看守所")
        slot = page.context["slots"][0]
        form = {
            "item": self.visit_item.pk,
            "date": f"{day:%Y-%m-%d}",
            "slot": slot.pk,
            "reason": "家属例行探视",
            "key": "v" * 20,
            "prison": self.prison.pk,
            "inmate_name": "林大海",
            "relation": "parent",
        }
        good_id = id_number(seq="456")
        wrong = good_id[:17] + ("0" if good_id[17] != "0" else "1")
        bad = self.client.post(url, {**form, "id_number": wrong})
        self.assertContains(bad, "身份证号码校验位不正确，请核对后重新输入。", status_code=400)
        confirm = self.client.post(url, {**form, "id_number": good_id})
        self.assertContains(confirm, good_id[:6] + "********" + good_id[-4:])
        self.assertContains(confirm, "父母")
        self.client.post(url, {**form, "id_number": good_id, "confirm": "1"})
        appointment = Appointment.objects.get(user=self.alice)
        self.assertEqual(appointment.status, Appointment.Status.PENDING)
        visit = RemoteVisit.objects.get(appointment=appointment)
        self.assertEqual(
            (visit.prison, visit.inmate_name, visit.relation, visit.id_number),
            (self.prison, "林大海", "parent", good_id),
        )
        # Encrypted at rest: the column holds a token, not the number.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM frontdesk_remotevisit WHERE id = %s", [visit.pk])
            stored = cursor.fetchone()[0]
        self.assertNotIn(good_id, stored)
        detail = self.client.get(reverse("appoint:detail", args=[appointment.pk]))
        self.assertContains(detail, "待审核")
        self.assertContains(detail, good_id[:6] + "********" + good_id[-4:])
        self.assertNotContains(detail, good_id)
        self.assertIn("已提交", Message.objects.get(user=self.alice, kind="appointment.pending").body)
        self.assertTrue(Unit.objects.filter(pk=centre.pk, functions__code="remote_visit").exists())


class MyListQueriesTestCase(FrontdeskTestCase):
    def test_my_appointments_cost_the_same_queries_for_one_or_many(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        sched = self.schedule(today=timezone.localdate(), days_ahead=10, capacity=3)
        days = next_workdays(2)
        slots = self.slots_of(sched, days[0]) + self.slots_of(sched, days[1])
        actions.do_book(actor=self.alice, slot_id=slots[0].pk, service_item=self.consult_item, reason="咨询")
        self.client.force_login(self.alice)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(reverse("appoint:list")).status_code, 200)
            return len(ctx.captured_queries)

        count()  # the first request of a session also writes the session
        one = count()
        first = Appointment.objects.get(user=self.alice)
        actions.do_cancel(first.pk, actor=self.alice)
        for slot in slots[1:3]:
            actions.do_book(actor=self.alice, slot_id=slot.pk, service_item=self.consult_item, reason="咨询")
        self.assertEqual(Appointment.objects.filter(user=self.alice).count(), 3)
        self.assertEqual(count(), one)
