"""Appointment schedules, their weekly rules and their exceptions: each change leaves one audit row in its own
transaction (a change that fails after the row was written leaves neither)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from fawang.audit.models import AuditEvent
from fawang.audit.testing import new_audit_rows
from fawang.calendar.testing import RestoresCalendarCache

from .. import actions
from ..models import Schedule, ScheduleException, WeeklyRule
from .base import FRIDAY, FRIDAY_DATE, FrontdeskTestCase


class ScheduleAuditTestCase(RestoresCalendarCache, FrontdeskTestCase):
    def data(self, **changes: object) -> actions.ScheduleData:
        fields: dict[str, object] = {"name": "综合窗口", "service_items": [self.consult_item], "capacity": 2}
        fields.update(changes)
        return actions.ScheduleData(**fields)  # type: ignore[arg-type]

    def test_creating_and_changing_a_schedule(self) -> None:
        with new_audit_rows() as rows:
            schedule = actions.do_save_schedule(
                actor=self.sm_admin, unit=self.point, data=self.data(), today=FRIDAY_DATE
            )
        (row,) = rows
        self.assertEqual(
            (row.action, row.actor, row.unit_id, row.target_type, row.target_id, row.target_name),
            (
                "frontdesk.create_schedule",
                self.sm_admin,
                self.point.pk,
                "frontdesk.schedule",
                str(schedule.pk),
                f"{self.point.name} · 综合窗口",
            ),
        )
        self.assertEqual(
            (row.before, row.after),
            (
                {},
                {
                    "name": "综合窗口",
                    "mode": "onsite",
                    "service_items": [self.consult_item.name],
                    "slot_minutes": 30,
                    "capacity": 2,
                    "days_ahead": 14,
                    "min_notice_hours": 0,
                    "cancel_cutoff_hours": 2,
                    "makeup_weekday": 0,
                    "is_active": True,
                },
            ),
        )
        with new_audit_rows() as rows:
            actions.do_save_schedule(
                actor=self.sm_admin,
                unit=self.point,
                data=self.data(capacity=3, is_active=False),
                schedule_id=schedule.pk,
                today=FRIDAY_DATE,
            )
            # Saved again unchanged: no row.
            actions.do_save_schedule(
                actor=self.sm_admin,
                unit=self.point,
                data=self.data(capacity=3, is_active=False),
                schedule_id=schedule.pk,
                today=FRIDAY_DATE,
            )
        (row,) = rows
        self.assertEqual(
            (row.action, row.before, row.after),
            (
                "frontdesk.update_schedule",
                {"capacity": 2, "is_active": True},
                {"capacity": 3, "is_active": False},
            ),
        )

    def test_rules_and_exceptions(self) -> None:
        schedule = self.schedule(ranges=[], days_ahead=4)
        with new_audit_rows() as rows:
            rule = actions.do_add_rule(
                schedule.pk,
                actor=self.sm_admin,
                weekday=0,
                start_time=dt.time(8, 30),
                end_time=dt.time(12),
                today=FRIDAY_DATE,
            )
            actions.do_delete_rule(rule.pk, actor=self.sm_admin, today=FRIDAY_DATE)
        self.assertEqual([r.action for r in rows], ["frontdesk.add_rule", "frontdesk.delete_rule"])
        self.assertEqual({r.target_id for r in rows}, {str(rule.pk)})
        self.assertEqual(rows[0].target_name, f"{self.point.name} · 综合窗口 · 星期一 08:30-12:00")
        values = {"weekday": 0, "start_time": "08:30", "end_time": "12:00"}
        self.assertEqual((rows[0].before, rows[0].after), ({}, values))
        self.assertEqual((rows[1].before, rows[1].after), (values, {}))
        self.assertFalse(WeeklyRule.objects.filter(pk=rule.pk).exists())

        with new_audit_rows() as rows:
            closed = actions.do_add_exception(
                schedule.pk,
                actor=self.sm_admin,
                date=dt.date(2025, 9, 29),
                kind="closed",
                note="系统维护",
                now=FRIDAY,
            )
            actions.do_delete_exception(closed.pk, actor=self.sm_admin, today=FRIDAY_DATE)
        self.assertEqual([r.action for r in rows], ["frontdesk.add_exception", "frontdesk.delete_exception"])
        closed_values = {"date": "2025-09-29", "kind": "closed", "note": "系统维护"}
        self.assertEqual((rows[0].before, rows[0].after, rows[0].note), ({}, closed_values, ""))
        self.assertEqual((rows[1].before, rows[1].after), (closed_values, {}))

    def test_closing_a_day_notes_the_cancelled_bookings(self) -> None:
        schedule = self.schedule(days_ahead=4)
        self.book(self.slots_of(schedule, dt.date(2025, 9, 29))[0])
        with new_audit_rows() as rows:
            actions.do_add_exception(
                schedule.pk,
                actor=self.sm_admin,
                date=dt.date(2025, 9, 29),
                kind="closed",
                note="停电",
                now=FRIDAY,
            )
        (row,) = rows
        self.assertEqual(row.note, "已取消当日 1 个预约并告知预约人。")

    def test_a_failure_after_the_row_rolls_back_both(self) -> None:
        count = AuditEvent.objects.count()
        with (
            mock.patch("fawang.frontdesk.actions.slots.derive_slots", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            actions.do_save_schedule(
                actor=self.sm_admin, unit=self.point, data=self.data(), today=FRIDAY_DATE
            )
        self.assertEqual(AuditEvent.objects.count(), count)
        self.assertFalse(Schedule.objects.filter(unit=self.point).exists())
        self.assertFalse(ScheduleException.objects.filter(schedule__unit=self.point).exists())
