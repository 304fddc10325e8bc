"""The public sees its own region's service quality (网上监督): a district's and a town's public page, and the card
on the portal's home page for a signed-in person, all from the daily facts, checked against the matters."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fawang.insights import figures, rollup
from fawang.lib import codes
from fawang.matters import actions
from fawang.matters.models import Matter
from fawang.matters.tests.base import MatterTestCase
from fawang.regions.models import Region

TOWN = "350203012"  # 鼓浪屿街道


class PublicRegionTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the public pages are cached for five minutes
        handler = self.staff_of(self.sm_legal_aid, "handler")
        start = timezone.now() - dt.timedelta(days=3)
        self.mine = []
        for i, level in enumerate((5, 1)):
            m = self.submit(region=TOWN, now=start + dt.timedelta(hours=i))
            actions.do_accept(m.pk, actor=handler, now=start + dt.timedelta(hours=i, minutes=30))
            actions.do_complete(m.pk, actor=handler, result="已办结。", now=start + dt.timedelta(days=1))
            actions.do_rate(m.pk, actor=None, level=level, now=start + dt.timedelta(days=2))
            self.mine.append(m)
        rollup.rebuild()
        self.month = figures.Period.last(30)

    def received_by_hand(self, code: str) -> int:
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.month.start, dt.time(), tzinfo=tz)
        return Matter.objects.filter(codes.under("region_id", code), submitted_at__gte=lo).count()

    def test_a_district_and_its_towns(self) -> None:
        page = self.client.get(reverse("stats:region", args=["350203"]))
        self.assertContains(page, "思明区公共法律服务质量")
        own = page.context["own"][0]
        self.assertEqual(own["received"], self.received_by_hand("350203"))
        town = next(r for r in page.context["month_rows"] if r["code"] == TOWN)
        self.assertEqual(town["received"], self.received_by_hand(TOWN))
        self.assertGreaterEqual(town["rated"], 2)
        self.assertContains(page, reverse("stats:region", args=[TOWN]))
        # No one's name or matter on it.
        self.assertNotContains(page, self.mine[0].person.name)
        self.assertNotContains(page, self.mine[0].tracking_no)
        town_page = self.client.get(reverse("stats:region", args=[TOWN]))
        self.assertEqual(town_page.context["own"][0]["received"], self.received_by_hand(TOWN))
        # The index links each district to its page.
        self.assertContains(self.client.get(reverse("stats:index")), reverse("stats:region", args=["350203"]))

    def test_what_is_not_published(self) -> None:
        village = Region.objects.filter(parent_id=TOWN).order_by("code")[0]
        # A village (too small to publish), a place outside the platform, a code that is no region.
        for code in (village.code, "110101", "999999"):
            self.assertEqual(self.client.get(reverse("stats:region", args=[code])).status_code, 404, code)

    def test_the_portal_shows_a_signed_in_persons_own_district(self) -> None:
        anonymous = self.client.get(reverse("portal:home"))
        self.assertContains(anonymous, "服务质量公开（网上监督）")
        self.assertNotContains(anonymous, "思明区最近 30 天")
        person = self.mine[0].person
        person.user = self.citizen
        person.save(update_fields=["user"])
        self.client.force_login(self.citizen)
        page = self.client.get(reverse("portal:home"))
        local = page.context["local_quality"]
        self.assertEqual(local["region"].code, "350203")
        self.assertEqual(local["received"], self.received_by_hand("350203"))
        self.assertContains(page, "思明区最近 30 天")
        self.assertContains(page, reverse("stats:region", args=["350203"]))

    def test_the_map_of_the_towns_on_the_public_page(self) -> None:
        page = self.client.get(reverse("stats:region", args=["350203"]), {"map": "received"})
        tiles = {t.code: t for t in page.context["map"]["tiles"]}
        # One tile per town, with the table's figure, linked to the town's public page (not the console).
        self.assertEqual(set(tiles), {r["code"] for r in page.context["month_rows"]})
        self.assertEqual(tiles[TOWN].value, self.received_by_hand(TOWN))
        self.assertEqual(tiles[TOWN].href, reverse("stats:region", args=[TOWN]))
        self.assertContains(page, 'class="tilemap"')
        self.assertContains(page, "各地分布图（受理登记，最近 30 天）")
        self.assertNotContains(page, "/console/insights/")
        self.assertNotContains(page, "热点预警")
        # The index: one tile per district, received per 10,000 residents by default (the census has them).
        index = self.client.get(reverse("stats:index"))
        district = next(t for t in index.context["map"]["tiles"] if t.code == "350203")
        self.assertEqual(index.context["map"]["metric"], "per_10k")
        population = Region.objects.get(code="350203").population
        assert population
        self.assertEqual(district.value, round(self.received_by_hand("350203") / population * 10_000, 2))
        self.assertEqual(district.href, reverse("stats:region", args=["350203"]))
