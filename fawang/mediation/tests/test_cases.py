from __future__ import annotations

import datetime as dt
import subprocess
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.matters.models import Matter

from .. import actions
from ..models import Agreement, Case, FollowUp, confirmation_due
from .base import MediationTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class OpeningAndConsentTestCase(MediationTestCase):
    def test_opening_from_an_online_application_accepts_the_matter(self) -> None:
        matter = self.submit(self.mediation, region="350203001", description="邻居装修漏水，要求赔偿。")
        self.assertEqual(matter.unit, self.committee)
        client = self.client
        client.force_login(self.mediator_user)
        page = client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "立案调解")
        response = client.post(
            reverse("mediation:open_from_matter", args=[matter.pk]),
            {"med-dispute_type": "neighbour", "med-respondent_name": "吴某", "med-respondent_phone": ""},
        )
        case = Case.objects.get(matter=matter)
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        self.assertEqual(case.source, "application")
        self.assertEqual(self.reload(matter).status, Matter.Status.ACCEPTED)
        self.assertEqual([p.name for p in case.parties.all()], ["张三", "吴某"])
        self.assertTrue(
            AuditEvent.objects.filter(action="mediation.open_case", target_id=str(case.pk)).exists()
        )
        # Twice is refused, and the matter page now links to the case.
        with self.assertRaisesMessage(ValidationError, "该申请已立案调解"):
            self.new_case(matter=self.reload(matter))
        self.assertContains(client.get(reverse("matters:detail", args=[matter.pk])), case.number)

    def test_a_refusal_of_consent_ends_the_case_and_completes_the_matter(self) -> None:
        matter = self.submit(self.mediation, region="350203001")
        case = self.new_case(matter=matter, source="application")
        applicant, respondent = case.parties.all()
        actions.record_consent(case.pk, actor=self.mediator_user, party_id=applicant.pk, consent="agrees")
        self.assertEqual(Case.objects.get(pk=case.pk).status, Case.Status.CONSENT)
        self.client.force_login(self.mediator_user)
        self.client.post(
            reverse("mediation:case_consent", args=[case.pk]),
            {"consent-party": respondent.pk, "consent-consent": "refuses", "consent-note": "不愿调解"},
        )
        case.refresh_from_db()
        self.assertEqual(case.status, Case.Status.REFUSED)
        self.assertIn("第十七条", case.outcome_note)
        self.assertIsNotNone(case.closed_at)
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertIn("拒绝调解", matter.result)
        # Nothing more can be done on it.
        with self.assertRaisesMessage(ValidationError, "当事人拒绝调解"):
            actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m1.pk)

    def test_all_agreeing_starts_mediation(self) -> None:
        case = self.mediating()
        self.assertEqual(case.status, Case.Status.MEDIATING)

    def test_only_a_committee_opens_cases_and_only_where_it_may(self) -> None:
        with self.assertRaisesMessage(ValidationError, "只能由人民调解委员会"):
            self.new_case(unit=self.office, actor=self.office_user)
        with self.assertRaises(PermissionDenied):
            self.new_case(actor=self.sibling_user)

    def test_bad_input_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:case_new"),
            {
                "unit": self.committee.pk,
                "source": "referral",
                "dispute_type": "family",
                "summary": "<b>家庭</b>纠纷",
                "applicant_name": "赵一",
                "applicant_id_number": "350203198005011234",
                "respondent_name": "钱二",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请填写移送单位的案号。", status_code=400)
        self.assertContains(response, "&lt;b&gt;家庭&lt;/b&gt;纠纷", status_code=400)
        self.assertFalse(Case.objects.filter(summary__contains="家庭").exists())


class RecusalTestCase(MediationTestCase):
    def test_a_recused_mediator_cannot_be_assigned_again(self) -> None:
        case = self.mediating()
        actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m2.pk)
        self.client.force_login(self.mediator_user)
        self.client.post(
            reverse("mediation:case_recuse", args=[case.pk]),
            {"recuse-mediator": self.m1.pk, "recuse-reason": "申请人申请回避：调解员系被申请人表兄"},
        )
        row = case.mediators.get(mediator=self.m1)
        self.assertIsNotNone(row.recused_at)
        self.assertFalse(row.is_lead)
        with self.assertRaisesMessage(ValidationError, "已在本案回避"):
            actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m1.pk)
        response = self.client.post(
            reverse("mediation:case_assign", args=[case.pk]), {"assign-mediator": self.m1.pk}
        )
        self.assertContains(response, "已在本案回避", status_code=400)

    def test_a_mediator_who_is_a_party_must_withdraw(self) -> None:
        from .. import choices

        case = self.new_case(
            parties=[
                actions.PartyData(choices.PartyRole.APPLICANT, self.m2.name, ""),
                actions.PartyData(choices.PartyRole.RESPONDENT, "钱二", ""),
            ]
        )
        with self.assertRaisesMessage(ValidationError, "应当回避"):
            actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m2.pk)

    def test_only_the_committees_own_mediators(self) -> None:
        from fawang.orgs.models import Practitioner

        other = Practitioner.objects.filter(unit=self.sibling, kind="mediator").first()
        assert other is not None
        case = self.new_case()
        with self.assertRaisesMessage(ValidationError, "只能指定本调解委员会"):
            actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=other.pk)


