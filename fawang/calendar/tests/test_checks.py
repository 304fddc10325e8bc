"""The system check that warns when next year's holidays have not been entered by December."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core import checks

from fawang.calendar.models import CalendarDay

from .helpers import CalendarTestCase


def run(today: datetime.date) -> list[str]:
    with mock.patch("fawang.calendar.checks.today", return_value=today):
        return [m.id or "" for m in checks.run_checks(tags=["workcalendar"])]


class CoverageCheckTests(CalendarTestCase):
    def test_it_warns_in_december_when_next_year_is_missing(self) -> None:
        # The package covers up to 2026; 2027 has no rows.
        self.assertEqual(run(datetime.date(2026, 12, 1)), ["workcalendar.W001"])
        self.assertEqual(run(datetime.date(2026, 11, 30)), [])
        self.assertEqual(run(datetime.date(2025, 12, 15)), [])  # 2026 is there

    def test_it_is_quiet_once_next_year_has_rows(self) -> None:
        CalendarDay.objects.create(date=datetime.date(2027, 1, 1), kind="holiday", name="元旦")
        self.assertEqual(run(datetime.date(2026, 12, 1)), [])

    def test_it_warns_when_the_current_year_is_missing(self) -> None:
        self.assertEqual(run(datetime.date(2030, 3, 1)), ["workcalendar.W002"])

    def test_the_message_names_the_year(self) -> None:
        with mock.patch("fawang.calendar.checks.today", return_value=datetime.date(2026, 12, 1)):
            (message,) = checks.run_checks(tags=["workcalendar"])
        self.assertEqual(message.level, checks.WARNING)
        self.assertIn("工作日历还没有 2027 年的节假日与调休数据", message.msg)
