"""Working-day and working-hour arithmetic on the real 2024 calendar seeded by the data migration."""

from __future__ import annotations

import datetime

from fawang.calendar import workdays
from fawang.calendar.workdays import (
    TimeUnit,
    add_days,
    add_workdays,
    add_workhours,
    coverage_gaps,
    deadline,
    is_workday,
    workdays_between,
)

from .helpers import CalendarTestCase, at


class WorkdayTests(CalendarTestCase):
    def test_make_up_weekend_days_are_workdays(self) -> None:
        # 2024 调休上班: Sun 02-04 and Sun 02-18 (春节), Sat 10-12 and Sun 09-29 (国庆节).
        for day in (
            datetime.date(2024, 2, 4),
            datetime.date(2024, 2, 18),
            datetime.date(2024, 9, 29),
            datetime.date(2024, 10, 12),
        ):
            with self.subTest(day=day):
                self.assertGreaterEqual(day.weekday(), 5)
                self.assertTrue(is_workday(day))
        # An ordinary weekend is still a rest day.
        self.assertFalse(is_workday(datetime.date(2024, 10, 19)))
        self.assertFalse(is_workday(datetime.date(2024, 10, 20)))

    def test_spring_festival_and_national_day_weeks_are_not_workdays(self) -> None:
        spring = [datetime.date(2024, 2, 10) + datetime.timedelta(days=i) for i in range(8)]  # 02-10 .. 02-17
        national = [
            datetime.date(2024, 10, 1) + datetime.timedelta(days=i) for i in range(7)
        ]  # 10-01 .. 10-07
        for day in spring + national:
            with self.subTest(day=day):
                self.assertFalse(is_workday(day))
        # The weekdays around them work as usual.
        self.assertTrue(is_workday(datetime.date(2024, 2, 9)))
        self.assertTrue(is_workday(datetime.date(2024, 2, 19)))
        self.assertTrue(is_workday(datetime.date(2024, 10, 8)))

    def test_aware_datetimes_are_taken_as_local_days(self) -> None:
        # 2024-09-30 17:00 UTC is 2024-10-01 01:00 in Shanghai: 国庆节, not the Monday before it.
        utc = datetime.datetime(2024, 9, 30, 17, 0, tzinfo=datetime.UTC)
        self.assertFalse(is_workday(utc))


class AddWorkdaysTests(CalendarTestCase):
    def test_seven_workdays_across_national_day_2024(self) -> None:
        # Application received Friday 2024-09-27 10:00; the day of receipt is not counted.
        #   1 Sun 09-29 (调休上班)   2 Mon 09-30
        #     Tue 10-01 .. Mon 10-07 国庆节 (7 days off)
        #   3 Tue 10-08   4 Wed 10-09   5 Thu 10-10   6 Fri 10-11   7 Sat 10-12 (调休上班)
        # Deadline: the end of business on Saturday 2024-10-12.
        self.assertEqual(add_workdays(at(2024, 9, 27, 10), 7), at(2024, 10, 12, 17, 30))

    def test_three_workdays_across_spring_festival_2024(self) -> None:
        # Decided Thursday 2024-02-08; assign within 3 days (法律援助法 第四十三条):
        #   1 Fri 02-09   Sat 02-10 .. Sat 02-17 春节   2 Sun 02-18 (调休上班)   3 Mon 02-19
        self.assertEqual(add_workdays(at(2024, 2, 8, 16), 3), at(2024, 2, 19, 17, 30))

    def test_receipt_on_a_rest_day_or_after_hours(self) -> None:
        # Received on Saturday 2024-03-09 or Friday evening: the first counted day is Monday 03-11.
        self.assertEqual(add_workdays(at(2024, 3, 9, 11), 1), at(2024, 3, 11, 17, 30))
        self.assertEqual(add_workdays(at(2024, 3, 8, 22), 1), at(2024, 3, 11, 17, 30))

    def test_zero_means_the_same_working_day(self) -> None:
        self.assertEqual(add_workdays(at(2024, 3, 8, 9), 0), at(2024, 3, 8, 17, 30))
        self.assertEqual(add_workdays(at(2024, 10, 3, 9), 0), at(2024, 10, 8, 17, 30))

    def test_workday_end_is_a_setting(self) -> None:
        with self.settings(WORKDAY_END="18:00"):
            self.assertEqual(add_workdays(at(2024, 9, 27, 10), 7), at(2024, 10, 12, 18, 0))

    def test_workdays_between_agrees_with_add_workdays(self) -> None:
        start = at(2024, 9, 20, 9)
        for n in range(1, 30):
            with self.subTest(n=n):
                self.assertEqual(workdays_between(start, add_workdays(start, n)), n)
        self.assertEqual(workdays_between(datetime.date(2024, 9, 27), datetime.date(2024, 10, 12)), 7)
        self.assertEqual(workdays_between(datetime.date(2024, 10, 12), datetime.date(2024, 9, 27)), -7)
        self.assertEqual(workdays_between(datetime.date(2024, 10, 1), datetime.date(2024, 10, 7)), 0)

    def test_natural_days_ending_on_a_holiday_move_to_the_next_workday(self) -> None:
        # 5 natural days from Fri 2024-09-27 end on Wed 10-02, a 国庆节 day: the limit ends Tue 10-08
        # (民法典 第二百零三条).
        self.assertEqual(add_days(at(2024, 9, 27, 10), 5), at(2024, 10, 8, 17, 30))
        # 15 natural days from Mon 2024-03-04 end on Tue 03-19, a working day.
        self.assertEqual(add_days(at(2024, 3, 4, 10), 15), at(2024, 3, 19, 17, 30))


