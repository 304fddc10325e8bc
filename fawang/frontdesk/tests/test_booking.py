"""Booking, cancelling and rescheduling through the actions: capacity, per-person limits, idempotency, the cutoff
before a slot, the atomic reschedule, and the messages each step sends."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from fawang.notify.models import Message

from .. import actions
from ..models import Appointment, AppointmentEvent, Schedule, Slot
from .base import FRIDAY, FrontdeskTestCase


class BookingTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sched = self.schedule(days_ahead=4)
        self.monday = self.slots_of(self.sched, dt.date(2025, 9, 29))

    def test_a_booking_takes_a_place_records_an_event_and_sends_a_message(self) -> None:
        appointment = self.book(self.monday[0], reason="<b>咨询</b>劳动合同")
        self.assertEqual(appointment.status, Appointment.Status.BOOKED)
        self.assertRegex(appointment.number, r"^YY250926[2-9A-HJ-NP-Z]{6}$")
        self.assertEqual((appointment.name, appointment.phone), ("林晓燕", self.alice.phone))
        self.assertEqual(appointment.unit, self.point)
        self.assertEqual(Slot.objects.get(pk=self.monday[0].pk).booked, 1)
        event = AppointmentEvent.objects.get(appointment=appointment)
        self.assertEqual(
            (event.action, event.actor, event.old_status, event.new_status),
            ("book", self.alice, "", "booked"),
        )
        messages = self.outbox(appointment)
        self.assertEqual(
            [(m.channel, m.kind) for m in messages],
            [("inapp", "appointment.booked"), ("sms", "appointment.booked")],
        )
        self.assertEqual(messages[0].user, self.alice)
        self.assertEqual(messages[1].phone, self.alice.phone)
        self.assertEqual(messages[0].region_code, self.point.region_id)
        self.assertIn(
            "您已预约 2025年9月29日 08:30-09:00 在鹭江街道公共法律服务工作站（综合窗口）办理“法律咨询”",
            messages[0].body,
        )
        self.assertIn(appointment.number, messages[0].body)

    def test_the_last_place_goes_to_one_person_the_other_gets_a_clear_error(self) -> None:
        self.book(self.monday[0])
        with self.assertRaisesMessage(ValidationError, "该时段已约满，请选择其他时段。"):
            self.book(self.monday[0], self.bob)
        self.assertEqual(Slot.objects.get(pk=self.monday[0].pk).booked, 1)
        self.assertEqual(Appointment.objects.filter(user=self.bob).count(), 0)

    def test_no_two_active_bookings_in_one_slot_and_at_most_three_at_once(self) -> None:
        self.sched.capacity = 5
        self.sched.save()
        Slot.objects.filter(schedule=self.sched).update(capacity=5)
        self.book(self.monday[0])
        with self.assertRaisesMessage(ValidationError, "您已预约了该时段，请勿重复预约。"):
            self.book(self.monday[0])
        self.book(self.monday[1])
        self.book(self.monday[2])
        with self.assertRaisesMessage(ValidationError, "您已有 3 个未完成的预约，请先办理或取消后再预约。"):
            self.book(self.slots_of(self.sched, dt.date(2025, 9, 28))[0])
        with override_settings(FRONTDESK_MAX_ACTIVE_BOOKINGS=4):
            self.book(self.slots_of(self.sched, dt.date(2025, 9, 28))[0])

    def test_a_resent_form_returns_the_first_booking(self) -> None:
        first = actions.do_book(
            actor=self.alice,
            slot_id=self.monday[0].pk,
            service_item=self.consult_item,
            reason="咨询",
            idempotency_key="k1",
            now=FRIDAY,
        )
        again = actions.do_book(
            actor=self.alice,
            slot_id=self.monday[0].pk,
            service_item=self.consult_item,
            reason="咨询",
            idempotency_key="k1",
            now=FRIDAY,
        )
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertEqual(again.appointment.pk, first.appointment.pk)
        self.assertEqual(Appointment.objects.filter(user=self.alice).count(), 1)
        self.assertEqual(Slot.objects.get(pk=self.monday[0].pk).booked, 1)
        self.assertEqual(len(self.outbox(first.appointment)), 2)

    def test_what_cannot_be_booked(self) -> None:
        slot = self.monday[0]
        cases: list[tuple[dict[str, Any], str]] = [
            (dict(now=dt.datetime(2025, 9, 29, 9, tzinfo=FRIDAY.tzinfo)), "该时段已过，请选择其他时段。"),
            (dict(item=self.mediation), "该时段不接受“人民调解申请”的预约，请选择其他时段。"),
            (dict(reason=" "), "请填写预约事由，如要咨询或办理的事情。"),
            (dict(reason="长" * 1001), "预约事由不能超过 1000 个字。"),
        ]
        for kwargs, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                self.book(slot, **kwargs)
        Slot.objects.filter(pk=slot.pk).update(is_open=False)
        with self.assertRaisesMessage(ValidationError, "该时段已停止预约，请选择其他时段。"):
            self.book(slot)
        self.assertFalse(Appointment.objects.exists())

    def test_only_public_accounts_with_real_name_details(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "请用公众账号登录后预约。"):
            self.book(self.monday[0], self.sm_clerk)
        with self.assertRaisesMessage(ValidationError, "预约前请先填写实名信息（姓名和身份证号码）。"):
            self.book(self.monday[0], self.citizen)  # the persona has a name but no ID number

    def test_min_notice_and_horizon(self) -> None:
        self.sched.min_notice_hours = 24
        self.sched.save()
        sunday = self.slots_of(self.sched, dt.date(2025, 9, 28))[0]
        with self.assertRaisesMessage(
            ValidationError, "“综合窗口”须至少提前 24 小时预约，请选择更晚的时段。"
        ):
            self.book(sunday, now=dt.datetime(2025, 9, 27, 10, tzinfo=FRIDAY.tzinfo))
        with self.assertRaisesMessage(ValidationError, "只能预约 4 天内的时段。"):
            self.book(self.monday[0], now=dt.datetime(2025, 9, 25, 10, tzinfo=FRIDAY.tzinfo))


class NoShowPauseTestCase(FrontdeskTestCase):
    """近 90 天内爽约 3 次 pauses online booking (FRONTDESK_NO_SHOW_LIMIT, FRONTDESK_NO_SHOW_WINDOW_DAYS)."""

    def setUp(self) -> None:
        super().setUp()
        self.sched = self.schedule(days_ahead=4, capacity=2)
        self.monday = self.slots_of(self.sched, dt.date(2025, 9, 29))
        self.sunday = self.slots_of(self.sched, dt.date(2025, 9, 28))  # a make-up working day

    def miss(self, slot: Slot) -> Appointment:
        appointment = self.book(slot)
        return actions.do_mark_no_show(appointment.pk, actor=self.sm_clerk, now=slot.ends_at)

    def test_three_no_shows_pause_new_bookings_until_the_oldest_leaves_the_window(self) -> None:
        self.miss(self.sunday[0])
        self.miss(self.monday[0])
        after = self.monday[1].ends_at
        self.assertIsNone(actions.booking_pause(self.alice, after))  # two are not enough
        self.miss(self.monday[1])
        pause = actions.booking_pause(self.alice, after)
        assert pause is not None
        # The oldest of the three (Sunday 09-28) leaves the 90-day window on 12-27.
        self.assertEqual((pause.count, pause.until), (3, dt.date(2025, 12, 27)))
        message = (
            "您近 90 天内有 3 次预约未按时到场（爽约），网上预约暂停至 2025年12月27日（当天起可重新预约）。"
            "如需办理，请直接到服务窗口或拨打 12348 公共法律服务热线。"
        )
        with self.assertRaises(ValidationError) as ctx:
            self.book(self.monday[2], now=after)
        self.assertEqual((ctx.exception.messages, ctx.exception.code), ([message], "no_show_pause"))
        self.assertEqual(Slot.objects.get(pk=self.monday[2].pk).booked, 0)  # no place taken
        # Someone else books as before.
        self.assertEqual(self.book(self.monday[2], self.bob).status, Appointment.Status.BOOKED)
        # On 12-27 the Sunday no-show is older than 90 days.
        late = dt.datetime(2025, 12, 26, 23, 59, tzinfo=FRIDAY.tzinfo)
        self.assertIsNotNone(actions.booking_pause(self.alice, late))
        self.assertIsNone(actions.booking_pause(self.alice, late + dt.timedelta(minutes=1)))

    def test_the_pause_follows_the_settings_and_spares_bookings_already_made(self) -> None:
        kept = self.book(self.monday[2])
        for slot in (self.sunday[0], self.monday[0], self.monday[1]):
            self.miss(slot)
        now = self.monday[1].ends_at - dt.timedelta(minutes=29)
        assert actions.booking_pause(self.alice, self.monday[1].ends_at) is not None
        # The booking made before the pause is still hers to move or cancel.
        moved = actions.do_reschedule(kept.pk, actor=self.alice, slot_id=self.sunday[1].pk, now=FRIDAY)
        self.assertEqual(moved.slot_id, self.sunday[1].pk)
        with override_settings(FRONTDESK_NO_SHOW_LIMIT=0):
            self.assertIsNone(actions.booking_pause(self.alice, now))
        with override_settings(FRONTDESK_NO_SHOW_LIMIT=4):
            self.assertIsNone(actions.booking_pause(self.alice, now))
        with override_settings(FRONTDESK_NO_SHOW_WINDOW_DAYS=30):
            pause = actions.booking_pause(self.alice, now)
            self.assertEqual(pause.until if pause else None, dt.date(2025, 10, 28))


class CancelTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sched = self.schedule(days_ahead=4, cancel_cutoff_hours=2)
        self.slot = self.slots_of(self.sched, dt.date(2025, 9, 29))[0]  # Monday 08:30
        self.appointment = self.book(self.slot)

    def test_the_person_cancels_until_the_cutoff_and_the_place_is_free_again(self) -> None:
        actions.do_cancel(
            self.appointment.pk, actor=self.alice, now=dt.datetime(2025, 9, 29, 6, 29, tzinfo=FRIDAY.tzinfo)
        )
        appointment = self.reload(self.appointment)
        self.assertEqual(appointment.status, Appointment.Status.CANCELLED)
        self.assertEqual(Slot.objects.get(pk=self.slot.pk).booked, 0)
        self.book(self.slot, self.bob)  # the place is bookable again
        cancelled = self.outbox(appointment, "appointment.cancelled")
        self.assertEqual(len(cancelled), 2)
        self.assertIn("已取消", cancelled[0].body)
        self.assertNotIn("原因", cancelled[0].body)
        with self.assertRaisesMessage(ValidationError, "该预约当前状态为“已取消”，不能取消。"):
            actions.do_cancel(self.appointment.pk, actor=self.alice, now=FRIDAY)

    def test_after_the_cutoff_the_person_must_call(self) -> None:
        with self.assertRaisesMessage(
            ValidationError,
            "距预约时段开始已不足 2 小时，不能取消。如不能前来，请致电 " + self.point.phone + "。",
        ):
            actions.do_cancel(
                self.appointment.pk,
                actor=self.alice,
                now=dt.datetime(2025, 9, 29, 6, 31, tzinfo=FRIDAY.tzinfo),
            )
        self.assertEqual(self.reload(self.appointment).status, Appointment.Status.BOOKED)

    def test_nobody_cancels_someone_elses_booking(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "您只能办理本人的预约。"):
            actions.do_cancel(self.appointment.pk, actor=self.bob, now=FRIDAY)
        with self.assertRaisesMessage(PermissionDenied, "您的岗位无权执行此操作。"):
            actions.do_cancel(self.appointment.pk, actor=self.hl_clerk, reason="来电要求", now=FRIDAY)
        with self.assertRaisesMessage(ValidationError, "请填写取消原因，将告知预约人。"):
            actions.do_cancel(self.appointment.pk, actor=self.sm_clerk, now=FRIDAY)
        actions.do_cancel(self.appointment.pk, actor=self.sm_clerk, reason="本人来电要求取消", now=FRIDAY)
        self.assertIn(
            "原因：本人来电要求取消", self.outbox(self.appointment, "appointment.cancelled")[0].body
        )


class RescheduleTestCase(FrontdeskTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sched = self.schedule(days_ahead=4)
        self.monday = self.slots_of(self.sched, dt.date(2025, 9, 29))
        self.appointment = self.book(self.monday[0])

    def test_it_moves_the_place_and_tells_the_person(self) -> None:
        actions.do_reschedule(self.appointment.pk, actor=self.alice, slot_id=self.monday[2].pk, now=FRIDAY)
        appointment = self.reload(self.appointment)
        self.assertEqual(appointment.slot_id, self.monday[2].pk)
        self.assertEqual(appointment.status, Appointment.Status.BOOKED)
        booked = dict(Slot.objects.filter(pk__in=[s.pk for s in self.monday]).values_list("pk", "booked"))
        self.assertEqual(booked, {self.monday[0].pk: 0, self.monday[1].pk: 0, self.monday[2].pk: 1})
        event = appointment.events.get(action="reschedule")
        self.assertEqual((event.old_slot_id, event.new_slot_id), (self.monday[0].pk, self.monday[2].pk))
        self.assertIn(
            "已改到 2025年9月29日 09:30-10:00", self.outbox(appointment, "appointment.rescheduled")[0].body
        )

    def test_a_full_slot_leaves_the_booking_exactly_as_it_was(self) -> None:
        self.book(self.monday[1], self.bob)
        with self.assertRaisesMessage(ValidationError, "该时段已约满，请选择其他时段。原预约保持不变。"):
            actions.do_reschedule(
                self.appointment.pk, actor=self.alice, slot_id=self.monday[1].pk, now=FRIDAY
            )
        appointment = self.reload(self.appointment)
        self.assertEqual(
            (appointment.slot_id, appointment.status), (self.monday[0].pk, Appointment.Status.BOOKED)
        )
        booked = dict(Slot.objects.filter(pk__in=[s.pk for s in self.monday]).values_list("pk", "booked"))
        self.assertEqual(booked, {self.monday[0].pk: 1, self.monday[1].pk: 1, self.monday[2].pk: 0})
        self.assertFalse(appointment.events.filter(action="reschedule").exists())
        self.assertFalse(self.outbox(appointment, "appointment.rescheduled"))

    def test_reschedule_rules(self) -> None:
        other = self.schedule(self.unit("siming.xiagang.station"), days_ahead=4)
        cases = [
            (self.monday[0].pk, FRIDAY, "请选择与原预约不同的时段。"),
            (
                self.slots_of(other, dt.date(2025, 9, 29))[0].pk,
                FRIDAY,
                "只能改约到同一服务点的其他时段；要去其他服务点，请取消后重新预约。",
            ),
            (
                self.monday[1].pk,
                dt.datetime(2025, 9, 29, 7, tzinfo=FRIDAY.tzinfo),
                "距预约时段开始已不足 2 小时，不能改约。",
            ),
            (999999, FRIDAY, "该时段不存在，请重新选择。"),
        ]
        for slot_id, now, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                actions.do_reschedule(self.appointment.pk, actor=self.alice, slot_id=slot_id, now=now)
        with self.assertRaisesMessage(PermissionDenied, "您只能办理本人的预约。"):
            actions.do_reschedule(self.appointment.pk, actor=self.bob, slot_id=self.monday[1].pk, now=FRIDAY)
        self.assertEqual(self.reload(self.appointment).slot_id, self.monday[0].pk)

    def test_a_reminded_booking_moved_to_another_day_is_reminded_again(self) -> None:
        sunday = self.slots_of(self.sched, dt.date(2025, 9, 28))[0]
        self.assertEqual(
            actions.send_reminders(dt.datetime(2025, 9, 28, 10, tzinfo=FRIDAY.tzinfo)), [self.appointment.pk]
        )
        actions.do_reschedule(self.appointment.pk, actor=self.alice, slot_id=sunday.pk, now=FRIDAY)
        self.assertIsNone(self.reload(self.appointment).reminder_sent_at)
        self.assertEqual(
            actions.send_reminders(dt.datetime(2025, 9, 27, 10, tzinfo=FRIDAY.tzinfo)), [self.appointment.pk]
        )
        self.assertEqual(len(self.outbox(self.appointment, "appointment.reminder")), 4)


class ReminderTestCase(FrontdeskTestCase):
    def test_once_the_day_before_from_the_reminder_hour_and_never_for_cancelled_ones(self) -> None:
        sched = self.schedule(days_ahead=4, capacity=3)
        monday = self.slots_of(sched, dt.date(2025, 9, 29))
        kept = self.book(monday[0])
        cancelled = self.book(monday[1], self.bob)
        actions.do_cancel(cancelled.pk, actor=self.bob, now=FRIDAY)
        sunday_morning = dt.datetime(2025, 9, 28, 8, 59, tzinfo=FRIDAY.tzinfo)
        self.assertEqual(actions.send_reminders(sunday_morning), [])  # before 09:00
        at_nine = sunday_morning + dt.timedelta(minutes=1)
        self.assertEqual(actions.send_reminders(at_nine), [kept.pk])
        self.assertEqual(actions.send_reminders(at_nine + dt.timedelta(hours=1)), [])
        reminders = Message.objects.filter(kind="appointment.reminder")
        self.assertEqual(sorted(reminders.values_list("channel", flat=True)), ["inapp", "sms"])
        self.assertIn(
            "预约提醒：您预约了明天 2025年9月29日 08:30-09:00 在鹭江街道公共法律服务工作站（综合窗口）",
            reminders[0].body,
        )
        self.assertEqual(self.reload(kept).reminder_sent_at, at_nine)
        self.assertEqual(kept.events.filter(action="remind").count(), 1)


class SchedulerTestCase(FrontdeskTestCase):
    def test_the_scheduler_sends_the_reminders_and_rolls_the_slots_forward(self) -> None:
        today = timezone.localdate()
        sched = self.schedule(today=today, days_ahead=3, ranges=[])
        tomorrow = today + dt.timedelta(days=1)
        actions.do_add_exception(
            sched.pk, actor=None, date=tomorrow, kind="extra", start_time=dt.time(10), end_time=dt.time(11)
        )
        slot = self.slots_of(sched, tomorrow)[0]
        appointment = actions.do_book(
            actor=self.alice, slot_id=slot.pk, service_item=self.consult_item, reason="咨询"
        ).appointment
        Schedule.objects.filter(pk=sched.pk).update(derived_through=today - dt.timedelta(days=1))
        with override_settings(FRONTDESK_REMINDER_HOUR=0):
            call_command("scheduler", "--once", stdout=io.StringIO())
            call_command("scheduler", "--once", stdout=io.StringIO())
        self.assertEqual(len(self.outbox(appointment, "appointment.reminder")), 2)  # in-app and SMS, once
        self.assertEqual(Schedule.objects.get(pk=sched.pk).derived_through, today + dt.timedelta(days=2))
