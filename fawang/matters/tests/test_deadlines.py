"""Time limits: deadlines computed with the working-day calendar (holidays, 调休), warnings and escalations
claimed once by the scan, never-supplied materials withdrawn, overdue statistics, the scheduler command."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings

from fawang.calendar.workdays import TimeUnit

from .. import actions, deadlines
from ..models import Matter, MatterEvent
from .base import MONDAY, MatterTestCase, at


class ClockArithmeticTestCase(MatterTestCase):
    def test_natural_days_ending_in_national_day_move_to_the_next_working_day(self) -> None:
        # 法律援助: 7 days from Monday 29 September 2025 -> Monday 6 October, inside the National Day holiday
        # (1-8 October) -> Thursday 9 October.
        matter = self.submit(now=at(2025, 9, 29, 10))
        self.assertEqual(matter.due_at, at(2025, 10, 9, 17, 30))
        # Warning at 5 days: Saturday 4 October is a holiday -> back to Tuesday 30 September.
        self.assertEqual(matter.warn_at, at(2025, 9, 30, 17, 30))

    def test_working_days_cross_the_holiday_and_count_the_make_up_saturday(self) -> None:
        # 人民调解: 3 working days from Tuesday 30 September: 9, 10 and Saturday 11 October (调休上班).
        matter = self.submit(self.mediation, now=at(2025, 9, 30, 16))
        self.assertEqual(matter.due_at, at(2025, 10, 11, 17, 30))
        self.assertEqual(matter.warn_at, at(2025, 10, 10, 17, 30))

    def test_spring_festival(self) -> None:
        # 2025 春节: 28 January - 4 February off, Sunday 26 January and Saturday 8 February are working days.
        due, warn = deadlines.limit_moments(at(2025, 1, 24, 9), 5, TimeUnit.WORKDAYS, 0.8)
        # From Friday 24 January: Sunday 26 (调休), Monday 27, then 5, 6 and 7 February.
        self.assertEqual(due, at(2025, 2, 7, 17, 30))
        self.assertEqual(warn, at(2025, 2, 6, 17, 30))

    def test_working_hours(self) -> None:
        due, warn = deadlines.limit_moments(at(2025, 3, 7, 16, 30), 2, TimeUnit.WORKHOURS, 0.5)
        self.assertEqual(due, at(2025, 3, 10, 9, 30))  # Friday 16:30-17:30, then Monday 8:30-9:30
        self.assertEqual(warn, at(2025, 3, 7, 17, 30))

    def test_pause_counts_whole_days_only(self) -> None:
        due = at(2025, 3, 10, 17, 30)
        self.assertEqual(
            deadlines.shift_for_pause(due, at(2025, 3, 4, 9), at(2025, 3, 4, 16), TimeUnit.WORKDAYS), due
        )
        # Friday to Monday is one working day.
        self.assertEqual(
            deadlines.shift_for_pause(due, at(2025, 3, 7, 9), at(2025, 3, 10, 9), TimeUnit.WORKDAYS),
            at(2025, 3, 11, 17, 30),
        )
        # Working hours keep their time of day.
        self.assertEqual(
            deadlines.shift_for_pause(
                at(2025, 3, 10, 10, 15), at(2025, 3, 7, 9), at(2025, 3, 10, 9), TimeUnit.WORKHOURS
            ),
            at(2025, 3, 11, 10, 15),
        )


class ScanTestCase(MatterTestCase):
    def test_warn_once_then_escalate_once(self) -> None:
        matter = self.submit()  # warn Friday 7 March 17:30, due Monday 10 March 17:30
        self.assertEqual(deadlines.scan_deadlines(at(2025, 3, 7, 17)).warned, [])
        first = deadlines.scan_deadlines(at(2025, 3, 7, 18))
        self.assertEqual((first.warned, first.escalated), ([matter.pk], []))
        self.assertEqual(deadlines.scan_deadlines(at(2025, 3, 8, 9)).warned, [])
        event = MatterEvent.objects.get(matter=matter, action="warn")
        self.assertIsNone(event.actor)
        self.assertEqual(event.note, "受理时限将于 2025年3月10日 17:30 届满。")
        # No handler yet: the legal-aid centre's staff are told.
        self.assertEqual([m.user for m in self.messages(matter, "matter.warning")], [self.sm_handler])

        second = deadlines.scan_deadlines(at(2025, 3, 10, 18))
        self.assertEqual((second.warned, second.escalated), ([], [matter.pk]))
        self.assertEqual(deadlines.scan_deadlines(at(2025, 3, 11, 9)).escalated, [])
        matter = self.reload(matter)
        self.assertEqual((matter.escalated_to, matter.escalated_at), (self.sm_bureau, at(2025, 3, 10, 18)))
        event = MatterEvent.objects.get(matter=matter, action="escalate")
        self.assertEqual(event.note, "受理超过时限（2025年3月10日 17:30），已升级至思明区司法局督办。")
        self.assertEqual(event.payload["automatic"], True)
        self.assertIn(self.sm_supervisor, [m.user for m in self.messages(matter, "matter.escalated")])
        self.assertEqual(self.events(matter), ["submit", "warn", "escalate"])

    def test_a_paused_clock_is_not_warned(self) -> None:
        matter = self.submit()
        actions.do_request_materials(
            matter.pk, actor=self.sm_handler, missing=["身份证明"], now=at(2025, 3, 4)
        )
        result = deadlines.scan_deadlines(at(2025, 3, 11, 9))
        self.assertEqual((result.warned, result.escalated, result.withdrawn), ([], [], []))

    def test_a_new_step_has_a_fresh_warning(self) -> None:
        matter = self.submit()
        deadlines.scan_deadlines(at(2025, 3, 7, 18))
        actions.do_accept(matter.pk, actor=self.sm_handler, now=at(2025, 3, 10, 9))  # assign by Thursday 13
        self.assertIsNone(self.reload(matter).warned_at)
        self.assertEqual(deadlines.scan_deadlines(at(2025, 3, 13, 18)).escalated, [matter.pk])

    def test_never_supplied_materials_are_withdrawn_by_the_scan(self) -> None:
        matter = self.submit()
        actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["身份证明"], now=MONDAY)
        result = deadlines.scan_deadlines(at(2025, 3, 25, 9))
        self.assertEqual(result.withdrawn, [matter.pk])
        self.assertEqual(self.reload(matter).status, Matter.Status.WITHDRAWN)

    def test_overdue_statistics_by_unit_within_the_users_regions(self) -> None:
        now = at(2025, 3, 7, 18)

        def stats(user: object) -> dict[str, tuple[int, int, int]]:
            return {r.unit_name: (r.open, r.overdue, r.due_soon) for r in deadlines.overdue_stats(user, now)}

        def diff(
            before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]
        ) -> dict[str, tuple[int, ...]]:
            # Other matters (demo data) may exist: compare with what was there before.
            out = {}
            for name, row in after.items():
                old = before.get(name, (0, 0, 0))
                delta = tuple(x - y for x, y in zip(row, old, strict=True))
                if any(delta):
                    out[name] = delta
            return out

        sm_before, hl_before = stats(self.sm_supervisor), stats(self.hl_supervisor)
        self.submit()
        self.submit(self.mediation)
        self.submit(self.mediation, now=at(2025, 3, 5, 9))
        # Legal aid from Monday: warned Friday 17:30, due Monday (due soon). Mediation from Monday was due
        # Thursday 17:30 (overdue); the one from Wednesday is due Monday and was warned Friday 17:30 (due soon).
        self.assertEqual(
            diff(sm_before, stats(self.sm_supervisor)),
            {"思明区法律援助中心": (1, 0, 1), "厦港街道人民调解委员会": (2, 1, 1)},
        )
        self.assertEqual(diff(hl_before, stats(self.hl_supervisor)), {})
        row = next(
            r
            for r in deadlines.overdue_stats(self.sm_supervisor, now)
            if r.unit_name == "厦港街道人民调解委员会"
        )
        self.assertAlmostEqual(row.overdue_rate, row.overdue / row.open)

    def test_scheduler_runs_the_periodic_jobs_once(self) -> None:
        matter = self.submit(now=at(2025, 1, 6))  # long overdue by now
        out = io.StringIO()
        with override_settings(
            SCHEDULER_JOBS=[
                "fawang.matters.tasks.scan_deadlines_task",
                "fawang.matters.tasks.invite_ratings_task",
                "fawang.matters.tasks.sample_callbacks_task",
                "fawang.notify.tasks.deliver_due_messages",
                "fawang.nowhere.missing_job",
            ]
        ):
            call_command("scheduler", "--once", stdout=out)
        self.assertEqual(self.events(matter), ["submit", "warn", "escalate"])
