"""A year of generated activity shared by the insights tests (made once per test class, rolled back after)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from fawang.insights import rollup
from fawang.insights.activity import Summary, load_activity
from fawang.test import BaseTestCase

# A fixed last day in the past, so that the year is the same whatever day the tests run.
END = dt.date(2026, 6, 30)


class ActivityTestCase(BaseTestCase):
    count: ClassVar[int] = 3000
    plant: ClassVar[bool] = True
    summary: ClassVar[Summary]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.summary = load_activity(count=cls.count, seed=7, end=END, plant=cls.plant)
        rollup.rebuild()