class AddWorkhoursTests(CalendarTestCase):
    def test_across_the_lunch_break(self) -> None:
        # Tue 2024-03-05 11:00 + 2 h: 11:00–12:00, then 14:30–15:30.
        self.assertEqual(add_workhours(at(2024, 3, 5, 11), 2), at(2024, 3, 5, 15, 30))
        # Used up exactly at noon: the deadline is 12:00, not the afternoon opening.
        self.assertEqual(add_workhours(at(2024, 3, 5, 10), 2), at(2024, 3, 5, 12, 0))
        # Started during the lunch break: the clock starts at 14:30.
        self.assertEqual(add_workhours(at(2024, 3, 5, 13), 0.25), at(2024, 3, 5, 14, 45))

    def test_across_a_weekend(self) -> None:
        # Fri 2024-03-08 16:30 + 3 h: 16:30–17:30 on Friday, 08:30–10:30 on Monday 03-11.
        self.assertEqual(add_workhours(at(2024, 3, 8, 16, 30), 3), at(2024, 3, 11, 10, 30))

    def test_across_a_holiday_onto_a_make_up_saturday(self) -> None:
        # Fri 2024-10-11 17:00 + 1 h: 17:00–17:30, then Sat 10-12 (调休上班) 08:30–09:00.
        self.assertEqual(add_workhours(at(2024, 10, 11, 17), 1), at(2024, 10, 12, 9, 0))
        # From the eve of 国庆节: Mon 09-30 17:00 + 1 h → Tue 10-08 09:00.
        self.assertEqual(add_workhours(at(2024, 9, 30, 17), 1), at(2024, 10, 8, 9, 0))

    def test_a_full_working_day_is_six_and_a_half_hours(self) -> None:
        self.assertEqual(add_workhours(at(2024, 3, 5, 8, 30), 6.5), at(2024, 3, 5, 17, 30))
        self.assertEqual(add_workhours(at(2024, 3, 5, 8, 30), 6.5 * 5), at(2024, 3, 11, 17, 30))

    def test_work_periods_are_a_setting(self) -> None:
        with self.settings(WORK_PERIODS=[("09:00", "17:00")]):
            self.assertEqual(add_workhours(at(2024, 3, 5, 11), 2), at(2024, 3, 5, 13, 0))


class DeadlineTests(CalendarTestCase):
    def test_units(self) -> None:
        start = at(2024, 9, 27, 10)
        self.assertEqual(deadline(start, 7, TimeUnit.WORKDAYS), at(2024, 10, 12, 17, 30))
        self.assertEqual(deadline(start, 5, "days"), at(2024, 10, 8, 17, 30))
        # Fri 10:00–12:00 and 14:30–17:30 is 5 h; the other 3 h on Sun 09-29 (调休上班) 08:30–11:30.
        self.assertEqual(deadline(start, 8, "workhours"), at(2024, 9, 29, 11, 30))

    def test_bad_amounts_and_units_are_refused(self) -> None:
        start = at(2024, 9, 27, 10)
        with self.assertRaisesMessage(ValueError, "未知的时限单位 'weeks'"):
            deadline(start, 1, "weeks")
        with self.assertRaisesMessage(ValueError, "按日计算的时限应为整数天，收到 1.5"):
            deadline(start, 1.5, "workdays")
        with self.assertRaisesMessage(ValueError, "工作日数应为非负整数，收到 -1"):
            add_workdays(start, -1)

    def test_naive_datetimes_are_refused(self) -> None:
        naive = datetime.datetime(2024, 9, 27, 10)  # noqa: DTZ001 -- naive on purpose: it must be refused
        message = "时限计算需要带时区的时间（Asia/Shanghai），start 不带时区"
        for call in (
            lambda: add_workdays(naive, 7),
            lambda: add_workhours(naive, 2),
            lambda: add_days(naive, 5),
            lambda: deadline(naive, 7, "workdays"),
        ):
            with self.assertRaisesMessage(ValueError, message):
                call()
        with self.assertRaisesMessage(ValueError, "day 不带时区"):
            is_workday(naive)
        with self.assertRaisesMessage(ValueError, "b 不带时区"):
            workdays_between(at(2024, 9, 27), naive)

    def test_a_warm_cache_costs_no_queries(self) -> None:
        workdays.invalidate()
        with self.assertNumQueries(1):
            is_workday(datetime.date(2024, 1, 1))
        with self.assertNumQueries(0):
            for i in range(100):
                deadline(at(2024, 1, 1, 9) + datetime.timedelta(days=i), 7, "workdays")


class CoverageTests(CalendarTestCase):
    def test_years_without_rows_are_reported_and_fall_back_to_monday_to_friday(self) -> None:
        self.assertEqual(coverage_gaps([2003, 2004, 2024, 2026, 2027]), [2003, 2027])
        # 2027-01-01 is a Friday: with no data it counts as a working day (元旦 not yet entered).
        self.assertTrue(is_workday(datetime.date(2027, 1, 1)))
        self.assertFalse(is_workday(datetime.date(2027, 1, 2)))
