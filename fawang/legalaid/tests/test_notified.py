"""通知辩护 (法律援助法 第二十五条、第二十八条、第三十六条): a court, procuratorate or police organ notifies the
centre in the console or through the signed API; no hardship review; the 第二十六条 rule follows the organ's
ground; the centre assigns within three days and the organ gets the letter (and reads the same through the API)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from fawang.lib import signing
from fawang.matters.models import Matter

from .. import actions, documents
from ..models import Assignment, Notification, NotifyingPartner
from .base import LegalAidTestCase, pdf_text

KEYS = (f"aid-test-{n}" for n in itertools.count())


def notification(**kw: str) -> actions.NotificationData:
    data = {
        "organ_kind": "court",
        "organ_name": "厦门市思明区人民法院",
        "reference_no": "（2025）闽0203刑初101号",
        "ground": "minor",
        "person_name": "陈小明",
        "charge": "盗窃罪",
        "facts": "被告人系未成年人，没有委托辩护人。",
        "custody": "厦门市看守所",
    }
    data.update(kw)
    return actions.NotificationData(**data)


class NotifiedDefenceTestCase(LegalAidTestCase):
    def test_a_notification_is_taken_up_without_a_means_review_and_assigned_within_three_days(self) -> None:
        row, created = actions.do_receive_notification(
            notification(), centre=self.centre, actor=self.sm_handler
        )
        self.assertTrue(created)
        matter = Matter.objects.get(pk=row.matter_id)
        # No 给予 decision and no hardship comparison: the matter is taken up at once, the assign clock runs.
        self.assertEqual(matter.status, Matter.Status.ACCEPTED)
        self.assertEqual(matter.step, "assign")
        self.assertFalse(matter.aid_decisions.exists())
        self.assertEqual(matter.unit, self.centre)
        received = timezone.localdate(row.received_at)
        self.assertGreaterEqual(timezone.localdate(row.due_at), received + dt.timedelta(days=3))
        self.assertLessEqual(timezone.localdate(row.due_at), received + dt.timedelta(days=10))
        # The same letter again (same organ, same number) opens nothing new.
        again, created = actions.do_receive_notification(
            notification(), centre=self.centre, actor=self.sm_handler
        )
        self.assertEqual((again.pk, created), (row.pk, False))

        a = actions.do_assign(matter.pk, actor=self.sm_handler)
        self.assertEqual(a.case_type, Assignment.CaseType.CRIMINAL)
        row.refresh_from_db()
        self.assertIsNotNone(row.replied_at)
        self.assertIn("已函告厦门市思明区人民法院", matter.events.order_by("-pk")[0].note)
        text = pdf_text(documents.notification_letter_pdf(row, a, RequestFactory().get("/")))
        self.assertIn("指派律师通知书", text)
        self.assertIn("第三十六条", text)
        self.assertIn("（2025）闽0203刑初101号", text)
        self.assertIn(a.lawyer.practitioner.name, text)
        self.assertIn("辩护人", text)

    def test_a_life_or_death_case_needs_a_lawyer_with_three_years(self) -> None:
        row, _created = actions.do_receive_notification(
            notification(ground="life_or_death", person_name="王某", charge="故意杀人罪"),
            centre=self.centre,
            actor=self.sm_handler,
        )
        junior = next(r for r in self.roster() if r.relevant_years(timezone.localdate()) < 3)
        with self.assertRaisesMessage(ValidationError, "第二十六条"):
            # serious is not ticked by hand: the organ's ground (第二十五条第一款第四项) decides it.
            actions.do_assign(row.matter_id, actor=self.sm_handler, lawyer=junior)
        a = actions.do_assign(row.matter_id, actor=self.sm_handler)
        self.assertTrue(a.serious)
        self.assertGreaterEqual(a.lawyer.relevant_years(timezone.localdate()), 3)

    def test_bad_notifications_are_refused_with_the_reason(self) -> None:
        with self.assertRaisesMessage(ValidationError, "只能由人民法院通知"):
            actions.do_receive_notification(
                notification(organ_kind="police", organ_name="思明公安分局", ground="compulsory"),
                centre=self.centre,
                actor=self.sm_handler,
            )
        with self.assertRaisesMessage(ValidationError, "涉嫌罪名"):
            actions.do_receive_notification(
                notification(charge=" "), centre=self.centre, actor=self.sm_handler
            )
        with self.assertRaises(PermissionDenied):
            actions.do_receive_notification(notification(), centre=self.centre, actor=self.hl_handler)
        self.assertFalse(Notification.objects.exists())

    def test_the_console_registers_a_notification_and_lists_it_with_its_deadline(self) -> None:
        client = Client()
        client.force_login(self.sm_handler)
        page = client.get(reverse("legalaid:notifications")).content.decode()
        self.assertIn(reverse("legalaid:notification_add", args=[self.centre.pk]), page)
        body = {
            "organ_kind": "procuratorate",
            "organ_name": "思明区人民检察院",
            "reference_no": "思检刑诉〔2025〕7号",
            "ground": "disabled",
            "person_name": "林大海",
            "charge": "诈骗罪",
        }
        response = client.post(reverse("legalaid:notification_add", args=[self.centre.pk]), body)
        row = Notification.objects.get(reference_no="思检刑诉〔2025〕7号")
        self.assertRedirects(
            response, reverse("matters:detail", args=[row.matter_id]), fetch_redirect_response=False
        )
        panel = client.get(reverse("matters:detail", args=[row.matter_id])).content.decode()
        self.assertIn("通知辩护不审查经济困难状况", panel)
        self.assertIn('id="assign-form"', panel)
        listing = client.get(reverse("legalaid:notifications")).content.decode()
        self.assertIn("思检刑诉〔2025〕7号", listing)
        self.assertIn("林*海", listing)
        self.assertNotIn("林大海", listing)
        self.assertIn("待指派", listing)
        # No letter before a lawyer is assigned.
        self.assertEqual(client.get(reverse("legalaid:notification_letter", args=[row.pk])).status_code, 404)
        # Another district's centre neither sees it nor may register for this one.
        other = Client()
        other.force_login(self.hl_handler)
        self.assertNotIn("思检刑诉", other.get(reverse("legalaid:notifications")).content.decode())
        self.assertEqual(
            other.post(reverse("legalaid:notification_add", args=[self.centre.pk]), body).status_code, 404
        )


class NotificationApiTestCase(LegalAidTestCase):
    SECRET = "court-secret-0123456789"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # API throttle counts live in the shared cache, which other tests fill from the same address
        self.partner = NotifyingPartner.objects.create(
            name="测试人民法院", kind="court", centre=self.centre, key_id="test-court", secret=self.SECRET
        )

    def signed(self, body: bytes, secret: str | None = None) -> dict[str, str]:
        stamp = str(int(time.time()))
        return {
            "X-Partner": "test-court",
            "X-Timestamp": stamp,
            "X-Signature": signing.sign(secret or self.SECRET, stamp, body),
        }

    def test_a_court_notifies_through_the_signed_api_and_reads_back_the_assignment(self) -> None:
        body = json.dumps(
            {
                "reference_no": "（2025）测刑初9号",
                "ground": "absentia",
                "person_name": "赵某",
                "charge": "贪污罪",
            }
        ).encode()
        url = reverse("api:legalaid_notifications")
        bad = Client().post(url, body, content_type="application/json", headers=self.signed(body, "wrong"))
        self.assertEqual(bad.status_code, 401)
        first = Client().post(url, body, content_type="application/json", headers=self.signed(body))
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(first.json()["centre"], self.centre.name)
        self.assertFalse(first.json()["assigned"])
        again = Client().post(url, body, content_type="application/json", headers=self.signed(body))
        self.assertEqual(again.status_code, 200)
        row = Notification.objects.get(reference_no="（2025）测刑初9号")
        self.assertEqual(
            (row.organ_name, row.organ_kind, row.partner), ("测试人民法院", "court", self.partner)
        )

        a = actions.do_assign(row.matter_id, actor=self.sm_handler)
        outcome_url = reverse("api:legalaid_notification", args=["（2025）测刑初9号"])
        outcome = Client().get(outcome_url, headers=self.signed(b""))
        self.assertEqual(outcome.status_code, 200)
        self.assertTrue(outcome.json()["assigned"])
        self.assertEqual(outcome.json()["lawyer"], a.lawyer.practitioner.name)
        self.assertEqual(outcome.json()["firm"], a.firm.name)
        missing = Client().get(
            reverse("api:legalaid_notification", args=["无此号"]), headers=self.signed(b"")
        )
        self.assertEqual(missing.status_code, 404)

    def test_a_bad_body_is_a_clear_error_and_saves_nothing(self) -> None:
        body = json.dumps(
            {"reference_no": "x", "ground": "minor", "person_name": "", "charge": "盗窃"}
        ).encode()
        response = Client().post(
            reverse("api:legalaid_notifications"),
            body,
            content_type="application/json",
            headers=self.signed(body),
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Notification.objects.exists())


class StaffApiTestCase(LegalAidTestCase):
    def test_assign_and_advance_through_the_staff_api(self) -> None:
        from rest_framework.test import APIClient

        granted = self.apply()
        actions.do_decide(granted.pk, actor=self.sm_handler, grant=True, reasons="")
        api = APIClient()
        api.force_authenticate(self.sm_handler)
        response = api.post(
            reverse("api:legalaid_assign", args=[granted.pk]),
            {"case_type": "civil"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=next(KEYS),
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Matter.objects.get(pk=granted.pk).status, Matter.Status.IN_PROGRESS)
        self.assertIn("轮流指派", response.json()["rotation_note"])

        other = self.make_citizen("13711116666", seq="375")
        submitted = self.apply(other)
        bad = api.post(
            reverse("api:legalaid_advance", args=[submitted.pk]),
            {"case_type": "civil", "reason": "nothing"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=next(KEYS),
        )
        self.assertEqual(bad.status_code, 400)
        done = api.post(
            reverse("api:legalaid_advance", args=[submitted.pk]),
            {"case_type": "civil", "reason": "preservation", "materials_owed": "收入证明"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=next(KEYS),
        )
        self.assertEqual(done.status_code, 201, done.content)
        self.assertTrue(done.json()["advance"])
        # Another district's handler does not see the matter; a supervisor sees it but may not assign.
        outsider = APIClient()
        outsider.force_authenticate(self.hl_handler)
        third = self.apply(self.make_citizen("13711117777", seq="376"))
        self.assertEqual(
            outsider.post(
                reverse("api:legalaid_advance", args=[third.pk]),
                {"case_type": "civil", "reason": "limitation"},
                format="json",
                HTTP_IDEMPOTENCY_KEY=next(KEYS),
            ).status_code,
            404,
        )
        boss = APIClient()
        boss.force_authenticate(self.sm_supervisor)
        self.assertEqual(
            boss.post(
                reverse("api:legalaid_advance", args=[third.pk]),
                {"case_type": "civil", "reason": "limitation"},
                format="json",
                HTTP_IDEMPOTENCY_KEY=next(KEYS),
            ).status_code,
            403,
        )


class PartnerCommandTestCase(LegalAidTestCase):
    def test_a_partner_is_registered_once_with_a_secret_shown_once(self) -> None:
        import io

        from django.core.management import CommandError, call_command

        out = io.StringIO()
        call_command(
            "add_notifying_partner",
            "思明区人民检察院",
            "procuratorate",
            "sm-proc",
            self.centre.name,
            stdout=out,
        )
        partner = NotifyingPartner.objects.get(key_id="sm-proc")
        self.assertEqual((partner.kind, partner.centre), ("procuratorate", self.centre))
        self.assertIn(partner.secret, out.getvalue())
        with self.assertRaisesMessage(CommandError, "已登记"):
            call_command("add_notifying_partner", "思明区人民检察院", "procuratorate", "x", self.centre.name)
        with self.assertRaisesMessage(CommandError, "没有该名称的法律援助机构"):
            call_command("add_notifying_partner", "某法院", "court", "y", "思明区司法局")
