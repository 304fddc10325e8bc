"""Where the supervisor's pages read their figures: never the matters; the daily facts for periods of up to 90 days;
the monthly facts (whole months) and the daily facts (the days at the ends) for longer ones — with the same
numbers either way."""

from __future__ import annotations

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

    def test_up_to_90_days_daily_facts_longer_monthly(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("insights:data", args=["350203"])
        for days in (7, 30, 90):
            sql = self.sql_of(url, days=days)
            self.assertTrue([q for q in sql if "insights_dailyfact" in q], days)
            self.assertFalse([q for q in sql if "insights_monthfact" in q], days)
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
        year, quarter = figures.Period.last(365, END), figures.Period.last(90, END)
        self.assertTrue(figures.reads_months("3502", year))
        self.assertTrue(figures.reads_months("350203", year, ("region_id",)))
        self.assertTrue(figures.reads_months("350203010", year, ("topic_id",)))
        self.assertFalse(figures.reads_months("350203010", year, ("region_id",)))  # a town's villages
        self.assertFalse(figures.reads_months("350203010001", year))  # a village
        self.assertFalse(figures.reads_months("350203", year, ("day",)))
        self.assertFalse(figures.reads_months("3502", quarter))

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
