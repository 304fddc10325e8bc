"""The front desk in the console: the day's appointments by window and slot, check-in, no-show, the review of
remote visits, the logged reveal of a visitor's ID number, 受理 into a matter through the window intake, the
schedules a unit admin keeps, and what staff of another district see (nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.matters.models import AccessLog, Matter, MatterEvent
from fawang.matters.tests.base import id_number
from fawang.notify.models import Message
from fawang.orgs.models import Membership

from .. import actions
from ..models import Appointment, RemoteVisit, Schedule, ScheduleException, Slot, WeeklyRule
from .base import FrontdeskTestCase, next_workdays

TZ = timezone.get_default_timezone()


class DeskTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.day = next_workdays(1)[0]
        self.sched = self.schedule(today=timezone.localdate(), days_ahead=10, capacity=2)
        self.slots = self.slots_of(self.sched, self.day)
        self.a1 = self.book_now(self.slots[0], self.alice)
        self.a2 = self.book_now(self.slots[0], self.bob)
        # On the day, at 09:10 (the first slot is 08:30-09:00).
        self.on_the_day = dt.datetime.combine(self.day, dt.time(9, 10), tzinfo=TZ)

    def book_now(self, slot: Slot, user: User) -> Appointment:
        return actions.do_book(
            actor=user, slot_id=slot.pk, service_item=self.consult_item, reason="咨询继承纠纷"
        ).appointment

    def day_url(self, day: dt.date | None = None) -> str:
        return reverse("frontdesk:day") + f"?unit={self.point.pk}&date={(day or self.day):%Y-%m-%d}"

    def sign_in_anew(self, user: User) -> None:
        """A new session, whose clock starts at the (patched) time: force_login alone keeps the session it finds,
        with its sign-in time, and a session read from the cache is not expired by a patched clock."""
        self.client.logout()
        self.client.force_login(user)

    def at_the_desk(self) -> Any:
        return mock.patch("django.utils.timezone.now", return_value=self.on_the_day)

    def test_the_day_lists_slots_and_masked_bookings_in_few_queries(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.get(self.day_url())
        self.assertContains(response, "综合窗口")
        self.assertContains(response, "08:30-09:00")
        self.assertContains(response, self.a1.number)
        self.assertContains(response, "林*燕")
        self.assertNotContains(response, "林晓燕")
        self.assertContains(response, "2/2")
        self.assertContains(response, "无预约")

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(self.day_url())
            return len(ctx.captured_queries)

        few = count()
        for slot in self.slots[1:]:
            self.book_now(slot, self.real_named(f"赵{slot.pk}", seq=f"{slot.pk % 900 + 100}"))
        self.assertEqual(count(), few)

    def test_check_in_on_the_day_then_take_the_matter_in(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.post(reverse("frontdesk:check_in", args=[self.a1.pk]), {"next": "day"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("只能在预约当天签到", response.content.decode())
        with self.at_the_desk():
            self.sign_in_anew(self.sm_clerk)
            response = self.client.post(reverse("frontdesk:check_in", args=[self.a1.pk]), {"next": "day"})
            self.assertRedirects(response, self.day_url(), fetch_redirect_response=False)
            self.a1.refresh_from_db()
            self.assertEqual(
                (self.a1.status, self.a1.checked_in_by), (Appointment.Status.CHECKED_IN, self.sm_clerk)
            )

            url = reverse("frontdesk:intake", args=[self.a1.pk])
            page = self.client.get(url)
            self.assertContains(page, 'value="林晓燕"')
            self.assertContains(page, f'value="{self.alice.phone}"')
            self.assertContains(page, "咨询继承纠纷")
            masked = id_number(seq="456")[:6] + "********" + id_number(seq="456")[-4:]
            self.assertContains(page, f"留空则使用实名登记的身份证号码（{masked}）")
            self.assertNotContains(page, id_number(seq="456"))
            form = page.context["form"]
            data = {
                "idempotency_key": form["idempotency_key"].value(),
                "channel": "window",
                "name": "林晓燕",
                "phone": self.alice.phone,
                "id_number": "",
                "address": "",
                "region": self.point.region_id,
                "req-service_item": self.consult_item.pk,
                "req-description": "咨询继承纠纷：父亲去世后房产如何分割。",
                "link_account": "1",
            }
            response = self.client.post(url, data)
            matter = Matter.objects.get(appointment=self.a1)
            self.assertRedirects(
                response, reverse("matters:detail", args=[matter.pk]), fetch_redirect_response=False
            )
            self.assertEqual(
                (matter.channel, matter.intake_unit, matter.first_responder),
                ("window", self.point, self.sm_clerk),
            )
            self.assertEqual(matter.person.id_number, id_number(seq="456"))
            self.assertEqual(matter.person.user, self.alice)  # linked: the matter shows in 我的事项
            self.assertEqual(MatterEvent.objects.filter(matter=matter, action="submit").count(), 1)
            self.a1.refresh_from_db()
            self.assertEqual(self.a1.status, Appointment.Status.TAKEN_IN)
            # A resent form makes no second matter.
            again = self.client.post(url, data)
            self.assertRedirects(
                again, reverse("matters:detail", args=[matter.pk]), fetch_redirect_response=False
            )
            self.assertEqual(Matter.objects.filter(person=matter.person).count(), 1)
        self.client.force_login(self.alice)
        detail = self.client.get(reverse("appoint:detail", args=[self.a1.pk]))
        self.assertContains(detail, "已受理")
        self.assertContains(detail, reverse("me:matter", args=[matter.pk]))

    def test_intake_waits_for_check_in(self) -> None:
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("frontdesk:intake", args=[self.a1.pk]))
        self.assertContains(page, "请先为预约人签到，再受理登记。")
        self.assertNotContains(page, "提交受理")

    def test_no_show_after_the_slot(self) -> None:
        self.client.force_login(self.sm_clerk)
        with mock.patch("django.utils.timezone.now", return_value=self.on_the_day - dt.timedelta(minutes=20)):
            self.client.force_login(self.sm_clerk)
            response = self.client.post(reverse("frontdesk:no_show", args=[self.a2.pk]))
        self.assertContains(response, "预约时段结束后才能标记爽约。", status_code=400)
        with self.at_the_desk():
            self.client.post(reverse("frontdesk:no_show", args=[self.a2.pk]))
        self.a2.refresh_from_db()
        self.assertEqual(self.a2.status, Appointment.Status.NO_SHOW)
        self.assertEqual(self.a2.events.filter(action="no_show").get().actor, self.sm_clerk)

    def test_a_late_arrival_marked_no_show_is_checked_in_the_same_day(self) -> None:
        with self.at_the_desk():
            self.sign_in_anew(self.sm_clerk)
            self.client.post(reverse("frontdesk:no_show", args=[self.a2.pk]))
            with override_settings(FRONTDESK_NO_SHOW_LIMIT=1):
                self.assertIsNotNone(actions.booking_pause(self.a2.user))
            day = self.client.get(self.day_url())
            self.assertContains(day, "迟到签到")
            page = self.client.get(reverse("frontdesk:appointment", args=[self.a2.pk]))
            self.assertContains(page, "迟到签到（撤销爽约）")
            self.client.post(reverse("frontdesk:check_in", args=[self.a2.pk]))
        self.a2.refresh_from_db()
        self.assertEqual(self.a2.status, Appointment.Status.CHECKED_IN)
        event = self.a2.events.filter(action="check_in").get()
        self.assertEqual((event.old_status, event.note), ("no_show", "到场较晚，撤销爽约标记。"))
        # The withdrawn mark no longer counts towards the booking pause.
        with override_settings(FRONTDESK_NO_SHOW_LIMIT=1):
            self.assertIsNone(actions.booking_pause(self.a2.user))
        # On another day there is no way back.
        Appointment.objects.filter(pk=self.a2.pk).update(status=Appointment.Status.NO_SHOW)
        later = self.on_the_day + dt.timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.sign_in_anew(self.sm_clerk)
            page = self.client.get(reverse("frontdesk:appointment", args=[self.a2.pk]))
            self.assertNotContains(page, "迟到签到")
            response = self.client.post(reverse("frontdesk:check_in", args=[self.a2.pk]))
        self.assertContains(response, "只能在预约当天签到", status_code=400)

    def test_staff_of_another_district_see_nothing(self) -> None:
        self.client.force_login(self.hl_clerk)
        for name in ("frontdesk:appointment", "frontdesk:intake"):
            self.assertEqual(self.client.get(reverse(name, args=[self.a1.pk])).status_code, 404)
        for name in (
            "frontdesk:check_in",
            "frontdesk:no_show",
            "frontdesk:review",
            "frontdesk:cancel",
            "frontdesk:reveal",
        ):
            self.assertEqual(self.client.post(reverse(name, args=[self.a1.pk])).status_code, 404)
        self.assertEqual(self.client.get(self.day_url()).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("frontdesk:schedule", args=[self.sched.pk])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("frontdesk:schedules")), self.point.name)
        self.assertEqual(self.reload(self.a1).status, Appointment.Status.BOOKED)

    def test_roles_without_desk_work_are_refused(self) -> None:
        # A handler at the point itself (one elsewhere would not even see it: 404).
        handler = User.objects.create_user("point-handler", kind=User.Kind.STAFF)
        Membership.objects.create(user=handler, unit=self.point, role=Membership.Role.HANDLER)
        self.client.force_login(handler)
        self.assertEqual(self.client.get(self.day_url()).status_code, 403)
        self.assertEqual(self.client.post(reverse("frontdesk:check_in", args=[self.a1.pk])).status_code, 403)

    def test_staff_cancel_needs_a_reason_and_tells_the_person(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.post(reverse("frontdesk:cancel", args=[self.a1.pk]), {"reason": ""})
        self.assertContains(response, "请填写取消原因，将告知预约人。", status_code=400)
        self.client.post(reverse("frontdesk:cancel", args=[self.a1.pk]), {"reason": "本人来电要求取消"})
        self.assertEqual(self.reload(self.a1).status, Appointment.Status.CANCELLED)
        self.assertIn(
            "本人来电要求取消", Message.objects.get(user=self.alice, kind="appointment.cancelled").body
        )


class RemoteVisitReviewTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        centre = self.unit("siming.centre")
        self.sched = Schedule.objects.get(unit=centre, name="远程视频探视")
        slot = (
            Slot.objects.bookable()
            .filter(schedule=self.sched, starts_at__gt=timezone.now() + dt.timedelta(days=1))
            .order_by("starts_at")
            .first()
        )
        assert slot is not None
        self.slot = slot
        self.visit_row = actions.do_book(
            actor=self.alice,
            slot_id=slot.pk,
            service_item=self.visit_item,
            reason="家属探视",
            visit=self.visit(),
        ).appointment

    def test_the_review_list_and_approval(self) -> None:
        self.client.force_login(self.sm_clerk)
        listing = self.client.get(reverse("frontdesk:reviews"))
        self.assertContains(listing, self.visit_row.number)
        self.assertContains(listing, "林大海（父母）")
        page = self.client.get(reverse("frontdesk:appointment", args=[self.visit_row.pk]))
        self.assertContains(page, "审核探视预约")
        self.assertContains(page, id_number(seq="456")[:6] + "********")
        self.assertNotContains(page, id_number(seq="456"))
        response = self.client.post(
            reverse("frontdesk:review", args=[self.visit_row.pk]), {"decision": "refuse", "note": ""}
        )
        self.assertContains(response, "请填写未通过审核的理由，将告知预约人。", status_code=400)
        response = self.client.post(
            reverse("frontdesk:review", args=[self.visit_row.pk]), {"decision": "approve"}
        )
        self.assertRedirects(
            response,
            reverse("frontdesk:appointment", args=[self.visit_row.pk]),
            fetch_redirect_response=False,
        )
        self.visit_row.refresh_from_db()
        self.assertEqual(self.visit_row.status, Appointment.Status.BOOKED)
        visit = RemoteVisit.objects.get(appointment=self.visit_row)
        self.assertEqual(visit.reviewed_by, self.sm_clerk)
        self.assertIn("已审核通过", Message.objects.get(user=self.alice, kind="appointment.approved").body)
        self.assertNotContains(self.client.get(reverse("frontdesk:reviews")), self.visit_row.number)

    def test_a_refusal_releases_the_place_and_says_why(self) -> None:
        actions.do_review(
            self.visit_row.pk,
            actor=self.sm_clerk,
            approve=False,
            note="经与监所核实，被探视人本月探视次数已满。",
        )
        self.visit_row.refresh_from_db()
        self.assertEqual(self.visit_row.status, Appointment.Status.REFUSED)
        self.assertEqual(Slot.objects.get(pk=self.slot.pk).booked, 0)
        body = Message.objects.get(user=self.alice, kind="appointment.refused").body
        self.assertIn("理由：经与监所核实，被探视人本月探视次数已满。", body)

    def test_a_pending_visit_cannot_be_checked_in_and_only_reviewers_review(self) -> None:
        with self.assertRaisesMessage(Exception, "该探视预约尚未审核通过，不能签到。"):
            actions.do_check_in(self.visit_row.pk, actor=self.sm_clerk)
        with self.assertRaisesMessage(Exception, "您的岗位无权执行此操作。"):
            actions.do_review(self.visit_row.pk, actor=self.sm_handler, approve=True)
        with self.assertRaisesMessage(Exception, "您的岗位无权执行此操作。"):
            actions.do_review(self.visit_row.pk, actor=self.hl_clerk, approve=True)

    def test_the_full_id_number_is_shown_only_by_a_logged_reveal(self) -> None:
        self.client.force_login(self.sm_clerk)
        response = self.client.post(
            reverse("frontdesk:reveal", args=[self.visit_row.pk]), {"purpose": "核实身份"}
        )
        self.assertContains(response, id_number(seq="456"))
        self.assertEqual(response["Cache-Control"], "no-store")
        log = AccessLog.objects.get(user=self.sm_clerk)
        self.assertEqual(log.purpose, f"核实身份（预约 {self.visit_row.number}）")
        self.assertEqual(log.fields, "探视人身份证号码")
        self.client.force_login(self.sm_supervisor)  # supervisors of the district may look at the booking
        self.assertEqual(
            self.client.get(reverse("frontdesk:appointment", args=[self.visit_row.pk])).status_code, 200
        )

    def test_a_rescheduled_visit_is_reviewed_again(self) -> None:
        actions.do_review(self.visit_row.pk, actor=self.sm_clerk, approve=True)
        other = (
            Slot.objects.bookable()
            .filter(schedule=self.sched, starts_at__gt=self.slot.starts_at)
            .order_by("starts_at")
            .first()
        )
        assert other is not None
        actions.do_reschedule(self.visit_row.pk, actor=self.alice, slot_id=other.pk)
        self.visit_row.refresh_from_db()
        self.assertEqual(self.visit_row.status, Appointment.Status.PENDING)
        self.assertIsNone(RemoteVisit.objects.get(appointment=self.visit_row).reviewed_at)
        self.assertIn(
            "改约后需重新审核", Message.objects.get(user=self.alice, kind="appointment.rescheduled").body
        )


class ScheduleConsoleTestCase(FrontdeskTestCase):
    def test_a_unit_admin_sets_up_a_schedule_with_rules_and_exceptions(self) -> None:
        self.client.force_login(self.sm_admin)
        point = self.unit("siming.yundang.station")
        window = point.windows.get(number=2)
        page = self.client.get(reverse("frontdesk:schedule_new"), {"unit": point.pk})
        self.assertContains(page, "可预约事项")
        response = self.client.post(
            reverse("frontdesk:schedule_new") + f"?unit={point.pk}",
            {
                "name": "法律咨询窗口",
                "window": window.pk,
                "service_items": [self.consult_item.pk],
                "slot_minutes": 20,
                "capacity": 3,
                "days_ahead": 7,
                "min_notice_hours": 0,
                "cancel_cutoff_hours": 2,
                "makeup_weekday": 0,
                "is_active": "on",
            },
        )
        schedule = Schedule.objects.get(unit=point)
        self.assertRedirects(
            response, reverse("frontdesk:schedule", args=[schedule.pk]), fetch_redirect_response=False
        )
        self.assertEqual((schedule.window, schedule.capacity, schedule.slot_minutes), (window, 3, 20))
        url = reverse("frontdesk:rule_add", args=[schedule.pk])
        bad = self.client.post(url, {"weekday": 1, "start_time": "10:00", "end_time": "09:00"})
        self.assertContains(bad, "结束时间应晚于开始时间。", status_code=400)
        for weekday in range(5):
            self.client.post(url, {"weekday": weekday, "start_time": "14:30", "end_time": "15:30"})
        self.assertEqual(WeeklyRule.objects.filter(schedule=schedule).count(), 5)
        day = next_workdays(1)[0]
        self.assertEqual(
            [s.time_label for s in self.slots_of(schedule, day)],
            ["14:30-14:50", "14:50-15:10", "15:10-15:30"],
        )
        response = self.client.post(
            reverse("frontdesk:exception_add", args=[schedule.pk]),
            {"date": f"{day:%Y-%m-%d}", "kind": "closed", "note": ""},
        )
        self.assertContains(response, "请说明停止预约的原因，将告知已预约的群众。", status_code=400)
        self.client.post(
            reverse("frontdesk:exception_add", args=[schedule.pk]),
            {"date": f"{day:%Y-%m-%d}", "kind": "closed", "note": "集中培训"},
        )
        self.assertEqual(self.slots_of(schedule, day), [])
        page = self.client.get(reverse("frontdesk:schedule", args=[schedule.pk]))
        self.assertContains(page, "集中培训")
        exc = ScheduleException.objects.get(schedule=schedule)
        self.client.post(reverse("frontdesk:exception_delete", args=[exc.pk]))
        self.assertEqual(len(self.slots_of(schedule, day)), 3)
        # The portal now offers booking there.
        self.assertContains(
            self.client.get(reverse("portal:unit_detail", args=[point.pk])),
            reverse("appoint:book", args=[point.pk]),
        )

    def test_clerks_see_schedules_but_cannot_change_them(self) -> None:
        schedule = Schedule.objects.get(unit=self.station, name="综合窗口")
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("frontdesk:schedule", args=[schedule.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "添加时段")
        self.assertEqual(
            self.client.post(reverse("frontdesk:rule_add", args=[schedule.pk]), {}).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("frontdesk:schedule_new")).status_code, 403)

    def test_outside_the_region_no_schedule_can_be_made(self) -> None:
        self.client.force_login(self.sm_admin)
        response = self.client.get(reverse("frontdesk:schedule_new"), {"unit": self.hl_point.pk})
        self.assertContains(response, "只能为您辖区内的服务点设置预约。", status_code=400)


class AdminTestCase(FrontdeskTestCase):
    def test_admin_pages_are_read_only_and_hide_personal_data(self) -> None:
        sched = self.schedule(today=timezone.localdate(), days_ahead=5)
        slot = self.slots_of(sched, next_workdays(1)[0])[0]
        appointment = actions.do_book(
            actor=self.alice, slot_id=slot.pk, service_item=self.consult_item, reason="咨询"
        ).appointment
        self.client.force_login(self.sysadmin)
        for url in (
            reverse("admin:frontdesk_schedule_changelist"),
            reverse("admin:frontdesk_schedule_change", args=[sched.pk]),
            reverse("admin:frontdesk_slot_changelist"),
            reverse("admin:frontdesk_appointment_changelist"),
            reverse("admin:frontdesk_appointment_change", args=[appointment.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "林晓燕")
                self.assertNotContains(response, self.alice.phone)
        self.assertEqual(self.client.get(reverse("admin:frontdesk_schedule_add")).status_code, 403)
