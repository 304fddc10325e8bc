"""Each step checks what it is given with Chinese errors, saves only itself, and never loses what other steps
saved; a draft is one per citizen and item, kept on the server."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from fawang.catalog.models import ServiceItem

from .. import actions
from ..definitions import StepInvalid, definition_for
from ..models import Application, Means, Party
from .base import APPLICANT, LEGAL_AID_MATTER, MEANS, OTHER_PARTY, ApplicationTestCase


class StepTestCase(ApplicationTestCase):
    def errors(self, app: Application, step: str, data: Mapping[str, object]) -> dict[str, list[str]]:
        with self.assertRaises(StepInvalid) as raised:
            self.save(app, step, data)
        return raised.exception.message_dict

    def test_a_draft_is_one_per_citizen_and_item_and_starting_again_resumes_it(self) -> None:
        first = actions.start_application(actor=self.user, item=self.legal_aid)
        again = actions.start_application(actor=self.user, item=self.legal_aid)
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertEqual(first.application.pk, again.application.pk)
        other = actions.start_application(actor=self.user, item=self.mediation)
        self.assertNotEqual(other.application.pk, first.application.pk)
        self.assertEqual(Application.objects.filter(user=self.user).count(), 2)

    def test_starting_needs_a_public_account_with_real_name_and_an_online_item(self) -> None:
        nameless = self.make_citizen("13711110000", seq="372")
        nameless.display_name = ""
        nameless.save()
        with self.assertRaisesMessage(ValidationError, "请先填写实名信息。"):
            actions.start_application(actor=nameless, item=self.legal_aid)
        with self.assertRaises(PermissionDenied):
            actions.start_application(actor=self.sm_clerk, item=self.legal_aid)
        complaint = ServiceItem.objects.get(code="complaint")
        with self.assertRaisesMessage(ValidationError, "“投诉”不能在网上申请。"):
            actions.start_application(actor=self.user, item=complaint)
        self.legal_aid.channels = ["window"]
        self.legal_aid.save()
        with self.assertRaisesMessage(ValidationError, "“法律援助申请”不能在网上申请。"):
            actions.start_application(actor=self.user, item=self.legal_aid)

    def test_applicant_takes_name_and_id_number_from_the_profile_encrypted(self) -> None:
        app = self.start()
        self.save(app, "applicant", APPLICANT)
        app.refresh_from_db()
        self.assertEqual(app.applicant_name, "王建国")
        self.assertEqual(app.applicant_id_number, self.user.profile.id_number)
        self.assertEqual(app.applicant_phone, "13711112222")
        self.assertEqual(app.special_groups, ["migrant_worker"])
        self.assertEqual(app.steps_done, ["applicant"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT applicant_id_number FROM applications_application WHERE id = %s", [app.pk])
            stored = cursor.fetchone()[0]
        self.assertNotIn(app.applicant_id_number, stored)  # a Fernet token at rest (fawang.lib.crypto)

    def test_applicant_errors_are_chinese(self) -> None:
        app = self.start()
        errors = self.errors(app, "applicant", {"phone": "12345", "address": "", "special_groups": ["x"]})
        self.assertEqual(
            errors["phone"], ["请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。"]
        )
        # 住所地 is required for legal aid (the centre of 第三十八条 and the means check need it) ...
        self.assertEqual(errors["address"], ["请填写住所地（联系地址）。"])
        self.assertEqual(errors["special_groups"], ["请从列表中选择。"])
        # ... and not for a mediation request.
        mediation = self.start("mediation")
        self.save(mediation, "applicant", {"phone": "0592-2345678"})
        self.assertEqual(Application.objects.get(pk=mediation.pk).applicant_phone, "0592-2345678")

    def test_legal_aid_matter_checks_the_stage_against_the_category(self) -> None:
        app = self.start()
        errors = self.errors(app, "matter", {})
        self.assertEqual(errors["category"], ["请选择申请事项。"])
        self.assertEqual(errors["stage"], ["请选择所处阶段。"])
        self.assertEqual(errors["description"], ["请填写案情及申请理由。"])
        self.assertEqual(errors["region"], ["请选择办案机关所在地或者事由发生地。"])
        criminal = {**LEGAL_AID_MATTER, "category": "criminal_defence", "stage": "litigation"}
        self.assertEqual(
            self.errors(app, "matter", criminal)["stage"], ["刑事案件的法律援助，所处阶段请选择“刑事诉讼”。"]
        )
        civil = {**LEGAL_AID_MATTER, "stage": "criminal"}
        self.assertEqual(
            self.errors(app, "matter", civil)["stage"],
            ["所处阶段为“刑事诉讼”的，申请事项请选择刑事辩护或者刑事案件的代理。"],
        )
        # A city is too coarse: the application goes to a county's legal-aid centre.
        self.assertEqual(
            self.errors(app, "matter", {**LEGAL_AID_MATTER, "region": "3502"})["region"],
            ["请选择到县（市、区）一级。"],
        )
        self.save(app, "matter", {**LEGAL_AID_MATTER, "category": "criminal_defence", "stage": "criminal"})
        app.refresh_from_db()
        self.assertEqual(app.facts["stage"], "criminal")
        self.assertEqual(app.region_id, "350203001")

    def test_mediation_needs_a_town_and_at_least_one_respondent(self) -> None:
        app = self.start("mediation")
        matter = {
            "dispute_type": "neighbour",
            "description": "楼上住户装修漏水，损坏我家天花板。",
            "claim": "赔偿维修费三千元。",
            "consent": "refuses",
            "region": "350203",
        }
        self.assertEqual(self.errors(app, "matter", matter)["region"], ["请选择到乡镇（街道）一级。"])
        self.save(app, "matter", {**matter, "region": "350203001001"})
        errors = self.errors(app, "parties", {"parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0"})
        self.assertEqual(errors["parties"], ["请至少填写一位被申请人（纠纷的另一方）。"])
        self.save(
            app,
            "parties",
            {
                "parties-TOTAL_FORMS": "2",
                "parties-INITIAL_FORMS": "0",
                "parties-0-kind": "person",
                "parties-0-name": "陈某",
                "parties-0-phone": "13912340000",
            },
        )
        self.assertEqual(
            list(Party.objects.filter(application=app).values_list("role", "name")), [("respondent", "陈某")]
        )
        summary = definition_for(app.service_item).matter_step.summary(  # type: ignore[union-attr]
            Application.objects.get(pk=app.pk), disclose="own"
        )
        self.assertIn("人民调解委员会不得调解（人民调解法 第十七条）", summary.note)

    def test_notary_abroad_needs_the_country(self) -> None:
        app = self.start("notary")
        data = {
            "notary_type": "family_status",
            "use_place": "abroad",
            "description": "办理亲属关系公证，用于探亲签证。",
            "region": "350203",
        }
        self.assertEqual(
            self.errors(app, "matter", data)["country"], ["在境外使用的，请填写使用国家或者地区。"]
        )
        self.save(app, "matter", {**data, "country": "日本"})
        self.assertEqual(Application.objects.get(pk=app.pk).facts["country"], "日本")

    def test_row_errors_name_the_row_and_blank_or_deleted_rows_are_dropped(self) -> None:
        app = self.start()
        errors = self.errors(
            app,
            "parties",
            {**OTHER_PARTY, "parties-TOTAL_FORMS": "2", "parties-1-name": "", "parties-1-phone": "999"},
        )
        self.assertEqual(
            errors["parties[1].phone"],
            ["请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。"],
        )
        self.assertEqual(errors["parties[1].name"], ["请填写姓名或者名称。"])
        self.save(
            app,
            "parties",
            {
                **OTHER_PARTY,
                "parties-TOTAL_FORMS": "3",
                "parties-1-name": "张三",
                "parties-1-DELETE": "on",
                # parties-2 left blank
            },
        )
        self.assertEqual(list(app.parties.values_list("name", flat=True)), ["厦门某某装修工程有限公司"])

    def test_a_wrong_step_saves_nothing_and_loses_nothing_saved_before(self) -> None:
        app = self.start()
        self.save(app, "applicant", APPLICANT)
        self.save(app, "matter", LEGAL_AID_MATTER)
        self.save(app, "parties", OTHER_PARTY)
        # A wrong household row: the whole means step is refused ...
        self.errors(app, "means", {**MEANS, "members-0-monthly_income": "-5"})
        # ... and a wrong edit of the matter keeps the matter as it was saved.
        self.errors(app, "matter", {**LEGAL_AID_MATTER, "description": "x" * 3001})
        app.refresh_from_db()
        self.assertEqual(app.steps_done, ["applicant", "matter", "parties"])
        self.assertEqual(app.description, LEGAL_AID_MATTER["description"])
        self.assertEqual(app.facts["category"], "labour")
        self.assertEqual(app.applicant_address, APPLICANT["address"])
        self.assertEqual(app.parties.count(), 1)
        self.assertFalse(Means.objects.filter(application=app).exists())

    def test_html_in_free_text_is_kept_as_text(self) -> None:
        app = self.start()
        self.save(app, "matter", {**LEGAL_AID_MATTER, "description": "<script>alert(1)</script>拖欠工资"})
        self.assertEqual(Application.objects.get(pk=app.pk).description, "<script>alert(1)</script>拖欠工资")

    def test_a_submitted_application_cannot_be_edited_and_another_citizen_cannot_touch_a_draft(self) -> None:
        app = self.start()
        other = self.make_citizen("13711113333", name="李四", seq="373")
        with self.assertRaisesMessage(ValidationError, "该申请不存在。"):
            self.save(app, "applicant", APPLICANT, user=other)
        self.fill_legal_aid(app)
        actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        with self.assertRaisesMessage(ValidationError, "该申请已经提交，不能再修改"):
            self.save(app, "applicant", APPLICANT)
        with self.assertRaisesMessage(ValidationError, "已提交的申请不能删除。"):
            actions.do_discard(app.pk, actor=self.user)
