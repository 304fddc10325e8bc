"""司法鉴定: the institutions' licensed categories and their appraisers' (recorded by the covering 司法局, audited),
a request entrusted only to an institution of the city holding its category, and the public list by category."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fawang.accounts.models import User
from fawang.audit.testing import new_audit_rows
from fawang.catalog.models import ServiceItem
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, MatterEvent
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.orgs.models import Membership, Practitioner, Unit
from fawang.regions.models import Region

from .. import actions
from ..items import facts
from ..models import AppraisalRequest, AppraiserCategory, Category
from ..routing import licensed_institutions


class AppraisalTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.institution = Unit.objects.get(kind=Unit.Kind.APPRAISAL, region_id="3502")
        self.appraisers = list(
            Practitioner.objects.filter(unit=self.institution, kind=Practitioner.Kind.APPRAISER).order_by(
                "pk"
            )
        )
        self.item = ServiceItem.objects.get(code="appraisal")
        self.city_bureau = self.user_at(self.unit("xiamen.bureau"), Membership.Role.SUPERVISOR, "ap-city")
        self.own_admin = self.user_at(self.institution, Membership.Role.UNIT_ADMIN, "ap-own")
        self.handler = self.user_at(self.institution, Membership.Role.HANDLER, "ap-handler")
        self.village = Region.objects.get(code="350203001")

    def user_at(self, unit: Unit, role: str, username: str) -> User:
        user = User.objects.create_user(username, kind=User.Kind.STAFF, display_name=username)
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    def test_the_categories_and_who_may_take_a_category(self) -> None:
        self.assertEqual(
            sorted(self.institution.appraisal_categories.values_list("category", flat=True)),
            ["audio_visual", "documents", "forensic_clinical", "forensic_genetics"],
        )
        self.assertEqual(
            list(
                AppraiserCategory.objects.filter(practitioner=self.appraisers[1]).values_list(
                    "category", flat=True
                )
            ),
            ["documents"],
        )
        self.assertEqual(licensed_institutions(Category.DOCUMENTS, self.village), [self.institution])
        self.assertEqual(licensed_institutions(Category.ENVIRONMENT, self.village), [])
        # Another city's requests are not served by Xiamen's institution.
        self.assertEqual(licensed_institutions(Category.DOCUMENTS, Region.objects.get(code="350322")), [])

    def test_only_the_covering_bureau_records_the_categories(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.set_institution_categories(self.institution.pk, [Category.TRACES], actor=self.own_admin)
        with new_audit_rows() as rows:
            actions.set_institution_categories(
                self.institution.pk, [Category.FORENSIC_CLINICAL, Category.TRACES], actor=self.city_bureau
            )
        self.assertEqual([row.action for row in rows], ["appraisal.set_categories"])
        # The appraisers keep only categories within the institution's.
        self.assertEqual(
            list(
                AppraiserCategory.objects.filter(practitioner__unit=self.institution).values_list(
                    "category", flat=True
                )
            ),
            ["forensic_clinical"],
        )
        with self.assertRaisesMessage(ValidationError, "超出所在机构的业务范围：文书鉴定"):
            actions.set_appraiser_categories(
                self.appraisers[1].pk, [Category.DOCUMENTS], actor=self.city_bureau
            )

    def test_the_institution_page(self) -> None:
        url = reverse("appraisal:institution", args=[self.institution.pk])
        self.client.force_login(self.own_admin)
        page = self.client.get(url)
        self.assertContains(page, "鉴定业务范围由主管司法行政机关登记。")
        save = reverse("appraisal:institution_save", args=[self.institution.pk])
        self.assertEqual(self.client.post(save, {"unit-categories": ["traces"]}).status_code, 403)
        self.client.force_login(self.city_bureau)
        data = {
            "unit-categories": ["documents", "traces"],
            f"p{self.appraisers[1].pk}-categories": ["traces"],
        }
        self.assertRedirects(self.client.post(save, data), url)
        self.assertEqual(
            list(self.appraisers[1].appraisal_categories.values_list("category", flat=True)), ["traces"]
        )
        bad = {"unit-categories": ["documents"], f"p{self.appraisers[1].pk}-categories": ["environment"]}
        response = self.client.post(save, bad)
        self.assertContains(response, "超出所在机构的业务范围", status_code=400)
        self.assertEqual(
            sorted(self.institution.appraisal_categories.values_list("category", flat=True)),
            ["documents", "traces"],
        )

    def test_entrusted_only_to_a_licensed_institution(self) -> None:
        matter = self.submit(
            self.item, description="交通事故伤残等级鉴定。", item_data={"category": "environment"}
        )
        self.assertEqual(matter.unit, self.institution)
        rows = dict(facts(matter))
        self.assertEqual(rows["鉴定类别"], "环境损害 · 环境损害鉴定")
        self.assertEqual(rows["可受托的鉴定机构"], "本市暂无登记该业务的鉴定机构")
        with self.assertRaisesMessage(ValidationError, "未登记“环境损害鉴定”业务"):
            actions.do_entrust(matter.pk, actor=self.handler, unit=self.institution, category="environment")
        with self.assertRaisesMessage(ValidationError, "本市暂无登记“环境损害鉴定”业务的司法鉴定机构"):
            actions.do_entrust(matter.pk, actor=self.handler, unit=None, category="environment")
        # A second institution of the city licensed for it: the request is transferred there.
        other = Unit.objects.create(
            kind=Unit.Kind.APPRAISAL,
            name="湖里区环境损害司法鉴定中心",
            region_id="350206",
            parent=self.institution.parent,
        )
        actions.set_institution_categories(other.pk, ["environment"], actor=self.city_bureau)
        # Without a unit chosen: the nearest institution of the city holding the category.
        actions.do_entrust(matter.pk, actor=self.handler, unit=None, category="environment")
        matter = Matter.objects.get(pk=matter.pk)
        self.assertEqual(matter.unit, other)
        transfer = MatterEvent.objects.filter(matter=matter, action=MatterEvent.Action.TRANSFER).get()
        self.assertEqual(transfer.note, "委托持有“环境损害鉴定”业务范围的湖里区环境损害司法鉴定中心鉴定。")
        self.assertEqual(AppraisalRequest.objects.get(matter=matter).entrusted_to, other)

    def test_the_panel_entrusts_at_the_institution_itself(self) -> None:
        matter = self.submit(self.item, description="笔迹鉴定。", item_data={"category": "documents"})
        self.client.force_login(self.handler)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "司法鉴定：委托持证机构")
        self.assertContains(page, "当前办理机构")
        response = self.client.post(
            reverse("appraisal:entrust", args=[matter.pk]),
            {"entrust-category": "documents", "entrust-unit": self.institution.pk},
            follow=True,
        )
        self.assertContains(response, "已委托厦门市司法鉴定所（示例）。")
        self.assertEqual(AppraisalRequest.objects.get(matter=matter).entrusted_to, self.institution)
        self.assertTrue(
            MatterEvent.objects.filter(
                matter=matter, note__contains="文书鉴定", visible_to_person=True
            ).exists()
        )

    def test_a_legal_aid_recipient_gets_the_fee_reduction(self) -> None:
        person = self.person(name="陈阿婆")
        aid = self.submit(person=person)
        matter_actions.do_accept(aid.pk, actor=None)  # 给予法律援助
        matter = self.submit(
            self.item,
            person=person,
            description="伤残等级鉴定。",
            item_data={"category": "forensic_clinical"},
        )
        rows = dict(facts(matter))
        self.assertIn(aid.tracking_no, rows["鉴定费减免"])
        self.assertIn("减收或者免收鉴定费", rows["鉴定费减免"])
        other = self.submit(
            self.item,
            person=self.person(name="林先生", id_number=id_number(seq="456")),
            description="笔迹鉴定。",
        )
        self.assertNotIn("鉴定费减免", dict(facts(other)))

    def test_the_public_list_by_category(self) -> None:
        url = reverse("appraisal_public:institutions")
        page = self.client.get(url)
        self.assertContains(page, "厦门市司法鉴定所（示例）")
        # Each public appraiser with their licence and licensed categories.
        second = self.appraisers[1]
        self.assertContains(page, second.name)
        self.assertContains(page, second.licence_no)
        self.assertContains(page, reverse("info:practitioner", args=[second.pk]))
        self.assertContains(self.client.get(url, {"category": "documents"}), "文书鉴定")
        self.assertContains(
            self.client.get(url, {"category": "environment"}), "没有登记该类别业务的司法鉴定机构"
        )
