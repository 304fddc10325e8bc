from __future__ import annotations

import datetime as dt
import io
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fawang.catalog.models import ServiceItem
from fawang.insights import figures, rollup
from fawang.insights.activity import generated
from fawang.insights.models import RollupState
from fawang.matters import actions
from fawang.matters.models import Matter

from .base import END, ActivityTestCase


class DashboardTestCase(ActivityTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.sm_supervisor)

    def test_the_district_supervisor_opens_their_district(self) -> None:
        response = self.client.get(reverse("insights:home"))
        self.assertRedirects(response, reverse("insights:dashboard", args=["350203"]))
        page = self.client.get(reverse("insights:dashboard", args=["350203"]), {"days": 365})
        self.assertContains(page, "思明区 · 数据看板")
        self.assertContains(page, 'data-src="/console/insights/r/350203/data/?days=365"')
        for town in ("莲前街道", "鼓浪屿街道"):
            self.assertContains(page, town)
        # Nothing of 湖里区, and 湖里区's figures answer 404.
        self.assertEqual(self.client.get(reverse("insights:dashboard", args=["350206"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("insights:data", args=["350206"])).status_code, 404)

    def test_the_figures_match_the_matters(self) -> None:
        period = figures.Period.last(365, END)
        data = self.client.get(reverse("insights:data", args=["350203"]), {"days": 365}).json()
        siming = Matter.objects.filter(region_id__gte="350203", region_id__lt="350204")
        # The page's period ends today; the generated year ended on END, before today.
        if period.end == data["end"]:
            self.assertEqual(data["totals"]["now"]["received"], siming.count())
        channels = {row["key"]: row["received"] for row in data["mix"]["channel"]}
        self.assertEqual(sum(channels.values()), data["totals"]["now"]["received"])
        self.assertTrue(
            all(row["url"].startswith("/console/insights/r/350203/matters/") for row in data["mix"]["item"])
        )
        towns = {row["code"] for row in data["ranking"]}
        self.assertIn("350203010", towns)

    def test_a_repeat_view_is_read_from_the_cache_until_the_facts_change(self) -> None:
        url = reverse("insights:data", args=["350203"])
        cache.clear()  # nothing kept by the tests before (same facts, same version)
        with CaptureQueriesContext(connection) as cold:
            first = self.client.get(url, {"days": 365}).json()
        with CaptureQueriesContext(connection) as warm:
            again = self.client.get(url, {"days": 365}).json()
        self.assertEqual(again, first)
        self.assertLess(len(warm), len(cold) - 5)
        page = self.client.get(reverse("insights:dashboard", args=["350203"]), {"days": 365})
        self.assertEqual(page.context["totals"], first["totals"])
        # A matter of 思明区 is taken in, accepted and completed today (the generated year is all done); the
        # scheduler's next pass refreshes the facts, and the next view shows it.
        self.refresh_with_a_matter_completed_today()
        after = self.client.get(url, {"days": 365}).json()
        self.assertEqual(after["totals"]["now"]["completed"], first["totals"]["now"]["completed"] + 1)
        page = self.client.get(reverse("insights:dashboard", args=["350203"]), {"days": 365})
        self.assertEqual(page.context["totals"], after["totals"])

    def refresh_with_a_matter_completed_today(self) -> None:
        """A matter of 思明区 taken in, accepted and completed today, and the scheduler's next pass."""
        now = timezone.now()
        (matter,) = actions.do_submit(
            actor=self.sm_clerk,
            person=actions.PersonData(name="张三", phone="13912345678"),
            requests=[
                actions.MatterRequest(
                    ServiceItem.objects.get(code="consultation"),
                    "咨询劳动合同解除。",
                    self.region("350203001"),
                )
            ],
            channel="window",
            intake_unit=self.unit("siming.xiagang.station"),
            now=now,
        ).matters
        actions.do_accept(matter.pk, actor=None, now=now)
        actions.do_complete(matter.pk, actor=None, result="已办结。", now=now)
        RollupState.objects.filter(name="facts").update(refreshed_at=now - dt.timedelta(minutes=1))
        rollup.refresh_changed(now + dt.timedelta(seconds=1))

    @override_settings(REFERENCE_CACHE_SECONDS=60)
    def test_a_process_keeps_the_figures_until_the_facts_change(self) -> None:
        url = reverse("insights:data", args=["350203"])
        figures.forget()
        self.addCleanup(figures.forget)
        self.addCleanup(cache.clear)
        first = self.client.get(url, {"days": 365}).json()
        with CaptureQueriesContext(connection) as warm:
            again = self.client.get(url, {"days": 365}).json()
        self.assertEqual(again, first)
        sql = [q["sql"] for q in warm.captured_queries]
        # The version is read, neither the facts nor the shared cache's copy of the figures.
        self.assertTrue([q for q in sql if "insights_rollupstate" in q])
        self.assertFalse([q for q in sql if 'fact"' in q])
        self.assertFalse([q for q in sql if "insights:data" in q])
        self.refresh_with_a_matter_completed_today()
        after = self.client.get(url, {"days": 365}).json()
        self.assertEqual(after["totals"]["now"]["completed"], first["totals"]["now"]["completed"] + 1)

    @override_settings(REFERENCE_CACHE_SECONDS=60)
    def test_figures_slow_to_compute_are_shared_with_other_processes(self) -> None:
        url = reverse("insights:data", args=["350203"])
        self.addCleanup(figures.forget)
        self.addCleanup(cache.clear)
        for slow, shared in ((False, False), (True, True)):
            with self.subTest(slow=slow):
                cache.clear()
                figures.forget()
                with mock.patch.object(figures, "SHARED_MIN_SECONDS", 0 if slow else 3600):
                    first = self.client.get(url, {"days": 30}).json()
                figures.forget()  # another process: nothing of its own yet
                with CaptureQueriesContext(connection) as other:
                    again = self.client.get(url, {"days": 30}).json()
                self.assertEqual(again, first)
                read_facts = [q for q in other.captured_queries if "insights_dailyfact" in q["sql"]]
                self.assertEqual(not read_facts, shared)

    def test_drilling_down_to_the_matters(self) -> None:
        data = self.client.get(reverse("insights:data", args=["350203"]), {"days": 365}).json()
        labour = next(r for r in data["mix"]["topic"] if r["name"] == "劳动纠纷")
        page = self.client.get(labour["url"])
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "劳动纠纷")
        self.assertNotContains(page, "婚姻家庭</td>")
        overdue = self.client.get(
            reverse("insights:matters", args=["350203"]), {"days": "365", "measure": "overdue"}
        )
        rows = overdue.context["rows"]
        self.assertTrue(rows)
        self.assertTrue(all(m.escalated_at is not None for m in rows))
        # Names are masked.
        self.assertNotContains(overdue, rows[0].person.name + "<")

    def test_hotspots_page_names_both_with_causes(self) -> None:
        """The page shows what the scan raised (here the plants of the week before END), with the stored causes,
        and reads no matters but the examples it links (by id)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from fawang.insights import warnings

        warnings.raise_warnings(as_of=END)
        with CaptureQueriesContext(connection) as ctx:
            page = self.client.get(reverse("insights:hotspots", args=["350203"]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "热点问题、热点区域及形成原因")
        self.assertContains(page, "莲前街道 · 劳动纠纷")
        self.assertContains(page, "曾厝垵社区居委会 · 拆迁安置")
        self.assertContains(page, "包工头")
        from fawang.insights.activity import WAGE_TOWN
        from fawang.insights.models import Warning

        wage = Warning.objects.get(kind=Warning.Kind.HOTSPOT, region_id=WAGE_TOWN)
        example = wage.explanation["examples"][0]
        self.assertContains(page, reverse("matters:detail", args=[example["id"]]))  # the examples, linked
        matters_sql = [q["sql"] for q in ctx.captured_queries if "matters_matter" in q["sql"]]
        self.assertEqual(len(matters_sql), 1, matters_sql)
        self.assertIn('"matters_matter"."id" IN', matters_sql[0])
        # 湖里区's supervisor sees none of them.
        self.client.force_login(self.hl_supervisor)
        page = self.client.get(reverse("insights:hotspots", args=["350206"]))
        self.assertNotContains(page, "莲前街道")

    def test_reports(self) -> None:
        from openpyxl import load_workbook

        pdf = self.client.get(reverse("insights:report_pdf", args=["350203"]), {"month": "2026-05"})
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertIn("no-store", pdf["Cache-Control"])
        xlsx = self.client.get(reverse("insights:report_xlsx", args=["350203"]), {"month": "2026-05"})
        book = load_workbook(io.BytesIO(xlsx.content))
        self.assertEqual(
            book.sheetnames,
            ["总体", "下级区划", "办理机构", "服务事项", "所涉领域", "受理渠道", "考核指标", "风险预警"],
        )
        may = generated().filter(submitted_at__date__gte="2026-05-01", submitted_at__date__lte="2026-05-31")
        self.assertEqual(
            book["总体"]["B2"].value, may.filter(region_id__gte="350203", region_id__lt="350204").count()
        )
        towns = [r[0].value for r in book["下级区划"].iter_rows(min_row=2)]
        self.assertIn("莲前街道", towns)

    def test_other_roles_are_refused(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("insights:dashboard", args=["350203"])).status_code, 403)
        self.assertEqual(self.client.get(reverse("insights:home")).status_code, 403)


class PublicStatsTestCase(ActivityTestCase):
    def test_counts_by_district_without_personal_data(self) -> None:
        page = self.client.get(reverse("stats:index"))
        self.assertEqual(page.status_code, 200)
        for name in ("思明区", "湖里区", "仙游县"):
            self.assertContains(page, name)
        sample = generated().select_related("person")[:50]
        for m in sample:
            self.assertNotContains(page, m.person.name)
            self.assertNotContains(page, m.tracking_no)


class TileMapTestCase(ActivityTestCase):
    count = 800

    def test_the_map_of_the_towns(self) -> None:
        import datetime as dt
        import re

        from django.utils import timezone

        from fawang.insights.activity import WAGE_TOWN
        from fawang.insights.models import Warning

        Warning.objects.create(
            kind=Warning.Kind.HOTSPOT,
            region_id=WAGE_TOWN,
            period_start=END,
            period_end=END,
            title="热点",
            observed=9,
            expected=1,
            due_at=timezone.now() + dt.timedelta(days=7),
        )
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(
            reverse("insights:dashboard", args=["350203"]), {"days": "365", "map": "received"}
        )
        ranking = page.context["ranking"]
        self.assertContains(page, 'id="tilemap"')
        html = page.content.decode()
        tiles = dict(re.findall(r'<a href="([^"]+)" class="tile" data-code="(\d+)"', html))
        self.assertEqual(sorted(tiles.values()), sorted(r["code"] for r in ranking))
        busiest = max(ranking, key=lambda r: r["received"])
        quietest = min(ranking, key=lambda r: r["received"])
        tile_of = {t.code: t for t in page.context["map"]["tiles"]}
        self.assertEqual(tile_of[busiest["code"]].fill, "#08519c")  # the darkest class
        self.assertEqual(tile_of[quietest["code"]].fill, "#eff3ff")  # the lightest
        self.assertIn(f"{busiest['name']}：受理登记 {busiest['received']:,}", html)
        # Clicking a tile opens the town's dashboard (same period and figure).
        href = next(h for h, c in tiles.items() if c == busiest["code"])
        self.assertTrue(href.startswith(f"/console/insights/r/{busiest['code']}/?days=365"), href)
        self.assertEqual(self.client.get(href.replace("&amp;", "&")).status_code, 200)
        # The open hotspot marks its town, and only it.
        self.assertTrue(tile_of[WAGE_TOWN].hot)
        self.assertEqual([c for c, t in tile_of.items() if t.hot], [WAGE_TOWN])
        self.assertContains(page, "有待处置的热点预警")
        # Towns have no census population: 每万人 falls back to counts; rates read as percentages.
        page = self.client.get(reverse("insights:dashboard", args=["350203"]), {"days": 365})
        self.assertEqual(page.context["map"]["metric"], "received")
        page = self.client.get(
            reverse("insights:dashboard", args=["350203"]), {"days": "365", "map": "satisfaction"}
        )
        legend = [c.label for c in page.context["map"]["legend"]]
        self.assertTrue(all("%" in label for label in legend if label != "无数据"), legend)
        # The city's map: districts with census population, per 10,000 residents.
        self.client.force_login(self.xm_supervisor)
        page = self.client.get(reverse("insights:dashboard", args=["3502"]), {"days": 365})
        self.assertEqual(page.context["map"]["metric"], "per_10k")
        self.assertContains(page, 'data-code="350203"')


class TileClassesTestCase(SimpleTestCase):
    def test_equal_width_classes_and_no_data(self) -> None:
        from fawang.insights import tilemap

        rows = [
            {"code": f"3502{i:02d}", "name": f"区{i}", "received": v} for i, v in enumerate((0, 10, 25, 50))
        ]
        rows.append({"code": "350299", "name": "无数区", "received": None})
        built = tilemap.build(rows, "received", lambda c: f"/r/{c}/", set())
        fills = {t.code: t.fill for t in built["tiles"]}
        self.assertEqual(fills["350200"], tilemap.PALETTE[0])
        self.assertEqual(fills["350201"], tilemap.PALETTE[1])  # 10 of 0–50: second fifth
        self.assertEqual(fills["350202"], tilemap.PALETTE[2])
        self.assertEqual(fills["350203"], tilemap.PALETTE[4])
        self.assertEqual(fills["350299"], tilemap.NO_DATA)
        self.assertEqual(built["legend"][0].label, "0 – 10")
        self.assertEqual(built["legend"][-1].label, "无数据")
        self.assertEqual(built["tiles"][0].href, "/r/350200/")
        # Long names are cut on the tile, whole in its label.
        long = tilemap.build(
            [{"code": "1", "name": "厦门火炬高技术产业开发区", "received": 1}], "received", str, set()
        )
        self.assertEqual(long["tiles"][0].short_name, "厦门火炬高技术…")
