"""Each indicator of the KPI board against counts made by hand on a small fixed data set: the demo's units and
advisors of 思明区 (a town and its communities), and a handful of matters taken in through the actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fawang.insights import figures, kpi, rollup
from fawang.matters import actions
from fawang.matters.models import Callback, Matter
from fawang.matters.tests.base import MONDAY, MatterTestCase
from fawang.orgs.models import AdvisorAssignment, Practitioner, Unit
from fawang.regions.models import Region

TOWN = "350203012"  # 鼓浪屿街道
PERIOD = figures.Period(MONDAY.date() - dt.timedelta(days=3), MONDAY.date() + dt.timedelta(days=40))


def row(board: list[kpi.Indicator], key: str) -> kpi.Indicator:
    return next(i for i in board if i.key == key)


class CoverageTestCase(MatterTestCase):
    def test_station_coverage(self) -> None:
        towns = Region.objects.filter(parent_id="350203").count()
        Unit.objects.filter(kind=Unit.Kind.STATION, region_id=TOWN).update(is_active=False)
        ind = row(kpi.board("350203", PERIOD), "station_coverage")
        self.assertEqual((ind.part, ind.whole), (towns - 1, towns))
        self.assertFalse(ind.met)
        self.assertEqual([m["code"] for m in ind.misses], [TOWN])

    def test_room_coverage(self) -> None:
        villages = list(Region.objects.filter(parent_id=TOWN).order_by("code"))
        Unit.objects.filter(kind=Unit.Kind.ROOM, region_id=villages[0].code).update(is_active=False)
        ind = row(kpi.board(TOWN, PERIOD), "room_coverage")
        self.assertEqual((ind.part, ind.whole), (len(villages) - 1, len(villages)))
        self.assertEqual([m["code"] for m in ind.misses], [villages[0].code])
        self.assertTrue(row(kpi.board("350206", PERIOD), "room_coverage").met)  # 湖里区 untouched

    def test_advisor_coverage(self) -> None:
        villages = list(Region.objects.filter(parent_id=TOWN).order_by("code"))
        self.assertTrue(row(kpi.board(TOWN, PERIOD), "advisor_coverage").met)  # 一村一法律顾问 in the demo
        AdvisorAssignment.objects.filter(region=villages[-1]).update(ended_on=dt.date(2025, 1, 1))
        ind = row(kpi.board(TOWN, PERIOD), "advisor_coverage")
        self.assertEqual((ind.part, ind.whole), (len(villages) - 1, len(villages)))
        self.assertEqual(ind.value, (len(villages) - 1) / len(villages))
        self.assertEqual([m["name"] for m in ind.misses], [villages[-1].name])

    def test_professional_staff_per_10k(self) -> None:
        county = Region.objects.get(code="350203")
        kinds = {"lawyer", "notary", "appraiser", "grassroots_worker"}
        by_hand = sum(
            1
            for p in Practitioner.objects.select_related("unit")
            if p.unit
            and p.unit.region_id.startswith("350203")
            and p.kind in kinds
            and p.licence_status == "practising"
        )
        ind = row(kpi.board("350203", PERIOD), "staff_per_10k")
        self.assertEqual((ind.part, ind.whole), (by_hand, county.population))
        self.assertAlmostEqual(ind.value or 0, by_hand / (county.population or 1) * 10_000)
        # Suspending one lawyer takes one off.
        lawyer = Practitioner.objects.filter(kind="lawyer", unit__region_id="350203").first()
        assert lawyer is not None
        Practitioner.objects.filter(pk=lawyer.pk).update(licence_status="suspended")
        self.assertEqual(row(kpi.board("350203", PERIOD), "staff_per_10k").part, by_hand - 1)
        # Towns have no census figure here: no value, no miss.
        self.assertIsNone(row(kpi.board(TOWN, PERIOD), "staff_per_10k").value)


class MatterIndicatorsTestCase(MatterTestCase):
    """Four matters in 鼓浪屿街道: completed, one of them late; rated 5, 4, 3 and 1."""

    def setUp(self) -> None:
        super().setUp()
        handler = self.staff_of(self.sm_legal_aid, "handler")
        self.matters = []
        for i, level in enumerate((5, 4, 3, 1)):
            m = self.submit(region=TOWN, now=MONDAY + dt.timedelta(hours=i))
            actions.do_accept(m.pk, actor=handler, now=MONDAY + dt.timedelta(hours=i, minutes=30))
            if i == 3:  # the deadline worker escalated it: the limit ran out
                Matter.objects.filter(pk=m.pk).update(escalated_at=MONDAY + dt.timedelta(days=9))
            actions.do_complete(m.pk, actor=handler, result="已办结。", now=MONDAY + dt.timedelta(days=10))
            actions.do_rate(m.pk, actor=None, level=level, now=MONDAY + dt.timedelta(days=11))
            self.matters.append(m)
        rollup.rebuild()

    def test_time_limits_kept(self) -> None:
        ind = row(kpi.board(TOWN, PERIOD), "on_time_rate")
        self.assertEqual((ind.part, ind.whole), (3, 4))
        self.assertEqual(ind.value, 0.75)
        self.assertFalse(ind.met)
        county = row(kpi.board("350203", PERIOD), "on_time_rate")
        self.assertEqual([m["code"] for m in county.misses], [TOWN])

    def test_satisfaction(self) -> None:
        ind = row(kpi.board(TOWN, PERIOD), "satisfaction")
        self.assertEqual((ind.part, ind.whole), (3, 4))  # 基本满意 counts as good
        self.assertFalse(ind.met)

    def test_callbacks_of_bad_ratings(self) -> None:
        callbacks = Callback.objects.filter(matter__in=self.matters, reason="bad_rating")
        self.assertEqual(callbacks.count(), 1)
        now = timezone.now()
        # Not yet due: nothing to count.
        Callback.objects.filter(pk__in=callbacks).update(due_at=now + dt.timedelta(days=1))
        self.assertIsNone(row(kpi.board(TOWN, PERIOD), "callbacks_done").value)
        Callback.objects.filter(pk__in=callbacks).update(due_at=now - dt.timedelta(days=1))
        ind = row(kpi.board(TOWN, PERIOD), "callbacks_done")
        self.assertEqual((ind.part, ind.whole, ind.met), (0, 1, False))
        Callback.objects.filter(pk__in=callbacks).update(done_at=now)
        ind = row(kpi.board(TOWN, PERIOD), "callbacks_done")
        self.assertEqual((ind.part, ind.whole, ind.met), (1, 1, True))


class BoardQueriesTestCase(MatterIndicatorsTestCase):
    """The board asks the same queries whatever the number of places under the region."""

    def queries(self, code: str) -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # the board computed afresh, not its rates read from the cache
        with CaptureQueriesContext(connection) as ctx:
            kpi.board(code, PERIOD)
        return len(ctx.captured_queries)

    def add_towns(self, county: str, n: int) -> list[str]:
        parent = Region.objects.get(code=county)
        codes = []
        for i in range(n):
            town = Region.objects.create(
                code=f"{county}9{i:02d}", name=f"测试街道{i}", level=Region.Level.TOWN, parent=parent
            )
            for j in range(3):
                Region.objects.create(
                    code=f"{town.code}90{j}", name=f"测试社区{i}{j}", level=Region.Level.VILLAGE, parent=town
                )
            codes.append(town.code)
        return codes

    def test_query_count_does_not_grow_with_places(self) -> None:
        county_before, town_before = self.queries("350203"), self.queries(TOWN)
        added = self.add_towns("350203", 6)
        Region.objects.create(code=f"{TOWN}901", name="新社区", level=Region.Level.VILLAGE, parent_id=TOWN)
        self.assertEqual(self.queries("350203"), county_before)
        self.assertEqual(self.queries(TOWN), town_before)
        # The new places are on the board: six towns without a 工作站, a community without a 工作室.
        board = kpi.board("350203", PERIOD)
        self.assertTrue(set(added) <= {m["code"] for m in row(board, "station_coverage").misses})
        room = row(kpi.board(TOWN, PERIOD), "room_coverage")
        self.assertIn(f"{TOWN}901", [m["code"] for m in room.misses])

    def test_the_kpi_page_too(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        self.client.force_login(self.sm_supervisor)
        url = reverse("insights:kpi", args=["350203"])
        self.client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as before:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.add_towns("350203", 6)
        with CaptureQueriesContext(connection) as after:
            page = self.client.get(url)
        self.assertContains(page, "测试街道5")
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))

    def test_each_place_as_if_measured_alone(self) -> None:
        """The grouped figures of each town equal the town's own board (each indicator measured for it alone)."""
        towns = list(Region.objects.filter(parent_id="350203").select_related("parent").order_by("code"))
        _own, per = kpi.measure_places("350203", PERIOD, towns)
        for town in towns:
            alone = kpi.measure(town.code, PERIOD)
            # A town's staff per 10,000 has no census figure in either way.
            self.assertEqual(per[town.code], alone, town.name)
        self.assertEqual(per[TOWN]["on_time_rate"], (0.75, 3, 4))
