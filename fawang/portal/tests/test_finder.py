from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fawang.orgs.models import AdvisorAssignment, Unit
from fawang.test import BaseTestCase

FINDER = reverse("portal:finder")
VILLAGE = "350203001001"  # 福建省厦门市思明区厦港街道鸿山社区居委会
TOWN = "350203001"  # 厦港街道
ROOM = "鸿山社区公共法律服务工作室"


class FinderTestCase(BaseTestCase):
    def find(self, **params: str) -> str:
        """The results part of the finder page (the picker above it lists neighbouring places too)."""
        response = self.client.get(FINDER, params)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        return html[html.index('id="results-title"') :]

    def test_a_village_lists_its_own_room_its_street_and_its_district_nearest_first(self) -> None:
        html = self.find(region=VILLAGE)
        expected = [
            ROOM,
            "厦港街道公共法律服务工作站",
            "厦港街道司法所",
            "厦港街道人民调解委员会",
            "思明区公共法律服务中心",
            "思明区法律援助中心",
            "厦门市公共法律服务中心",
        ]
        positions = [html.index(f">{name}</a>") for name in expected]
        self.assertEqual(positions, sorted(positions))
        self.assertIn("本村（社区）", html)
        self.assertIn("为“福建省厦门市思明区厦港街道鸿山社区居委会”服务的服务点", html)

    def test_it_lists_nothing_of_other_districts_or_villages(self) -> None:
        html = self.find(region=VILLAGE)
        self.assertNotIn("湖里区", html)
        self.assertNotIn("仙游县", html)
        self.assertNotIn("蜂巢山社区公共法律服务工作室", html)  # a neighbouring community
        self.assertNotIn("中华街道公共法律服务工作站", html)  # another street of 思明区
        self.assertNotIn("思明区司法局", html)  # the bureau is not a service point

    def test_the_picker_selects_give_the_same_result_as_the_code(self) -> None:
        html = self.find(region_1="35", region_2="3502", region_3="350203", region_4=TOWN, region_5=VILLAGE)
        self.assertIn(f">{ROOM}</a>", html)
        self.assertNotIn("湖里区公共法律服务中心", html)
        self.assertContains(
            self.client.get(FINDER, {"region": VILLAGE}),
            f'<option value="{VILLAGE}" selected>鸿山社区</option>',
        )

    def test_the_room_shows_its_advisor_name_and_schedule_but_not_the_advisor_phone(self) -> None:
        assignment = (
            AdvisorAssignment.objects.current().select_related("practitioner", "room").get(region_id=VILLAGE)
        )
        assert assignment.room is not None
        html = self.find(region=VILLAGE)
        self.assertIn(f"{assignment.practitioner.name}（{assignment.service_schedule}）", html)
        self.assertNotIn(assignment.practitioner.phone, html)
        self.assertIn(f'href="tel:{assignment.room.phone}"', html)

    def test_a_private_advisor_is_not_named(self) -> None:
        assignment = AdvisorAssignment.objects.current().select_related("practitioner").get(region_id=VILLAGE)
        assignment.practitioner.is_public = False
        assignment.practitioner.save(update_fields=["is_public"])
        self.assertNotIn(assignment.practitioner.name, self.find(region=VILLAGE))

    def test_points_show_hours_functions_and_hotlines(self) -> None:
        html = self.find(region=VILLAGE)
        self.assertIn("每周三 9:00-11:30（法律顾问驻点）", html)
        self.assertIn("基本服务", html)
        self.assertIn('<span class="badge badge-ok">法律援助</span>', html)
        self.assertIn('href="tel:12345"', html)  # external hotlines as numbers to call

    def test_inactive_units_are_not_listed(self) -> None:
        Unit.objects.filter(name=ROOM).update(is_active=False)
        self.assertNotIn(ROOM, self.find(region=VILLAGE))

    def test_a_town_lists_its_points_its_parents_and_the_rooms_below(self) -> None:
        html = self.find(region=TOWN)
        for name in (
            "厦港街道公共法律服务工作站",
            ROOM,
            "蜂巢山社区公共法律服务工作室",
            "思明区公共法律服务中心",
        ):
            self.assertIn(f">{name}</a>", html)
        self.assertLess(html.index(">思明区公共法律服务中心</a>"), html.index(f">{ROOM}</a>"))
        self.assertNotIn("中华街道", html)

    def test_a_district_is_paginated_and_pages_keep_the_filters(self) -> None:
        response = self.client.get(FINDER, {"region": "350203", "function": "mediation"})
        page_obj = response.context["page_obj"]
        self.assertGreater(page_obj.paginator.num_pages, 1)
        self.assertEqual(len(page_obj.object_list), 20)
        self.assertContains(response, 'href="?region=350203&amp;function=mediation&amp;page=2"')
        page2 = self.client.get(FINDER, {"region": "350203", "function": "mediation", "page": "2"})
        self.assertEqual(page2.status_code, 200)
        self.assertTrue(set(u.pk for u in page2.context["page_obj"]).isdisjoint(u.pk for u in page_obj))

    def test_filter_by_kind(self) -> None:
        response = self.client.get(FINDER, {"region": "350203", "kind": "station"})
        units = list(response.context["page_obj"].paginator.object_list)
        self.assertEqual(len(units), 10)  # one station for each street of 思明区
        self.assertTrue(all(u.kind == Unit.Kind.STATION for u in units))
        self.assertContains(
            response, '<option value="station" selected>公共法律服务工作站</option>', html=True
        )

    def test_filter_by_function(self) -> None:
        html = self.find(region=VILLAGE, function="legal_aid")
        self.assertIn(">思明区法律援助中心</a>", html)
        self.assertIn(">厦港街道公共法律服务工作站</a>", html)
        self.assertNotIn(f">{ROOM}</a>", html)  # the room offers consultation and mediation only
        self.assertNotIn(">厦港街道人民调解委员会</a>", html)

    def test_nothing_found_says_so_in_chinese(self) -> None:
        html = self.find(region=VILLAGE, kind="grassroots")  # no 基层法律服务所 in 厦门 in the demo data
        self.assertIn("没有找到符合条件的服务点。", html)

    def test_bad_input_is_refused_in_chinese_without_results(self) -> None:
        response = self.client.get(FINDER, {"region": "35020x", "kind": "prison"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "行政区划代码无效，请从列表中选择地区。")
        self.assertContains(response, "选择一个有效的选项")
        self.assertEqual(response.context["page_obj"].paginator.count, 0)
        self.assertNotContains(response, "没有找到符合条件的服务点。")

    def test_without_a_region_it_lists_the_higher_levels_first(self) -> None:
        response = self.client.get(FINDER)
        first, second = response.context["page_obj"][:2]
        self.assertEqual(first.name, "福建省公共法律服务中心")  # the province's 12348 centre
        self.assertEqual(len(second.region_id), 4)  # a city's point (厦门市 or 莆田市) before any district's

    def test_query_count_does_not_grow_with_the_results(self) -> None:
        def count(params: dict[str, str]) -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(FINDER, params)
            return len(ctx.captured_queries)

        few = count({"region": VILLAGE})
        many = count({"region": "350203"})
        # region, count, page, functions, advisors, hotlines, picker options, function choices, and which of
        # the page's points take bookings (fawang.frontdesk)
        self.assertEqual(few, 9)
        self.assertEqual(many, few)
        with self.assertNumQueries(few):
            self.client.get(FINDER, {"region": "3502", "page": "3"})

    def test_elder_mode_marks_the_page(self) -> None:
        self.client.cookies["elder"] = "1"
        self.assertContains(
            self.client.get(FINDER, {"region": VILLAGE}), '<html lang="zh-hans" class="elder">'
        )
        del self.client.cookies["elder"]
        self.assertNotContains(self.client.get(FINDER, {"region": VILLAGE}), 'class="elder"')
