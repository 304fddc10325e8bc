"""Slots derived from a schedule and the working-day calendar: holidays, make-up working days (调休), closed
days, extra hours, and changes to a schedule that already has bookings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from fawang.accounts.models import User
from fawang.calendar.models import CalendarDay
from fawang.calendar.testing import RestoresCalendarCache

from .. import actions, slots
from ..models import Appointment, Schedule, ScheduleException, Slot
from .base import FRIDAY, MORNING, FrontdeskTestCase


class SlotDerivationTestCase(RestoresCalendarCache, FrontdeskTestCase):
    def days(self, schedule: Schedule) -> list[dt.date]:
        return sorted({s.date for s in self.slots_of(schedule)})

    def test_no_slots_on_holidays_and_slots_on_make_up_working_days(self) -> None:
        # Friday 26 September 2025 to Sunday 12 October: the National Day holiday 1-8 October, worked on
        # Sunday 28 September and Saturday 11 October.
        schedule = self.schedule(days_ahead=17)
        self.assertEqual(
            self.days(schedule),
            [
                dt.date(2025, 9, 26),
                dt.date(2025, 9, 28),
                dt.date(2025, 9, 29),
                dt.date(2025, 9, 30),
                dt.date(2025, 10, 9),
                dt.date(2025, 10, 10),
                dt.date(2025, 10, 11),
            ],
        )
        # Each day: 08:30-10:00 in three 30-minute slots, local time, one place each.
        sunday = self.slots_of(schedule, dt.date(2025, 9, 28))
        self.assertEqual([s.time_label for s in sunday], ["08:30-09:00", "09:00-09:30", "09:30-10:00"])
        self.assertEqual({(s.capacity, s.booked, s.is_open) for s in sunday}, {(1, 0, True)})
        self.assertEqual(Schedule.objects.get(pk=schedule.pk).derived_through, dt.date(2025, 10, 12))

    def test_a_make_up_day_follows_the_weekday_named_on_the_schedule(self) -> None:
        # Mondays only; the make-up Sunday works as a Monday (the default) or, when set, as a Wednesday.
        schedule = self.schedule(days_ahead=4, ranges=[(0, MORNING)])
        self.assertEqual(self.days(schedule), [dt.date(2025, 9, 28), dt.date(2025, 9, 29)])
        actions.do_save_schedule(
            actor=None,
            unit=self.point,
            schedule_id=schedule.pk,
            data=actions.ScheduleData(
                name="综合窗口", service_items=[self.consult_item], capacity=1, days_ahead=4, makeup_weekday=2
            ),
            today=FRIDAY.date(),
        )
        self.assertEqual(self.days(schedule), [dt.date(2025, 9, 29)])

    def test_a_holiday_added_by_an_admin_removes_that_days_slots(self) -> None:
        schedule = self.schedule(days_ahead=4)
        self.assertIn(dt.date(2025, 9, 29), self.days(schedule))
        CalendarDay.objects.create(date=dt.date(2025, 9, 29), kind=CalendarDay.Kind.HOLIDAY, name="台风停工")
        slots.derive_slots(schedule.pk, today=FRIDAY.date())
        self.assertNotIn(dt.date(2025, 9, 29), self.days(schedule))

    def test_a_closed_day_and_extra_hours(self) -> None:
        schedule = self.schedule(days_ahead=4)
        actions.do_add_exception(
            schedule.pk, actor=None, date=dt.date(2025, 9, 29), kind="closed", note="系统维护", now=FRIDAY
        )
        # Extra hours on the Saturday (a rest day: the admin chose it) and in the afternoon of the Tuesday.
        actions.do_add_exception(
            schedule.pk,
            actor=None,
            date=dt.date(2025, 9, 27),
            kind="extra",
            start_time=dt.time(9, 0),
            end_time=dt.time(10, 0),
            now=FRIDAY,
        )
        actions.do_add_exception(
            schedule.pk,
            actor=None,
            date=dt.date(2025, 9, 26),
            kind="extra",
            start_time=dt.time(14, 30),
            end_time=dt.time(15, 15),  # 45 minutes: one slot, the remainder is not offered
            now=FRIDAY,
        )
        self.assertEqual(
            self.days(schedule), [dt.date(2025, 9, 26), dt.date(2025, 9, 27), dt.date(2025, 9, 28)]
        )
        self.assertEqual(
            [s.time_label for s in self.slots_of(schedule, dt.date(2025, 9, 27))],
            ["09:00-09:30", "09:30-10:00"],
        )
        self.assertEqual(
            [s.time_label for s in self.slots_of(schedule, dt.date(2025, 9, 26))],
            ["08:30-09:00", "09:00-09:30", "09:30-10:00", "14:30-15:00"],
        )
        # Removing the closed day opens it again.
        closed = ScheduleException.objects.get(schedule=schedule, kind="closed")
        actions.do_delete_exception(closed.pk, actor=None, today=FRIDAY.date())
        self.assertIn(dt.date(2025, 9, 29), self.days(schedule))

    def test_closing_a_day_cancels_its_bookings_and_tells_each_person_why(self) -> None:
        schedule = self.schedule(days_ahead=4)
        monday = self.slots_of(schedule, dt.date(2025, 9, 29))
        kept = self.book(self.slots_of(schedule, dt.date(2025, 9, 28))[0], self.bob)
        booked = self.book(monday[0])
        actions.do_add_exception(
            schedule.pk,
            actor=self.sm_admin,
            date=dt.date(2025, 9, 29),
            kind="closed",
            note="停电检修",
            now=FRIDAY,
        )
        booked = self.reload(booked)
        self.assertEqual(booked.status, Appointment.Status.CANCELLED)
        self.assertEqual(booked.cancel_reason, "服务点当日停止预约：停电检修")
        self.assertEqual(self.reload(kept).status, Appointment.Status.BOOKED)
        sms = self.outbox(booked, "appointment.cancelled")
        self.assertEqual([m.channel for m in sms], ["inapp", "sms"])
        self.assertIn("原因：服务点当日停止预约：停电检修", sms[0].body)
        # The slot that held a booking stays, closed; the others of that day are gone.
        left = self.slots_of(schedule, dt.date(2025, 9, 29))
        self.assertEqual([(s.pk, s.is_open, s.booked) for s in left], [(monday[0].pk, False, 0)])

    def test_closing_needs_a_reason_and_no_past_dates(self) -> None:
        schedule = self.schedule(days_ahead=4)
        with self.assertRaisesMessage(ValidationError, "请说明停止预约的原因，将告知已预约的群众。"):
            actions.do_add_exception(
                schedule.pk, actor=None, date=dt.date(2025, 9, 29), kind="closed", now=FRIDAY
            )
        with self.assertRaisesMessage(ValidationError, "不能为已经过去的日期设置例外。"):
            actions.do_add_exception(
                schedule.pk, actor=None, date=dt.date(2025, 9, 25), kind="closed", note="-", now=FRIDAY
            )

    def test_changing_capacity_and_removing_a_rule_keep_existing_bookings(self) -> None:
        schedule = self.schedule(days_ahead=4, capacity=2)
        slot = self.slots_of(schedule, dt.date(2025, 9, 29))[0]
        self.book(slot)
        self.book(slot, self.bob)
        actions.do_save_schedule(
            actor=None,
            unit=self.point,
            schedule_id=schedule.pk,
            data=actions.ScheduleData(
                name="综合窗口", service_items=[self.consult_item], capacity=1, days_ahead=4
            ),
            today=FRIDAY.date(),
        )
        slot.refresh_from_db()
        self.assertEqual((slot.capacity, slot.booked, slot.is_open), (1, 2, True))
        self.assertEqual(Appointment.objects.filter(slot=slot, status="booked").count(), 2)
        # Monday's rule goes: its booked slot closes and stays, the empty ones are deleted.
        actions.do_delete_rule(schedule.rules.get(weekday=0).pk, actor=None, today=FRIDAY.date())
        self.assertEqual(
            [(s.pk, s.is_open) for s in self.slots_of(schedule, dt.date(2025, 9, 29))], [(slot.pk, False)]
        )

    def test_the_daily_job_rolls_the_window_forward(self) -> None:
        schedule = self.schedule(days_ahead=3)
        self.assertEqual(self.days(schedule), [dt.date(2025, 9, 26), dt.date(2025, 9, 28)])
        self.assertEqual(slots.derive_due(today=FRIDAY.date()), 0)  # nothing to do the same day
        self.assertGreaterEqual(slots.derive_due(today=dt.date(2025, 9, 29)), 1)
        self.assertEqual(self.days(schedule)[-2:], [dt.date(2025, 9, 29), dt.date(2025, 9, 30)])

    def test_a_deactivated_schedule_offers_nothing_new(self) -> None:
        schedule = self.schedule(days_ahead=4)
        actions.do_save_schedule(
            actor=None,
            unit=self.point,
            schedule_id=schedule.pk,
            data=actions.ScheduleData(name="综合窗口", service_items=[self.consult_item], is_active=False),
            today=FRIDAY.date(),
        )
        self.assertFalse(Slot.objects.filter(schedule=schedule).exists())


class ScheduleRulesTestCase(FrontdeskTestCase):
    def test_schedule_errors_are_in_chinese(self) -> None:
        cases: list[tuple[dict[str, Any], str, str]] = [
            ({"name": " "}, "name", "请填写排班名称，如“综合窗口”。"),
            ({"service_items": []}, "service_items", "请至少选择一个可预约的服务事项。"),
            ({"capacity": 0}, "capacity", "每时段名额应在 1 到 50 之间。"),
            ({"slot_minutes": 5}, "slot_minutes", "时段长度应在 10 到 240 分钟之间。"),
            (
                {"window": self.unit("siming.centre").windows.first()},
                "window",
                "所选窗口不属于本服务点。",
            ),
        ]
        for overrides, field, message in cases:
            fields = {"name": "综合窗口", "service_items": [self.consult_item], **overrides}
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                actions.do_save_schedule(actor=None, unit=self.point, data=actions.ScheduleData(**fields))
            self.assertEqual(caught.exception.message_dict[field], [message])

    def test_remote_visits_only_where_the_point_offers_them_and_on_their_own(self) -> None:
        with self.assertRaisesMessage(
            ValidationError, "本服务点未开通“监所远程探视”职能，不能预约远程探视。"
        ):
            actions.do_save_schedule(
                actor=None,
                unit=self.point,
                data=actions.ScheduleData(name="探视", service_items=[self.visit_item]),
            )
        centre = self.unit("siming.centre")
        with self.assertRaisesMessage(
            ValidationError, "监所远程探视须单独设置一个排班，不能与其他事项共用。"
        ):
            actions.do_save_schedule(
                actor=None,
                unit=centre,
                data=actions.ScheduleData(name="探视", service_items=[self.visit_item, self.consult_item]),
            )

    def test_only_service_points_and_only_unit_admins_of_the_region(self) -> None:
        data = actions.ScheduleData(name="综合窗口", service_items=[self.consult_item])
        with self.assertRaisesMessage(ValidationError, "只有公共法律服务中心、工作站和工作室可以设置预约。"):
            actions.do_save_schedule(actor=None, unit=self.sm_legal_aid, data=data)
        for user in (self.sm_clerk, self.sm_supervisor, User.objects.get(username="hl_admin")):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(PermissionDenied, "您的岗位无权执行此操作。"),
            ):
                actions.do_save_schedule(actor=user, unit=self.point, data=data)
        schedule = actions.do_save_schedule(actor=self.sm_admin, unit=self.point, data=data)
        self.assertEqual(list(schedule.service_items.all()), [self.consult_item])

    def test_weekly_rules_are_checked(self) -> None:
        schedule = self.schedule(ranges=[])
        cases = [
            (5, dt.time(9), dt.time(10), "每周时段只能设在星期一至星期五；周末服务请用“加开时段”。"),
            (0, dt.time(10), dt.time(9), "结束时间应晚于开始时间。"),
            (0, dt.time(9), dt.time(9, 20), "时段太短：至少要容纳一个 30 分钟的预约时段。"),
        ]
        for weekday, start, end, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                actions.do_add_rule(schedule.pk, actor=None, weekday=weekday, start_time=start, end_time=end)
        actions.do_add_rule(schedule.pk, actor=None, weekday=0, start_time=dt.time(9), end_time=dt.time(11))
        with self.assertRaisesMessage(ValidationError, "与已有时段 星期一 09:00-11:00 重叠。"):
            actions.do_add_rule(
                schedule.pk, actor=None, weekday=0, start_time=dt.time(10), end_time=dt.time(12)
            )
        self.assertEqual([str(r) for r in schedule.rules.all()], ["星期一 09:00-11:00"])
