"""Several parties on each side: the console's forms take them, the agreement lists them all, and each is asked for
consent (第十七条: any one party's refusal ends the case)."""

from __future__ import annotations

import subprocess
import tempfile

from django.urls import reverse

from .. import actions
from ..choices import Consent
from ..models import Agreement, Case, Screening
from .base import MediationTestCase

MORE = {
    "more1_role": "applicant",
    "more1_name": "孙三",
    "more1_phone": "13900003333",
    "more2_role": "respondent",
    "more2_name": "李四",
    "more3_role": "respondent",
    "more3_name": "周五",
}


class SeveralPartiesTestCase(MediationTestCase):
    def open_with_several(self) -> Case:
        self.client.force_login(self.mediator_user)
        data = {
            "unit": self.committee.pk,
            "source": "initiative",
            "dispute_type": "land",
            "summary": "三户之间宅基地界址纠纷。",
            "applicant_name": "赵一",
            "applicant_phone": "13900001111",
            "respondent_name": "钱二",
        }
        response = self.client.post(reverse("mediation:case_new"), data | MORE)
        case = Case.objects.get(summary="三户之间宅基地界址纠纷。")
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        return case

    def test_the_case_form_takes_several_parties_on_each_side(self) -> None:
        case = self.open_with_several()
        self.assertEqual(
            [(p.role, p.name) for p in case.parties.all()],
            [
                ("applicant", "赵一"),
                ("applicant", "孙三"),
                ("respondent", "钱二"),
                ("respondent", "李四"),
                ("respondent", "周五"),
            ],
        )
        page = self.client.get(reverse("mediation:case", args=[case.pk]))
        for name in ("赵一", "孙三", "钱二", "李四", "周五"):
            self.assertContains(page, name)

    def test_a_further_row_needs_a_side_and_a_name(self) -> None:
        self.client.force_login(self.mediator_user)
        data = {
            "unit": self.committee.pk,
            "source": "initiative",
            "dispute_type": "land",
            "summary": "纠纷。",
            "applicant_name": "赵一",
            "respondent_name": "钱二",
            "more1_name": "孙三",
            "more2_role": "respondent",
            "more2_phone": "13900004444",
        }
        response = self.client.post(reverse("mediation:case_new"), data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请选择该当事人是申请人还是被申请人。", status_code=400)
        self.assertContains(response, "请填写该当事人的姓名或名称。", status_code=400)
        self.assertContains(response, "13900004444", status_code=400)  # nothing typed is lost
        self.assertFalse(Case.objects.filter(summary="纠纷。").exists())

    def test_mediation_starts_only_when_every_party_agrees_and_any_refusal_ends_it(self) -> None:
        case = self.open_with_several()
        parties = list(case.parties.all())
        for party in parties[:-1]:
            actions.record_consent(case.pk, actor=self.mediator_user, party_id=party.pk, consent="agrees")
            self.assertEqual(Case.objects.get(pk=case.pk).status, Case.Status.CONSENT)
        actions.record_consent(case.pk, actor=self.mediator_user, party_id=parties[-1].pk, consent="agrees")
        self.assertEqual(Case.objects.get(pk=case.pk).status, Case.Status.MEDIATING)

        other = self.open_with_several_again()
        first, *_rest, last = list(other.parties.all())
        actions.record_consent(other.pk, actor=self.mediator_user, party_id=first.pk, consent="agrees")
        self.client.post(
            reverse("mediation:case_consent", args=[other.pk]),
            {"consent-party": last.pk, "consent-consent": "refuses"},
        )
        other.refresh_from_db()
        self.assertEqual(other.status, Case.Status.REFUSED)
        self.assertIn("周五", other.outcome_note)
        self.assertEqual(
            [p.consent for p in other.parties.all()],
            [Consent.AGREES, Consent.PENDING, Consent.PENDING, Consent.PENDING, Consent.REFUSES],
        )

    def open_with_several_again(self) -> Case:
        return self.new_case(
            summary="另一件纠纷。",
            parties=[
                actions.PartyData("applicant", "赵一"),
                actions.PartyData("applicant", "孙三"),
                actions.PartyData("respondent", "钱二"),
                actions.PartyData("respondent", "李四"),
                actions.PartyData("respondent", "周五"),
            ],
        )

    def test_the_agreement_pdf_lists_every_party_with_a_signature_row(self) -> None:
        case = self.open_with_several()
        for party in case.parties.all():
            actions.record_consent(case.pk, actor=self.mediator_user, party_id=party.pk, consent="agrees")
        actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m1.pk, is_lead=True)
        actions.log_session(
            case.pk,
            actor=self.mediator_user,
            held_on=self.today(),
            place="调解室",
            attendees="五方当事人",
            content="各方同意按原界址砌墙。",
        )
        actions.record_agreement(
            case.pk,
            actor=self.mediator_user,
            form="written",
            facts="三户界址争议。",
            terms="按一九九五年界址砌墙。",
            performance="三十日内完成。",
            agreed_on=self.today(),
        )
        agreement = Agreement.objects.get(case=case)
        response = self.client.get(reverse("mediation:agreement_pdf", args=[agreement.pk]))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(response.content)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, check=True).stdout.decode()
        flat = "".join(text.split())
        for name in ("赵一", "孙三", "钱二", "李四", "周五"):
            # Once among the parties' particulars and once on the signature rows.
            self.assertEqual(flat.count(name), 2, name)
        self.assertEqual(flat.count("被申请人："), 3)
        self.assertEqual(flat.count("申请人：") - flat.count("被申请人："), 2)

    def test_a_screening_finding_becomes_a_case_with_several_parties(self) -> None:
        screening = actions.record_screening(
            actor=self.mediator_user,
            unit=self.committee,
            screened_on=self.today(),
            round="monthly",
            parties="赵家与钱家、李家",
            dispute_type="land",
            place="厦港街道",
            people_count=6,
            summary="界址纠纷。",
            risk_level="low",
        )
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:screening_case", args=[screening.pk]),
            {"case-applicant_name": "赵一", "case-respondent_name": "钱二"}
            | {f"case-{key}": value for key, value in MORE.items()},
        )
        case = Case.objects.get(screening=screening)
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        self.assertEqual(case.parties.count(), 5)
        self.assertEqual(Screening.objects.get(pk=screening.pk).status, Screening.Status.CASE)

    def test_an_online_application_becomes_a_case_with_further_parties(self) -> None:
        matter = self.submit(self.mediation, region="350203001", description="楼上两户装修漏水。")
        self.client.force_login(self.mediator_user)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "其他当事人1 姓名或名称")
        response = self.client.post(
            reverse("mediation:open_from_matter", args=[matter.pk]),
            {
                "med-dispute_type": "neighbour",
                "med-respondent_name": "吴某",
                "med-more1_role": "respondent",
                "med-more1_name": "郑某",
            },
        )
        case = Case.objects.get(matter=matter)
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        self.assertEqual(
            [(p.role, p.name) for p in case.parties.all()],
            [("applicant", "张三"), ("respondent", "吴某"), ("respondent", "郑某")],
        )
