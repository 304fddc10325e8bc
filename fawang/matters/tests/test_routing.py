"""Routing: rules by longest region prefix, walk-up to the nearest unit of the item's kind at or above its
level, the centre for coarse regions, and the supervising bureau."""

from __future__ import annotations

from fawang.catalog.models import RoutingRule, ServiceItem
from fawang.orgs.models import Unit

from ..routing import NoRoute, explain_route, route, supervising_unit
from .base import MatterTestCase


class RoutingTestCase(MatterTestCase):
    def test_a_town_legal_aid_matter_goes_to_the_district_centre(self) -> None:
        self.assertEqual(route(self.legal_aid, self.region("350203001")), self.sm_legal_aid)
        # A village, two levels down, too.
        village = self.region("350203001").children.order_by("code").first()
        assert village is not None
        self.assertEqual(route(self.legal_aid, village), self.sm_legal_aid)
        self.assertEqual(route(self.legal_aid, self.region("350322")).name, "仙游县法律援助中心")

    def test_town_level_items_go_to_the_towns_unit(self) -> None:
        self.assertEqual(route(self.mediation, self.region("350203003")).name, "中华街道人民调解委员会")

    def test_walk_up_when_a_level_has_no_such_unit(self) -> None:
        notary = ServiceItem.objects.get(code="notary")
        # 思明区 has no notary office: the city's serves it. 仙游县 has its own.
        self.assertEqual(route(notary, self.region("350203001")).name, "厦门市公证处")
        self.assertEqual(route(notary, self.region("350322100")).name, "仙游县公证处")
        visit = ServiceItem.objects.get(code="remote_visit")
        self.assertEqual(explain_route(visit, self.region("350206")).unit.name, "厦门市看守所")

    def test_a_coarse_region_goes_to_the_centre_for_redistribution(self) -> None:
        found = explain_route(self.mediation, self.region("350203"))
        self.assertEqual((found.unit, found.how), (self.sm_centre, "centre"))

    def test_the_longest_rule_prefix_wins_then_priority(self) -> None:
        city_rule = RoutingRule.objects.create(
            service_item=self.legal_aid, region=self.region("3502"), unit=self.hl_legal_aid
        )
        self.assertEqual(explain_route(self.legal_aid, self.region("350203001")).rule_id, city_rule.pk)
        town = RoutingRule.objects.create(
            service_item=self.legal_aid, region=self.region("350203001"), unit=self.sm_centre
        )
        RoutingRule.objects.create(
            service_item=self.legal_aid, region=self.region("350203001"), unit=self.sm_legal_aid, priority=-1
        )
        found = explain_route(self.legal_aid, self.region("350203001"))
        self.assertEqual((found.unit, found.how, found.rule_id), (self.sm_centre, "rule", town.pk))
        # Other towns still follow the city rule; inactive rules and units are ignored.
        self.assertEqual(route(self.legal_aid, self.region("350203003")), self.hl_legal_aid)
        RoutingRule.objects.filter(pk=city_rule.pk).update(is_active=False)
        self.assertEqual(route(self.legal_aid, self.region("350203003")), self.sm_legal_aid)

    def test_inactive_units_are_skipped(self) -> None:
        Unit.objects.filter(pk=self.sm_legal_aid.pk).update(is_active=False)
        self.assertEqual(route(self.legal_aid, self.region("350203001")).name, "厦门市法律援助中心")

    def test_no_route_says_what_to_do(self) -> None:
        Unit.objects.filter(kind=Unit.Kind.APPRAISAL).update(is_active=False)
        appraisal = ServiceItem.objects.get(code="appraisal")
        with self.assertRaises(NoRoute) as ctx:
            route(appraisal, self.region("350203001"))
        self.assertEqual(
            str(ctx.exception),
            "未找到办理“司法鉴定咨询与申请”的机构（福建省厦门市思明区厦港街道），请人工指定办理机构并说明理由。",
        )

    def test_supervising_unit_is_the_bureau_one_level_up(self) -> None:
        self.assertEqual(supervising_unit(self.station), self.sm_bureau)  # station -> 司法所 -> 区司法局
        self.assertEqual(supervising_unit(self.sm_legal_aid), self.sm_bureau)
        self.assertEqual(supervising_unit(self.sm_bureau).name, "厦门市司法局")  # type: ignore[union-attr]
        Unit.objects.filter(pk=self.sm_legal_aid.pk).update(parent=None)
        self.sm_legal_aid.refresh_from_db()
        self.assertEqual(
            supervising_unit(self.sm_legal_aid), self.sm_bureau
        )  # by region when the chain is broken
