"""三级平台全覆盖 on the test world, against a hand count of its network (fawang/testing/world.py):

思明区: 10 streets, each with a 工作站; 99 communities, each with a 工作室 and a current legal advisor; one
centre with 法律援助、人民调解、法律咨询. Staff on duty: the centre (sm_clerk, sm_agent, two consultants), 厦港街道's
station (sm_clerk, sm_handler) and every room (its advisor) — so the other 9 stations of the 110 points have
nobody. 仙游县: 18 towns, 327 villages, the centre, 鲤城街道's station and the rooms staffed: 17 of 346 points."""

from __future__ import annotations

from django.urls import reverse

from fawang.matters.tests.base import MatterTestCase
from fawang.orgs.models import Function, Unit
from fawang.testing.world import world

from ..coverage import county_coverage, reachable_counties


def figures(code: str) -> tuple[int, ...]:
    from fawang.regions.models import Region

    row = county_coverage(Region.objects.get(code=code))
    return (
        row.towns_covered,
        row.towns,
        row.villages_covered,
        row.villages,
        row.centres_complete,
        row.centres,
        row.points_unstaffed,
        row.points,
    )


class CoverageTestCase(MatterTestCase):
    def test_the_figures_match_the_hand_count(self) -> None:
        self.assertEqual(figures("350203"), (10, 10, 99, 99, 1, 1, 9, 110))
        self.assertEqual(figures("350322"), (18, 18, 327, 327, 1, 1, 17, 346))

    def test_gaps_are_listed(self) -> None:
        closed = world().unit("siming.lujiang.station")
        Unit.objects.filter(pk=closed.pk).update(is_active=False)
        room = Unit.objects.filter(kind=Unit.Kind.ROOM, region__code__startswith="350203").order_by("pk")[0]
        Unit.objects.filter(pk=room.pk).update(is_active=False)
        self.sm_centre.functions.remove(Function.objects.get(code="mediation"))
        self.assertEqual(figures("350203"), (9, 10, 98, 99, 0, 1, 8, 108))
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("frontdesk:coverage"), {"county": "350203"})
        detail = page.context["detail"]
        self.assertEqual([t.name for t in detail.uncovered_towns], ["鹭江街道"])
        self.assertEqual([v.code for v in detail.uncovered_villages], [room.region_id])
        self.assertContains(page, "思明区公共法律服务中心：缺人民调解")
        self.assertContains(page, "9/10")

    def test_supervisors_see_the_counties_they_reach(self) -> None:
        self.assertEqual([c.code for c in reachable_counties(self.sm_supervisor)], ["350203"])
        xiamen = [c.code for c in reachable_counties(self.xm_supervisor)]
        self.assertIn("350206", xiamen)
        self.assertNotIn("350322", xiamen)
        self.client.force_login(self.sm_supervisor)
        self.assertEqual(
            self.client.get(reverse("frontdesk:coverage"), {"county": "350322"}).status_code, 404
        )
        self.client.force_login(self.hl_clerk)
        self.assertEqual(self.client.get(reverse("frontdesk:coverage")).status_code, 403)

    def test_a_city_adds_up_its_counties_and_its_own_centre(self) -> None:
        self.client.force_login(self.xm_supervisor)
        page = self.client.get(reverse("frontdesk:coverage"))
        rows, (city,) = page.context["rows"], page.context["cities"]
        self.assertEqual(city.region.code, "3502")
        self.assertEqual(city.towns, sum(row.towns for row in rows))
        self.assertEqual(city.villages_covered, sum(row.villages_covered for row in rows))
        self.assertEqual(city.points, sum(row.points for row in rows))
        # 厦门市公共法律服务中心 is the city's own third level, counted with the counties' centres.
        self.assertEqual(city.centres, sum(row.centres for row in rows) + 1)
        self.assertContains(page, "厦门市（合计，含市级中心）")

    def test_many_counties_at_once_give_each_county_its_own_figures_in_a_fixed_number_of_queries(
        self,
    ) -> None:
        from unittest import mock

        from fawang.regions.models import Region

        from .. import coverage

        counties = list(Region.objects.filter(code__in=["350203", "350206", "350322"]).order_by("code"))
        Unit.objects.filter(pk=world().unit("siming.lujiang.station").pk).update(is_active=False)
        one_by_one = [coverage.county_coverage(c) for c in counties]

        def same(rows: list[coverage.CountyCoverage]) -> None:
            self.assertEqual([r.region.code for r in rows], [c.code for c in counties])
            for row, alone in zip(rows, one_by_one, strict=True):
                self.assertEqual(vars(row), vars(alone))

        with self.assertNumQueries(8):
            same(coverage.coverage_of(counties))
        # Read by city (3502, 3503): the rows of 厦门市's other counties are dropped, not added to these.
        with mock.patch.object(coverage, "MAX_COUNTY_RANGES", 1), self.assertNumQueries(8):
            same(coverage.coverage_of(counties))
        self.assertEqual(coverage.coverage_of([]), [])

    def test_the_cities_are_added_up_in_a_fixed_number_of_queries(self) -> None:
        """Two cities' totals from three counties: the cities and their own centres are read once for all the
        counties (a province's page has a hundred), not once per county; the figures are each city's own
        centre plus its counties' rows, added one by one."""
        from fawang.regions.models import Region

        from .. import coverage

        counties = list(Region.objects.filter(code__in=["350203", "350206", "350322"]).order_by("code"))
        rows = coverage.coverage_of(counties)
        with self.assertNumQueries(
            4
        ):  # the basic functions, the cities, their centres, the centres' functions
            cities = coverage.city_totals(rows)
        self.assertEqual([city.region.code for city in cities], ["3502", "3503"])
        for city in cities:
            mine = [row for row in rows if row.region.parent_id == city.region.code]
            own = Unit.objects.filter(
                kind=Unit.Kind.CENTRE, region_id=city.region.code, is_active=True
            ).count()
            self.assertEqual(city.centres, sum(row.centres for row in mine) + own)
            for name in (
                "towns",
                "towns_covered",
                "villages",
                "villages_covered",
                "points",
                "points_unstaffed",
            ):
                self.assertEqual(getattr(city, name), sum(getattr(row, name) for row in mine), name)
        self.assertEqual(coverage.city_totals([]), [])

    def test_the_counties_of_cities_and_provinces_come_in_one_query(self) -> None:
        """A province, a city and a county: the counties under each, read together (a system administrator
        reaches some 340 cities), the same as asking each region's subtree one by one."""
        from fawang.regions.models import Region

        from .. import coverage

        regions = list(Region.objects.filter(code__in=["35", "3502", "3503", "350322"]).order_by("code"))
        self.assertEqual(len(regions), 4)
        by_hand = sorted(
            {
                county.code
                for region in regions
                for county in Region.objects.under(region.code).filter(level=Region.Level.COUNTY)
            }
        )
        with self.assertNumQueries(1):
            counties = coverage.counties_for(regions)
        self.assertEqual([county.code for county in counties], by_hand)
        self.assertIn("350203", by_hand)
        self.assertIn("350322", by_hand)
        with self.assertNumQueries(0):
            self.assertEqual([c.code for c in coverage.counties_for(regions[-1:])], ["350322"])
