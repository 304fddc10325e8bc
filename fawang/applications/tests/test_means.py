"""The legal-aid means facts (法律援助法 第四十一条) and the grounds that waive the means test (第三十二条,
第四十二条): what each requires, the per-capita income, and the grounds' wording checked against the statute."""

from __future__ import annotations

import json
import lzma
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from .. import actions
from ..choices import ARTICLE_32, ARTICLE_42, LegalAidCategory
from ..definitions import LEGAL_AID, Section, StepInvalid, per_capita_income
from ..models import Application, ApplicationFile, Means
from .base import APPLICANT, LEGAL_AID_MATTER, MEANS, OTHER_PARTY, ApplicationTestCase, pdf

NOTHING = {"members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"}


class MeansTestCase(ApplicationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.app = self.start()
        self.save(self.app, "applicant", APPLICANT)
        self.save(self.app, "matter", LEGAL_AID_MATTER)
        self.save(self.app, "parties", OTHER_PARTY)

    def refused(self, data: Mapping[str, object]) -> dict[str, list[str]]:
        with self.assertRaises(StepInvalid) as raised:
            self.save(self.app, "means", data)
        return raised.exception.message_dict

    def upload_required(self) -> None:
        for m in self.app.service_item.materials.filter(
            name__in=["申请人身份证明", "与所申请法律援助事项有关的材料"]
        ):
            actions.do_upload_material(self.app.pk, actor=self.user, slot=f"m{m.pk}", upload=pdf())

    def test_applying_for_economic_difficulty_needs_income_statement_and_pledge(self) -> None:
        errors = self.refused(NOTHING)
        self.assertEqual(errors["applicant_income"], ["请填写申请人本人月收入；没有收入的填 0。"])
        self.assertEqual(errors["hardship_statement"], ["请填写经济困难状况说明。"])
        self.assertEqual(errors["pledged"], ["因经济困难申请法律援助的，请作出个人诚信承诺。"])
        self.assertEqual(
            self.refused({**MEANS, "applicant_income": "两千"})["applicant_income"],
            ["请输入金额（元），例如 2500 或 2500.50。"],
        )
        self.assertEqual(
            self.refused({**MEANS, "members-1-relation": ""})["members[1].relation"],
            ["请选择与申请人的关系。"],
        )

    def test_the_per_capita_income_is_the_household_total_over_its_size(self) -> None:
        self.save(
            self.app,
            "means",
            {
                **MEANS,
                "applicant_income": "2100.50",
                "members-0-monthly_income": "1500",
                "members-2-monthly_income": "0",
            },
        )
        app = Application.objects.get(pk=self.app.pk)
        means = Means.objects.get(application=app)
        members = list(app.household.all())
        self.assertEqual([m.name for m in members], ["李秀兰", "王小宝", "王小妹"])
        # (2100.50 + 1500 + 0 + 0) / 4
        self.assertEqual(per_capita_income(means, members), Decimal("900.13"))
        self.assertTrue(means.pledged)
        self.assertEqual(means.exemption_grounds, [])
        # Someone living alone: the applicant's own income.
        self.save(
            self.app,
            "means",
            {**NOTHING, "applicant_income": "0", "hardship_statement": "无业。", "pledged": "on"},
        )
        self.assertEqual(per_capita_income(Means.objects.get(application=app), []), Decimal("0.00"))

    def test_article_32_cases_need_no_means_facts_and_no_proof(self) -> None:
        self.save(self.app, "means", {**NOTHING, "grounds_32": ["abuse_victim"]})
        means = Means.objects.get(application=self.app)
        self.assertEqual(means.exemption_grounds, ["abuse_victim"])
        self.assertEqual(means.exemption_labels, ["遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"])
        self.upload_required()
        app = Application.objects.get(pk=self.app.pk)
        self.assertEqual(actions.incomplete(app), [])
        materials = next(s for s in _sections(app) if s.code == "materials")
        self.assertIn(
            (
                "经济困难状况说明",
                "已选择免予审查经济困难状况的情形（法律援助法 第三十二条、第四十二条），不需要提交。",
            ),
            materials.rows,
        )
        section = next(s for s in _sections(app) if s.code == "means")
        self.assertIn(
            ("不受经济困难条件限制（第三十二条）", "遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"),
            section.rows,
        )

    def test_article_42_people_need_material_proving_it(self) -> None:
        self.save(self.app, "means", {**NOTHING, "grounds_42": ["migrant_worker"]})
        self.upload_required()
        app = Application.objects.get(pk=self.app.pk)
        self.assertEqual(actions.incomplete(app), ["请上传“免予核查经济困难状况的证明材料”。"])
        with self.assertRaisesMessage(ValidationError, "请勾选承诺后再提交"):
            actions.do_submit_application(app.pk, actor=self.user, pledge=False)
        with self.assertRaises(ValidationError) as raised:
            actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        self.assertEqual(raised.exception.messages, ["请上传“免予核查经济困难状况的证明材料”。"])
        proof = actions.do_upload_material(
            app.pk, actor=self.user, slot="exemption_proof", upload=pdf("欠薪证明.pdf")
        )
        self.assertEqual(proof.slot, ApplicationFile.Slot.EXEMPTION_PROOF)
        self.assertEqual(actions.incomplete(Application.objects.get(pk=app.pk)), [])
        matter = actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter
        self.assertEqual(
            sorted(matter.attachments.values_list("original_name", flat=True)),
            ["欠薪证明.pdf", "身份证.pdf", "身份证.pdf"],
        )

    def test_other_grounds_must_name_their_rule_and_unknown_codes_are_refused(self) -> None:
        errors = self.refused({**NOTHING, "grounds_42": ["other_person"]})
        self.assertEqual(errors["exemption_note"], ["请写明所依据的法律、法规或者规章。"])
        # The two lists are one field to the API: errors are named after it.
        self.assertEqual(
            self.refused({**NOTHING, "grounds_32": ["rich"]})["exemption_grounds"], ["请从列表中选择。"]
        )
        self.save(
            self.app,
            "means",
            {**NOTHING, "grounds_42": ["other_person"], "exemption_note": "《福建省法律援助条例》"},
        )
        self.assertEqual(Means.objects.get(application=self.app).exemption_note, "《福建省法律援助条例》")


def _sections(app: Application) -> list[Section]:

    return LEGAL_AID.sections(app, disclose="masked")


class StatuteWordingTestCase(SimpleTestCase):
    """The grounds and categories quote 法律援助法 as shipped in data/laws (flk.npc.gov.cn via LawRefBook/Laws)."""

    articles: ClassVar[dict[str, str]] = {}

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        with lzma.open(settings.DATA_DIR / "laws" / "articles.jsonl.xz", "rt", encoding="utf-8") as rows:
            for line in rows:
                if "法律援助法" not in line:
                    continue
                row = json.loads(line)
                if row["law_title"] == "中华人民共和国法律援助法" and not row["expired"]:
                    cls.articles[row["article"]] = row["text"]

    def items(self, article: str) -> list[str]:
        """The enumerated items（一）…（五） of an article, without their numbering and closing punctuation."""
        lines = self.articles[article].splitlines()[1:]
        return [line.split("）", 1)[1].rstrip("；。") for line in lines if line.startswith("（")]

    def test_article_32_and_42_grounds_are_the_statutes_words(self) -> None:
        self.assertEqual([str(g.label) for g in ARTICLE_32], self.items("第三十二条"))
        self.assertEqual([str(g.label) for g in ARTICLE_42], self.items("第四十二条"))

    def test_the_article_31_categories_are_the_statutes_words(self) -> None:
        article_31 = self.items("第三十一条")[:-1]  # the last item is 其他情形, offered as OTHER
        labels = [str(c.label) for c in LegalAidCategory][: len(article_31)]
        self.assertEqual(labels, article_31)
