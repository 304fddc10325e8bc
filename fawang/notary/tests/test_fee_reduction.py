"""公证费减免: a notary request of a legal-aid recipient says so on the staff matter page, with its basis."""

from __future__ import annotations

from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.matters import actions
from fawang.matters.tests.base import MatterTestCase

from ..items import facts
from ..models import NotaryRequest


class FeeReductionTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.notary = ServiceItem.objects.get(code="notary")

    def test_a_legal_aid_recipient_gets_the_reduction(self) -> None:
        person = self.person(name="陈阿婆")
        aid = self.submit(person=person)
        actions.do_accept(aid.pk, actor=None)  # 给予法律援助
        matter = self.submit(
            self.notary, person=person, description="办理继承公证。", item_data={"notary_type": "inheritance"}
        )
        request = NotaryRequest.objects.get(matter=matter)
        self.assertEqual(request.aid_matter, aid)
        rows = dict(facts(matter))
        self.assertEqual(rows["公证事项"], "继承")
        self.assertIn("被继承人死亡证明", rows["所需材料"])
        self.assertIn("公证法 第三十四条", rows["收费依据"])
        self.assertIn(aid.tracking_no, rows["公证费减免"])
        self.assertIn("减收或者免收公证费", rows["公证费减免"])
        self.client.force_login(self.sysadmin)
        self.assertContains(self.client.get(reverse("matters:detail", args=[matter.pk])), "公证费减免")

    def test_no_reduction_without_legal_aid_given(self) -> None:
        person = self.person(name="林先生")
        self.submit(person=person)  # applied, not yet decided
        matter = self.submit(
            self.notary, person=person, description="委托公证。", item_data={"notary_type": "power"}
        )
        self.assertNotIn("公证费减免", dict(facts(matter)))

    def test_the_type_may_be_left_to_the_notary(self) -> None:
        matter = self.submit(self.notary, description="办理公证。")
        self.assertEqual(dict(facts(matter))["公证事项"], "待公证员确认")
