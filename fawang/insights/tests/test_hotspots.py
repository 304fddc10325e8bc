from __future__ import annotations

import datetime as dt

from fawang.insights import hotspots
from fawang.insights.activity import DEMOLITION_VILLAGE, WAGE_TOWN
from fawang.orgs.models import Speciality

from .base import END, ActivityTestCase


class TailTestCase(ActivityTestCase):
    count = 0

    def test_the_tail_of_a_geometric_count(self) -> None:
        # shape 1: geometric, P(X >= k) = (1 - p) ** k.
        self.assertAlmostEqual(hotspots.tail_probability(3, 1.0, 0.5), 0.125)
        self.assertEqual(hotspots.tail_probability(0, 2.0, 0.3), 1.0)

    def test_expectation_scales_with_the_trend(self) -> None:
        expected, shape, p = hotspots.predictive(24, 12, 1.5)
        self.assertAlmostEqual(expected, 24.5 * 1.5 / 12)
        self.assertAlmostEqual(shape, 24.5)
        self.assertAlmostEqual(p, 12 / 13.5)

    def test_rising_phrases(self) -> None:
        now = ["工地包工头拖欠工资", "包工头跑路工地停工", "咨询离婚"]
        base = ["咨询离婚财产", "拖欠工资怎么办", "交通事故赔偿"]
        words = [w for w, _n, _lift in hotspots.rising_phrases(now, base)]
        self.assertEqual(set(words[:2]), {"包工头", "工地"})
        self.assertNotIn("离婚", words)


class PlantedTestCase(ActivityTestCase):
    def test_both_planted_anomalies_are_found_with_their_causes(self) -> None:
        found = {(h.region, h.topic_id): h for h in hotspots.find("350203", END)}
        labour = Speciality.objects.get(code="labour").pk
        demolition = Speciality.objects.get(code="demolition").pk
        self.assertIn((WAGE_TOWN, labour), found)
        self.assertIn((DEMOLITION_VILLAGE, demolition), found)
        wage = found[(WAGE_TOWN, labour)]
        self.assertGreaterEqual(wage.observed, 32)
        self.assertLess(wage.expected, wage.observed / 3)
        self.assertLess(wage.p_value, hotspots.ALPHA)
        words = [w for w, _n, _lift in wage.phrases]
        self.assertTrue({"包工头", "工地", "项目部", "农民工"} & set(words[:5]), words)
        self.assertTrue(wage.places)  # the communities it comes from
        self.assertTrue(wage.units and wage.items and wage.channels)
        self.assertEqual(len(wage.examples), 5)
        cluster = found[(DEMOLITION_VILLAGE, demolition)]
        self.assertGreaterEqual(cluster.observed, 14)
        self.assertTrue({"旧村", "改造", "评估价", "补偿款"} & {w for w, _n, _l in cluster.phrases[:5]})
        # The village, not its street or district, is named for the cluster.
        self.assertNotIn((DEMOLITION_VILLAGE[:9], demolition), found)
        self.assertNotIn(("350203", demolition), found)

    def test_the_city_finds_them_too_and_other_districts_do_not(self) -> None:
        regions = {h.region for h in hotspots.find("3502", END, explained=False)}
        self.assertTrue({WAGE_TOWN, DEMOLITION_VILLAGE} <= regions)
        self.assertFalse({h.region for h in hotspots.find("350206", END, explained=False)} & regions)

    def test_a_week_before_the_plants_they_are_not_there(self) -> None:
        regions = {h.region for h in hotspots.find("350203", END - dt.timedelta(days=7), explained=False)}
        self.assertNotIn(WAGE_TOWN, regions)
        self.assertNotIn(DEMOLITION_VILLAGE, regions)


class FalseAlarmTestCase(ActivityTestCase):
    """A year with nothing planted (fixed seed): over twelve weeks, no more alarms than ALPHA per test."""

    count = 8000
    plant = False

    def test_no_more_false_alarms_than_the_stated_rate(self) -> None:
        alarms = tests = 0
        for week in range(12):
            as_of = END - dt.timedelta(days=7 * week)
            for root in ("3502", "350322"):
                flagged, n = hotspots.test_cells(root, as_of)
                alarms += len(flagged)
                tests += n
        self.assertGreater(tests, 10_000)
        self.assertLessEqual(alarms, hotspots.ALPHA * tests, (alarms, tests))
