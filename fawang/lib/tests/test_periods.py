from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from fawang.lib.periods import day_bounds


class DayBoundsTestCase(SimpleTestCase):
    def test_a_month_runs_from_its_first_midnight_to_the_next_months_in_shanghai(self) -> None:
        start, end = day_bounds(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
        shanghai = ZoneInfo("Asia/Shanghai")
        self.assertEqual(start, dt.datetime(2026, 2, 1, tzinfo=shanghai))
        self.assertEqual(end, dt.datetime(2026, 3, 1, tzinfo=shanghai))
        # 23:59 on the last day (15:59 UTC) is inside; midnight after it is not.
        self.assertLess(dt.datetime(2026, 2, 28, 15, 59, tzinfo=dt.UTC), end)
        self.assertEqual(end.astimezone(dt.UTC), dt.datetime(2026, 2, 28, 16, 0, tzinfo=dt.UTC))

    def test_one_day(self) -> None:
        start, end = day_bounds(dt.date(2026, 12, 6), dt.date(2026, 12, 6))
        self.assertEqual(end - start, dt.timedelta(days=1))