class SessionsAndOutcomeTestCase(MediationTestCase):
    def test_sessions_need_consent_and_a_mediator(self) -> None:
        case = self.new_case()
        with self.assertRaisesMessage(ValidationError, "当事人均同意调解后"):
            actions.log_session(
                case.pk,
                actor=self.mediator_user,
                held_on=self.today(),
                place="调委会",
                attendees="赵一、钱二",
                content="x",
            )

    def test_termination_tells_the_other_routes(self) -> None:
        matter = self.submit(self.mediation, region="350203001")
        case = self.mediating(matter=matter, source="application")
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:case_terminate", args=[case.pk]),
            {"terminate-reason": "双方分歧过大", "terminate-routes": ""},
        )
        self.assertContains(response, "第二十六条", status_code=400)
        self.client.post(
            reverse("mediation:case_terminate", args=[case.pk]),
            {
                "terminate-reason": "双方分歧过大",
                "terminate-routes": "告知可向人民法院起诉（人民调解法 第二十六条）。",
            },
        )
        case.refresh_from_db()
        self.assertEqual(case.status, Case.Status.TERMINATED)
        self.assertIn("向人民法院起诉", self.reload(matter).result)

    def test_withdrawal(self) -> None:
        case = self.new_case()
        actions.withdraw(case.pk, actor=self.mediator_user, reason="双方已自行和解")
        self.assertEqual(Case.objects.get(pk=case.pk).status, Case.Status.WITHDRAWN)


