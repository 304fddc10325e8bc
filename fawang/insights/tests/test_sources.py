"""Where the supervisor's pages read their figures: never the matters; the monthly facts for whole months, the daily
facts for the days at the ends (or for the days a month read whole has outside the period), and for the days of a
trend — with the same numbers either way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.insights import figures
from fawang.insights.models import DailyFact
from fawang.insights.rollup import MEASURES

from .base import END, ActivityTestCase


class FactSourcesTestCase(ActivityTestCase):
    count = 800

    def sql_of(self, url: str, **params: Any) -> list[str]:
        cache.clear()  # the page computes its figures, not reads them from the cache
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return [q["sql"] for q in ctx.captured_queries]

    def test_no_page_reads_the_matters(self) -> None:
        self.client.force_login(self.sm_supervisor)
        for days in (30, 90, 365):
            for name in ("dashboard", "data"):
                sql = self.sql_of(reverse(f"insights:{name}", args=["350203"]), days=days)
                self.assertFalse([q for q in sql if "matters_matter" in q], (name, days))
        for url in (
            reverse("insights:report", args=["350203"]),
            reverse("insights:report_xlsx", args=["350203"]),
        ):
            sql = self.sql_of(url, month="2026-05")
            # Only the KPI board's 差评回访 (callbacks, found by their matter's region) touch the matters' table.
            self.assertFalse([q for q in sql if "matters_matter" in q and "matters_callback" not in q], url)
        sql = self.sql_of(reverse("insights:kpi", args=["350203"]))
        self.assertFalse([q for q in sql if "matters_matter" in q and "matters_callback" not in q])
        self.client.logout()
        for url in (reverse("stats:index"), reverse("stats:region", args=["350203"])):
            sql = self.sql_of(url)
            self.assertFalse([q for q in sql if "matters_matter" in q], url)

    def test_whole_months_from_the_monthly_facts_the_edges_from_the_daily(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("insights:data", args=["350203"])
        for days in (7, 30, 90):
            # The trend's days from the daily facts; the mix and the towns of this month (its days after today
            # hold nothing yet) from the monthly facts.
            sql = self.sql_of(url, days=days)
            self.assertTrue([q for q in sql if "insights_dailyfact" in q], days)
            self.assertTrue([q for q in sql if "insights_monthfact" in q], days)
        sql = self.sql_of(url, days=365)
        self.assertTrue([q for q in sql if "insights_monthfact" in q])
        # The town's page over a year: its totals, trend and mix from the monthly facts; its villages from the daily.
        sql = self.sql_of(reverse("insights:data", args=["350203010"]), days=365)
        self.assertTrue([q for q in sql if "insights_monthfact" in q])
        # The city's year: its totals, trend, mix and districts from the district months, nothing by unit.
        self.client.force_login(self.xm_supervisor)
        sql = self.sql_of(reverse("insights:data", args=["3502"]), days=365)
        self.assertTrue([q for q in sql if "insights_districtmonthfact" in q])
        self.assertFalse([q for q in sql if "insights_monthfact" in q])

    def test_the_rule(self) -> None:
        year = figures.Period.last(365, END)
        self.assertTrue(figures.reads_months("3502"))
        self.assertTrue(figures.reads_months("350203", ("region_id",)))
        self.assertTrue(figures.reads_months("350203010", ("topic_id",)))
        self.assertFalse(figures.reads_months("350203010", ("region_id",)))  # a town's villages
        self.assertFalse(figures.reads_months("350203010001"))  # a village
        self.assertFalse(figures.reads_months("350203", ("day",)))

        def p(start: dt.date, end: dt.date) -> figures.Period:
            return figures.Period(start, end)

        # A year ending on a month's last day: twelve whole months, no day.
        self.assertEqual(
            figures.plan(year, END), figures.Plan((dt.date(2025, 7, 1), dt.date(2026, 6, 1)), ())
        )
        # Thirty days ending today, the 7th: last month less its first seven days; this month whole, its days
        # after today holding nothing yet.
        got = figures.plan(figures.Period.last(30, dt.date(2026, 12, 7)), dt.date(2026, 12, 7))
        self.assertEqual(got.months, (dt.date(2026, 11, 1), dt.date(2026, 12, 1)))
        self.assertEqual(got.add, ())
        self.assertEqual(
            got.subtract,
            (p(dt.date(2026, 11, 1), dt.date(2026, 11, 7)), p(dt.date(2026, 12, 8), dt.date(2026, 12, 31))),
        )
        # The same thirty days read a year later: this month's days are then cheaper than the month less them.
        got = figures.plan(figures.Period.last(30, dt.date(2026, 12, 7)), dt.date(2027, 12, 7))
        self.assertEqual(got.months, (dt.date(2026, 11, 1), dt.date(2026, 11, 1)))
        self.assertEqual(got.add, (p(dt.date(2026, 12, 1), dt.date(2026, 12, 7)),))
        # Days inside one month, fewer than those outside: days only.
        got = figures.plan(p(dt.date(2026, 2, 10), dt.date(2026, 2, 20)), END)
        self.assertEqual(got, figures.Plan(None, (p(dt.date(2026, 2, 10), dt.date(2026, 2, 20)),)))
        # More days inside than outside: the month less its first two and last eight days.
        got = figures.plan(p(dt.date(2026, 2, 3), dt.date(2026, 2, 20)), END)
        outside = (p(dt.date(2026, 2, 1), dt.date(2026, 2, 2)), p(dt.date(2026, 2, 21), dt.date(2026, 2, 28)))
        self.assertEqual(got, figures.Plan((dt.date(2026, 2, 1), dt.date(2026, 2, 1)), (), outside))

    def test_same_numbers_either_way(self) -> None:
        year = figures.Period.last(365, END)
        for code in ("3502", "350203", "350203010"):
            by_day = DailyFact.objects.filter(
                figures.region_q("region_id", code), day__gte=year.start, day__lte=year.end
            ).aggregate(**{m: Sum(m) for m in MEASURES})
            self.assertEqual(figures.sums(code, year), {m: int(by_day[m] or 0) for m in MEASURES}, code)
            self.assertGreater(figures.sums(code, year)["received"], 0, code)
        towns = {row["code"]: row["received"] for row in figures.ranking("350203", year)}
        for town, received in towns.items():
            self.assertEqual(received, figures.sums(town, year)["received"], town)
