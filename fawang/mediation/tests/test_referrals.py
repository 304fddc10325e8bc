from __future__ import annotations

import json
import time
from typing import Any
from unittest import mock

from django.urls import reverse
from rest_framework.test import APIClient

from fawang.lib import signing

from .. import actions
from ..models import Case, Referral, ReferralPartner
from .base import MediationTestCase

SECRET = "court-secret-0123456789"


class ReferralApiTestCase(MediationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.partner = ReferralPartner.objects.create(
            name="厦门市思明区人民法院",
            kind="court",
            key_id="sm-court",
            secret=SECRET,
            callback_url="https://court.example/mediation/outcome",
        )
        self.api = APIClient()

    def post(self, data: dict[str, Any], secret: str = SECRET, stamp: str | None = None) -> Any:
        body = json.dumps(data, ensure_ascii=False).encode()
        stamp = stamp or str(int(time.time()))
        return self.api.generic(
            "POST",
            reverse("api:mediation_referrals"),
            body,
            content_type="application/json",
            HTTP_X_PARTNER="sm-court",
            HTTP_X_TIMESTAMP=stamp,
            HTTP_X_SIGNATURE=signing.sign(secret, stamp, body),
        )

    def get(self, reference: str) -> Any:
        stamp = str(int(time.time()))
        return self.api.get(
            reverse("api:mediation_referral", args=[reference]),
            HTTP_X_PARTNER="sm-court",
            HTTP_X_TIMESTAMP=stamp,
            HTTP_X_SIGNATURE=signing.sign(SECRET, stamp, b""),
        )

    REF = "（2026）闽0203民诉前调1234号"
    BODY: dict[str, Any] = {
        "reference_no": REF,
        "region": "350203001",
        "dispute_type": "contract",
        "summary": "民间借贷纠纷，诉前委派调解。",
        "parties": [
            {"role": "applicant", "name": "孙三", "phone": "13900003333"},
            {"role": "respondent", "name": "周四"},
        ],
    }

    def test_a_court_referral_becomes_a_case_and_the_outcome_goes_back(self) -> None:
        response = self.post(self.BODY)
        self.assertEqual(response.status_code, 201, response.content)
        case = Case.objects.get(number=response.json()["case_number"])
        self.assertEqual((case.unit, case.source), (self.committee, "referral"))
        self.assertEqual(case.referral.reference_no, self.BODY["reference_no"])
        # Resent: the same case, no second one.
        again = self.post(self.BODY)
        self.assertEqual((again.status_code, again.json()["case_number"]), (200, case.number))
        self.assertEqual(Case.objects.filter(referral__partner=self.partner).count(), 1)
        self.assertFalse(self.get(self.REF).json()["closed"])
        # The committee works it and terminates it: the outcome is posted back, signed.
        for party in case.parties.all():
            actions.record_consent(case.pk, actor=self.mediator_user, party_id=party.pk, consent="agrees")
        sent: list[tuple[str, bytes, dict[str, str]]] = []

        def post(url: str, body: bytes, headers: dict[str, str]) -> int:
            sent.append((url, body, headers))
            return 200

        with (
            mock.patch("fawang.mediation.tasks.post_json", post),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.terminate(
                case.pk,
                actor=self.mediator_user,
                reason="借款人否认借款",
                routes="告知可向人民法院起诉。",
            )
        self.assertEqual(len(sent), 1)
        url, body, headers = sent[0]
        self.assertEqual(url, "https://court.example/mediation/outcome")
        self.assertTrue(signing.verify(SECRET, headers["X-Timestamp"], body, headers["X-Signature"]))
        report = json.loads(body)
        self.assertEqual(
            (report["reference_no"], report["status"], report["routes_told"]),
            (self.BODY["reference_no"], "terminated", "告知可向人民法院起诉。"),
        )
        self.assertEqual(Referral.objects.get(case=case).report, Referral.Report.SENT)
        self.assertEqual(self.get(self.REF).json()["status"], "terminated")

    def test_bad_signatures_and_bad_bodies(self) -> None:
        self.assertEqual(self.post(self.BODY, secret="wrong").status_code, 401)
        self.assertEqual(self.post(self.BODY, stamp=str(int(time.time()) - 3600)).status_code, 401)
        bad = dict(
            self.BODY,
            parties=[
                {"role": "applicant", "name": "孙三", "phone": "123"},
                {"role": "respondent", "name": "周四"},
            ],
        )
        response = self.post(bad)
        self.assertEqual(response.status_code, 400)
        self.assertIn("联系电话", response.content.decode())
        self.assertFalse(Case.objects.filter(source="referral").exists())
        self.assertEqual(self.get("nope").status_code, 404)

    def test_a_failed_report_is_kept_for_a_retry(self) -> None:
        case, _created = actions.receive_referral(
            partner=self.partner,
            reference_no="X-1",
            region_id="350203001",
            dispute_type="other",
            summary="x",
            parties=[actions.PartyData("applicant", "甲"), actions.PartyData("respondent", "乙")],
        )

        def down(*a: Any) -> int:
            raise OSError("connection refused")

        with (
            mock.patch("fawang.mediation.tasks.post_json", down),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.withdraw(case.pk, actor=self.mediator_user, reason="撤回")
        referral = Referral.objects.get(case=case)
        self.assertEqual((referral.report, referral.report_attempts), (Referral.Report.FAILED, 1))
        self.assertIsNotNone(referral.report_tried_at)
        self.client.force_login(self.mediator_user)
        page = self.client.get(reverse("mediation:case", args=[case.pk]))
        self.assertContains(page, "已尝试 1 次，将于")
        Referral.objects.filter(pk=referral.pk).update(report_attempts=6)
        page = self.client.get(reverse("mediation:case", args=[case.pk]))
        self.assertContains(page, "多次重发仍失败，请另行告知移送单位")

    def failed_referral(self) -> Referral:
        case, _created = actions.receive_referral(
            partner=self.partner,
            reference_no="X-2",
            region_id="350203001",
            dispute_type="other",
            summary="x",
            parties=[actions.PartyData("applicant", "甲"), actions.PartyData("respondent", "乙")],
        )

        def down(*a: Any) -> int:
            raise OSError("connection refused")

        with (
            mock.patch("fawang.mediation.tasks.post_json", down),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.withdraw(case.pk, actor=self.mediator_user, reason="撤回")
        return Referral.objects.get(case=case)

    def test_failed_reports_are_sent_again_with_growing_intervals(self) -> None:
        """5 min, 30 min, 2 h, 12 h, 24 h after each failed attempt; then no more. A pass before the interval sends
        nothing; a second pass at the same moment sends nothing twice."""
        import datetime as dt

        from django.utils import timezone

        from ..tasks import MAX_ATTEMPTS, resend_failed_reports

        referral = self.failed_referral()
        calls: list[int] = []

        def down(*a: Any) -> int:
            calls.append(1)
            raise OSError("connection refused")

        waits = [dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2)]
        waits += [dt.timedelta(hours=12), dt.timedelta(hours=24)]
        with mock.patch("fawang.mediation.tasks.post_json", down):
            for attempt, wait in enumerate(waits, start=2):
                tried = Referral.objects.get(pk=referral.pk).report_tried_at
                assert tried is not None
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertEqual(resend_failed_reports(tried + wait - dt.timedelta(seconds=1)), 0)
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertEqual(resend_failed_reports(tried + wait), 1)
                    self.assertEqual(resend_failed_reports(tried + wait), 0)  # claimed: not twice
                row = Referral.objects.get(pk=referral.pk)
                self.assertEqual((row.report, row.report_attempts), (Referral.Report.FAILED, attempt))
            self.assertEqual(len(calls), 5)
            self.assertEqual(Referral.objects.get(pk=referral.pk).report_attempts, MAX_ATTEMPTS)
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(resend_failed_reports(timezone.now() + dt.timedelta(days=30)), 0)
        self.assertEqual(len(calls), 5)

    def test_the_scheduler_job_and_the_command_resend_a_due_report(self) -> None:
        import datetime as dt
        import io

        from django.core.management import call_command
        from django.utils import timezone

        from ..tasks import daily_task

        referral = self.failed_referral()
        Referral.objects.filter(pk=referral.pk).update(
            report_tried_at=timezone.now() - dt.timedelta(minutes=6)
        )
        with (
            mock.patch("fawang.mediation.tasks.post_json", lambda *a: 200),
            self.captureOnCommitCallbacks(execute=True),
        ):
            daily_task.call()
        row = Referral.objects.get(pk=referral.pk)
        self.assertEqual((row.report, row.report_attempts), (Referral.Report.SENT, 2))
        self.assertIsNotNone(row.reported_at)

        second = self.failed_referral_again()
        out = io.StringIO()
        with (
            mock.patch("fawang.mediation.tasks.post_json", lambda *a: 204),
            self.captureOnCommitCallbacks(execute=True),
        ):
            Referral.objects.filter(pk=second.pk).update(
                report_tried_at=timezone.now() - dt.timedelta(hours=1)
            )
            call_command("mediation_remind", stdout=out)
        self.assertIn("resent 1 reports", out.getvalue())
        self.assertEqual(Referral.objects.get(pk=second.pk).report, Referral.Report.SENT)

    def failed_referral_again(self) -> Referral:
        case, _created = actions.receive_referral(
            partner=self.partner,
            reference_no="X-3",
            region_id="350203001",
            dispute_type="other",
            summary="x",
            parties=[actions.PartyData("applicant", "甲"), actions.PartyData("respondent", "乙")],
        )
        with (
            mock.patch("fawang.mediation.tasks.post_json", lambda *a: 500),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.withdraw(case.pk, actor=self.mediator_user, reason="撤回")
        return Referral.objects.get(case=case)


class PartnerCommandTestCase(MediationTestCase):
    def test_registering_a_partner_prints_its_secret_once(self) -> None:
        import io

        from django.core.management import call_command

        from fawang.audit.models import AuditEvent

        out = io.StringIO()
        call_command("add_referral_partner", "思明区信访局", "petition", "sm-petition", stdout=out)
        partner = ReferralPartner.objects.get(key_id="sm-petition")
        self.assertIn(partner.secret, out.getvalue())
        entry = AuditEvent.objects.get(action="mediation.partner")
        self.assertNotIn(partner.secret, str(entry.after))
