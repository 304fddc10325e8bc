"""The public directory: units and practitioners with 信用信息公开, filters, pagination, and nothing that is not
public (phones, internal credit records, practitioners not shown in the directory)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.cache import cache
from django.urls import reverse

from fawang.orgs.models import CreditRecord, Practitioner, Speciality, Unit
from fawang.test import HULI, SIMING, BaseTestCase
from fawang.testing.world import world

UNITS = reverse("info:units")
PEOPLE = reverse("info:practitioners")


def person_url(p: Practitioner) -> str:
    return reverse("info:practitioner", args=[p.pk])


class DirectoryTestCase(BaseTestCase):
    lawyer: ClassVar[Practitioner]
    hidden: ClassVar[Practitioner]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.lawyer = (
            Practitioner.objects.filter(kind=Practitioner.Kind.LAWYER, unit__region__code__startswith=SIMING)
            .exclude(phone="")
            .order_by("licence_no")[:1]
            .get()
        )
        CreditRecord.objects.filter(practitioner=cls.lawyer).delete()
        CreditRecord.objects.create(
            practitioner=cls.lawyer,
            kind=CreditRecord.Kind.REWARD,
            title="年度优秀法律援助律师",
            authority="厦门市司法局",
            decided_on=dt.date(2025, 1, 10),
        )
        CreditRecord.objects.create(
            practitioner=cls.lawyer,
            kind=CreditRecord.Kind.PENALTY,
            title="警告：未按规定履行法律援助义务",
            detail="2024 年度未完成法律援助指派任务。",
            authority="厦门市司法局",
            decided_on=dt.date(2024, 9, 3),
        )
        CreditRecord.objects.create(
            practitioner=cls.lawyer,
            kind=CreditRecord.Kind.PENALTY,
            title="内部约谈：执业档案不规范",
            authority="厦门市律师协会",
            decided_on=dt.date(2025, 3, 18),
            is_public=False,
        )
        cls.hidden = Practitioner.objects.create(
            name="隐藏的人",
            kind=Practitioner.Kind.LAWYER,
            licence_no="13502200000001",
            unit=cls.lawyer.unit,
            phone="13900001111",
            is_public=False,
        )

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the API's throttle counts live in the shared cache, which other tests fill from the same address

    def test_a_practitioner_page_shows_the_licence_and_public_credit_only(self) -> None:
        r = self.client.get(person_url(self.lawyer))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, f"<h1>{self.lawyer.name}</h1>", html=True)
        self.assertContains(r, f"<dd>{self.lawyer.licence_no}</dd>", html=True)
        self.assertContains(r, "<dd>正常执业</dd>", html=True)
        self.assertContains(r, "年度优秀法律援助律师")
        self.assertContains(r, "警告：未按规定履行法律援助义务")
        self.assertContains(r, "2024 年度未完成法律援助指派任务。")
        self.assertContains(r, "厦门市司法局，2024-09-03")
        assert self.lawyer.unit is not None
        self.assertContains(r, f'href="{reverse("portal:unit_detail", args=[self.lawyer.unit_id])}"')
        # Never: the internal record, the private phone, the gender.
        self.assertNotContains(r, "内部约谈")
        self.assertNotContains(r, self.lawyer.phone)
        self.assertNotContains(r, "性别")

    def test_a_practitioner_not_in_the_directory_is_404_like_a_missing_one(self) -> None:
        self.assertEqual(self.client.get(person_url(self.hidden)).status_code, 404)
        self.assertEqual(self.client.get(reverse("info:practitioner", args=[999999])).status_code, 404)

    def test_no_list_page_ever_shows_a_phone_an_internal_record_or_a_hidden_practitioner(self) -> None:
        phones = set(Practitioner.objects.exclude(phone="").values_list("phone", flat=True))
        searched = self.client.get(PEOPLE, {"q": self.hidden.licence_no})
        self.assertContains(searched, "没有找到符合条件的法律服务人员。")
        pages = [
            searched,
            self.client.get(PEOPLE, {"q": self.lawyer.licence_no}),
            self.client.get(PEOPLE, {"q": self.lawyer.unit.name}),  # type: ignore[union-attr]
            self.client.get(PEOPLE, {"page": "2"}),
            self.client.get(UNITS, {"region": SIMING}),
            self.client.get(reverse("portal:unit_detail", args=[self.lawyer.unit_id])),
        ]
        for r in pages:
            html = r.content.decode()
            self.assertEqual(r.status_code, 200)
            self.assertNotIn("内部约谈", html)
            self.assertNotIn(person_url(self.hidden), html)
            self.assertFalse([p for p in phones if p in html])
        self.assertNotIn("隐藏的人", pages[2].content.decode())

    def test_search_by_licence_number_shows_the_credit_counts(self) -> None:
        r = self.client.get(PEOPLE, {"q": self.lawyer.licence_no})
        self.assertContains(r, "共 1 人。")
        self.assertContains(r, '<span class="badge badge-ok">表彰奖励 1 项</span>', html=True)
        self.assertContains(r, '<span class="badge badge-danger">处罚惩戒 1 项</span>', html=True)

    def test_filters_by_region_kind_speciality_and_status(self) -> None:
        huli = self.client.get(PEOPLE, {"region": HULI, "kind": "notary"})
        self.assertEqual(huli.status_code, 200)
        shown = list(huli.context["page_obj"])
        for p in shown:
            self.assertEqual(p.kind, "notary")
            self.assertTrue(p.unit.region_id.startswith(HULI))
        siming = self.client.get(PEOPLE, {"region": SIMING, "kind": "lawyer", "page": "1"})
        names = [p.pk for p in siming.context["page_obj"]]
        self.assertIn(self.lawyer.pk, [p.pk for p in siming.context["page_obj"].paginator.object_list])
        self.assertEqual(len(names), min(20, siming.context["page_obj"].paginator.count))
        family = Speciality.objects.get(code="family")
        r = self.client.get(PEOPLE, {"speciality": "family"})
        for p in r.context["page_obj"]:
            self.assertIn(family, list(p.specialities.all()))
        Practitioner.objects.filter(pk=self.lawyer.pk).update(
            licence_status=Practitioner.LicenceStatus.SUSPENDED
        )
        r = self.client.get(PEOPLE, {"status": "suspended"})
        self.assertEqual([p.pk for p in r.context["page_obj"]], [self.lawyer.pk])
        self.assertContains(r, '<span class="badge badge-warn">停止执业</span>', html=True)

    def test_a_bad_filter_gets_a_chinese_error(self) -> None:
        r = self.client.get(PEOPLE, {"kind": "astronaut"})
        self.assertContains(r, "没有这个人员类别，请从列表中选择。", status_code=400)
        r = self.client.get(PEOPLE, {"region": "12ab"})
        self.assertContains(r, "行政区划代码无效，请从列表中选择地区。", status_code=400)
        r = self.client.get(PEOPLE, {"q": "长" * 41})
        self.assertContains(r, "查询内容不能超过 40 个字。", status_code=400)
        r = self.client.get(UNITS, {"speciality": "nothing"})
        self.assertContains(r, "没有这个业务领域，请从列表中选择。", status_code=400)

    def test_pagination_keeps_the_filters(self) -> None:
        r = self.client.get(PEOPLE, {"kind": "mediator"})
        page = r.context["page_obj"]
        self.assertGreater(page.paginator.num_pages, 1)
        self.assertContains(r, 'href="?kind=mediator&amp;page=2"')
        second = self.client.get(PEOPLE, {"kind": "mediator", "page": "2"}).context["page_obj"]
        self.assertFalse({p.pk for p in page} & {p.pk for p in second})

    def test_list_query_counts_do_not_grow_with_the_page(self) -> None:
        # count, page (+unit, credit counts), specialities, and the form's provinces and specialities
        with self.assertNumQueries(5):
            self.client.get(PEOPLE)
        with self.assertNumQueries(5):
            self.client.get(PEOPLE, {"kind": "mediator", "page": "2"})
        with self.assertNumQueries(4):  # count, page (+region, practitioner counts), the form's two lists
            self.client.get(UNITS)

    def test_the_unit_directory_filters_by_kind_region_and_speciality(self) -> None:
        r = self.client.get(UNITS)
        kinds = {u.kind for u in r.context["page_obj"].paginator.object_list}
        self.assertLessEqual(
            kinds, {"law_firm", "notary", "appraisal", "legal_aid", "mediation", "grassroots"}
        )
        r = self.client.get(UNITS, {"kind": "law_firm", "region": SIMING})
        firms = list(r.context["page_obj"].paginator.object_list)
        self.assertTrue(firms)
        for u in firms:
            self.assertEqual((u.kind, u.region_id[:6]), ("law_firm", SIMING))
        firm = self.lawyer.unit
        assert firm is not None
        expected = Practitioner.objects.filter(unit=firm, is_public=True).count()
        self.assertContains(r, f"<dd>{expected} 人</dd>", html=True)
        Unit.objects.filter(pk=firm.pk).update(is_active=False)
        r = self.client.get(UNITS, {"kind": "law_firm", "region": SIMING})
        self.assertNotIn(firm.pk, [u.pk for u in r.context["page_obj"].paginator.object_list])
        ip = Speciality.objects.get(code="ip")
        r = self.client.get(UNITS, {"speciality": "ip"})
        for u in r.context["page_obj"].paginator.object_list:
            self.assertTrue(Practitioner.objects.filter(unit=u, is_public=True, specialities=ip).exists())

    def test_a_firms_own_public_credit_shows_on_its_page_in_the_list_and_in_the_api(self) -> None:
        firm = self.lawyer.unit
        assert firm is not None
        CreditRecord.objects.filter(unit=firm).delete()
        for kind, title, public in (
            ("reward", "公共法律服务工作先进集体", True),
            ("penalty", "警告：未按规定办理年度考核备案", True),
            ("penalty", "内部通报：档案管理不规范", False),
        ):
            CreditRecord.objects.create(
                unit=firm,
                kind=kind,
                title=title,
                authority="思明区司法局",
                decided_on=dt.date(2025, 2, 1),
                is_public=public,
            )
        page = self.client.get(reverse("portal:unit_detail", args=[firm.pk]))
        self.assertContains(page, "公开的奖惩记录")
        self.assertContains(page, "公共法律服务工作先进集体")
        self.assertContains(page, "警告：未按规定办理年度考核备案")
        self.assertNotContains(page, "内部通报")
        # The list counts the firm's own public records once each, beside its practitioners (no join fan-out).
        listed = self.client.get(UNITS, {"kind": "law_firm", "region": SIMING})
        row = next(u for u in listed.context["page_obj"].object_list if u.pk == firm.pk)
        practitioners = Practitioner.objects.filter(unit=firm, is_public=True).count()
        self.assertEqual((row.rewards, row.penalties, row.public_practitioners), (1, 1, practitioners))
        self.assertContains(listed, "表彰奖励 1 项")
        api = self.client.get(reverse("api:directory_units"), {"kind": "law_firm", "region": SIMING}).json()
        entry = next(u for u in api["results"] if u["id"] == firm.pk)
        self.assertEqual((entry["rewards"], entry["penalties"]), (1, 1))
        detail = self.client.get(reverse("api:unit", args=[firm.pk])).json()
        self.assertEqual(
            sorted(r["title"] for r in detail["credit_records"]),
            sorted(["公共法律服务工作先进集体", "警告：未按规定办理年度考核备案"]),
        )
        # A service centre has no credit file: no section, an empty list.
        centre = world().unit("siming.centre")
        self.assertNotContains(
            self.client.get(reverse("portal:unit_detail", args=[centre.pk])), "公开的奖惩记录"
        )
        self.assertEqual(self.client.get(reverse("api:unit", args=[centre.pk])).json()["credit_records"], [])

    def test_a_unit_page_lists_its_public_practitioners(self) -> None:
        assert self.lawyer.unit is not None
        r = self.client.get(reverse("portal:unit_detail", args=[self.lawyer.unit_id]))
        self.assertContains(r, f'<a href="{person_url(self.lawyer)}">{self.lawyer.name}</a>', html=True)
        self.assertContains(r, "执业人员")