class AgreementTestCase(MediationTestCase):
    def agreed(self) -> Agreement:
        case = self.mediating()
        actions.log_session(
            case.pk,
            actor=self.mediator_user,
            held_on=self.today(),
            place="调委会调解室",
            attendees="赵一、钱二",
            content="第一次调解",
        )
        return actions.record_agreement(
            case.pk,
            actor=self.mediator_user,
            form="written",
            facts="钱二装修致赵一房屋漏水。",
            terms="钱二赔偿赵一修复费用人民币叁仟元。",
            performance="2026年12月31日前以银行转账方式一次付清。",
            agreed_on=self.today(),
            follow_up_dates=[self.today() + dt.timedelta(days=20)],
        )

    def test_the_agreement_pdf_has_the_article_29_content_and_signature_boxes(self) -> None:
        agreement = self.agreed()
        self.client.force_login(self.mediator_user)
        response = self.client.get(reverse("mediation:agreement_pdf", args=[agreement.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(response.content)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, check=True).stdout.decode()
        flat = "".join(text.split())
        for expected in (
            "人民调解协议书",
            "当事人基本情况",
            "赵一",
            "钱二",
            "纠纷的主要事实、争议事项",
            "钱二装修致赵一房屋漏水",
            "各方当事人的权利和义务",
            "赔偿赵一修复费用人民币叁仟元",
            "履行协议的方式、地点、期限",
            "一次付清",
            "签名（盖章）",
            "指印",
            "人民调解员（签名）",
            "人民调解委员会（印章）",
            "第二十九条",
            "厦港街道人民调解委员会",
        ):
            self.assertIn(expected, flat)
        self.assertNotIn("13900001111", flat)  # phones masked

    def test_signed_copy_starts_the_countdown_and_the_court_closes_it(self) -> None:
        agreement = self.agreed()
        self.assertIsNone(agreement.effective_on)
        self.client.force_login(self.mediator_user)
        bad = self.client.post(
            reverse("mediation:agreement_signed", args=[agreement.pk]),
            {
                "signed-file": SimpleUploadedFile("a.txt", b"hello"),
                "signed-signed_on": self.today().isoformat(),
            },
        )
        self.assertContains(bad, "只能上传", status_code=400)
        self.client.post(
            reverse("mediation:agreement_signed", args=[agreement.pk]),
            {"signed-file": SimpleUploadedFile("a.pdf", PDF), "signed-signed_on": self.today().isoformat()},
        )
        agreement.refresh_from_db()
        self.assertEqual(agreement.effective_on, self.today())
        self.assertEqual(agreement.confirmation_due_on, self.today() + dt.timedelta(days=30))
        page = self.client.get(reverse("mediation:case", args=[agreement.case_id]))
        self.assertContains(page, "还剩 30 天")
        copy = self.client.get(reverse("mediation:agreement_copy", args=[agreement.pk]))
        self.assertEqual(copy.content, PDF)
        with self.assertRaisesMessage(ValidationError, "请先登记当事人共同申请"):
            actions.record_confirmation(
                agreement.pk,
                actor=self.mediator_user,
                decision="confirmed",
                court="思明区人民法院",
                on=self.today(),
            )
        for decision in ("applied", "confirmed"):
            self.client.post(
                reverse("mediation:agreement_confirmation", args=[agreement.pk]),
                {
                    "confirmation-decision": decision,
                    "confirmation-court": "思明区人民法院",
                    "confirmation-on": self.today().isoformat(),
                    "confirmation-note": "",
                },
            )
        agreement.refresh_from_db()
        self.assertEqual(agreement.confirmation, Agreement.Confirmation.CONFIRMED)
        self.assertNotContains(self.client.get(reverse("mediation:case", args=[agreement.case_id])), "还剩")

    def test_an_application_after_thirty_days_is_refused(self) -> None:
        agreement = self.agreed()
        Agreement.objects.filter(pk=agreement.pk).update(effective_on=self.today() - dt.timedelta(days=31))
        with self.assertRaisesMessage(ValidationError, "三十日内"):
            actions.record_confirmation(
                agreement.pk,
                actor=self.mediator_user,
                decision="applied",
                court="思明区人民法院",
                on=self.today(),
            )

    def test_the_countdown_counts_natural_days_not_working_days(self) -> None:
        from fawang.calendar import workdays
        from fawang.matters.tests.base import at

        # Effective on 2025-09-25: thirty natural days end on 2025-10-25, across the National Day holiday; thirty
        # working days would run into mid-November.
        effective = dt.date(2025, 9, 25)
        self.assertEqual(confirmation_due(effective), dt.date(2025, 10, 25))
        working = workdays.add_workdays(at(2025, 9, 25), 30).date()
        self.assertGreater(working, dt.date(2025, 11, 1))
        self.assertNotEqual(working, confirmation_due(effective))

    def test_reminders_go_once_to_parties_and_mediators(self) -> None:
        from fawang.notify.models import Message

        agreement = self.agreed()
        self.m1.user = self.mediator_user
        self.m1.save(update_fields=["user"])
        Agreement.objects.filter(pk=agreement.pk).update(effective_on=self.today() - dt.timedelta(days=24))
        self.assertEqual(actions.send_confirmation_reminders(), 1)
        self.assertEqual(actions.send_confirmation_reminders(), 0)
        sent = Message.objects.filter(kind="mediation.confirmation_reminder")
        self.assertEqual(sorted(m.channel for m in sent), ["inapp", "sms", "sms"])
        self.assertIn("第三十三条", sent[0].body)

    def test_oral_agreement_takes_effect_at_once_and_follow_ups_are_done(self) -> None:
        case = self.mediating()
        agreement = actions.record_agreement(
            case.pk,
            actor=self.mediator_user,
            form="oral",
            facts="借款纠纷。",
            terms="三日内归还五百元。",
            performance="当面归还。",
            agreed_on=self.today(),
            follow_up_dates=[self.today()],
        )
        self.assertEqual(agreement.effective_on, self.today())
        item = FollowUp.objects.get(agreement=agreement)
        self.client.force_login(self.mediator_user)
        self.client.post(
            reverse("mediation:follow_up", args=[item.pk]),
            {"follow-result": "performed", "follow-note": "已归还"},
        )
        item.refresh_from_db()
        self.assertEqual(item.result, FollowUp.Result.PERFORMED)
        self.assertEqual(
            self.client.get(reverse("mediation:agreement_pdf", args=[agreement.pk])).status_code, 404
        )


class VisibilityTestCase(MediationTestCase):
    def test_committee_office_and_bureau(self) -> None:
        case = self.new_case()
        url = reverse("mediation:case", args=[case.pk])
        for user, code in (
            (self.mediator_user, 200),
            (self.office_user, 200),
            (self.sm_supervisor, 200),
            (self.sibling_user, 404),
            (self.hl_supervisor, 404),
            (self.citizen, 404),
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, code, user)
        self.client.force_login(self.sibling_user)
        self.assertNotContains(self.client.get(reverse("mediation:cases")), case.number)
        self.client.force_login(self.sm_supervisor)
        self.assertContains(self.client.get(reverse("mediation:cases")), case.number)
        # The supervisor sees it but may not work it.
        response = self.client.post(
            reverse("mediation:case_withdraw", args=[case.pk]), {"withdraw-reason": "x"}
        )
        self.assertEqual(response.status_code, 403)
