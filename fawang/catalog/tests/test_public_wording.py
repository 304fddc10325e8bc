"""Issue 14, items 8 and 9: what the catalogue prints on public pages and receipts.

8. "本平台服务承诺（可由管理员调整）" — a note for administrators — was printed on every guide and receipt.
9. The guides of 公证, 司法鉴定 and 律师服务 said 收费标准 免费; they name the official fee basis now.
"""

from __future__ import annotations

import importlib
import re
import subprocess
from html import unescape

from django.apps import apps
from django.urls import reverse

from fawang.catalog.models import ServiceItem
from fawang.matters.tests.base import MatterTestCase
from fawang.test import BaseTestCase

NOTE = "可由管理员调整"


def fees_shown(html: str) -> str:
    """The text of the guide's 收费标准 entry."""
    match = re.search(r"<dt>收费标准</dt><dd>(.*?)</dd>", html, flags=re.S)
    assert match, "no 收费标准 on the page"
    return unescape(match.group(1)).strip()


class CommitmentWordingTestCase(BaseTestCase):
    def test_no_guide_prints_the_note_for_administrators(self) -> None:
        items = list(ServiceItem.objects.active())
        self.assertGreater(len(items), 10)
        self.assertNotContains(self.client.get(reverse("info:guides")), NOTE)
        for item in items:
            with self.subTest(item=item.code):
                r = self.client.get(reverse("info:guide", args=[item.code]))
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(r, NOTE)
        # The commitments are still named as such, beside their limit.
        r = self.client.get(reverse("info:guide", args=["consultation"]))
        self.assertContains(r, "本平台服务承诺：一般咨询即时解答，疑难咨询 3 个工作日内答复")
        self.assertContains(r, "本平台服务承诺：网上、热线提出的疑难咨询 3 个工作日内答复，答复即受理")

    def test_the_migration_keeps_what_an_admin_wrote_around_the_note(self) -> None:
        ServiceItem.objects.filter(code="mediation").update(
            accept_basis="本平台服务承诺（可由管理员调整）；另见本局通知"
        )
        module = importlib.import_module("fawang.catalog.migrations.0004_service_commitment_wording")
        module.drop_admin_note(apps, None)
        self.assertEqual(
            ServiceItem.objects.get(code="mediation").accept_basis, "本平台服务承诺；另见本局通知"
        )


class ReceiptWordingTestCase(MatterTestCase):
    def test_the_consultation_receipt_names_the_commitment_without_the_note(self) -> None:
        matter = self.submit(self.consultation, description="邻居占用楼道，想咨询怎么处理。")
        self.client.force_login(self.sm_clerk)
        r = self.client.get(reverse("matters_pdf:receipt", args=[matter.pk]))
        self.assertEqual(r.status_code, 200)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True
        ).stdout.decode()
        flat = re.sub(r"\s+", "", text)
        self.assertIn("本平台服务承诺：一般咨询即时解答", flat)
        self.assertNotIn(NOTE, flat)


class FeeBasisTestCase(BaseTestCase):
    def test_paid_services_name_their_fee_basis(self) -> None:
        expected = {
            "notary": [
                "公证法 第三十四条、第四十六条",
                "价格主管部门会同同级司法行政部门",
                "减收或者免收公证费",
            ],
            "appraisal": ["司法鉴定收费标准", "减收或者免收鉴定费", "法律援助法 第五十三条"],
            "lawyer": ["《律师服务收费管理办法》", "律师法 第二十五条", "法律援助"],
        }
        for code, phrases in expected.items():
            with self.subTest(item=code):
                shown = fees_shown(self.client.get(reverse("info:guide", args=[code])).content.decode())
                self.assertNotEqual(shown, "免费")
                for phrase in phrases:
                    self.assertIn(phrase, shown)

    def test_free_services_still_say_free(self) -> None:
        for code in ("legal_aid", "mediation", "consultation"):
            with self.subTest(item=code):
                shown = fees_shown(self.client.get(reverse("info:guide", args=[code])).content.decode())
                self.assertEqual(shown, "免费")

    def test_the_index_says_paid_services_charge_by_the_rules(self) -> None:
        html = self.client.get(reverse("info:guides")).content.decode()
        card = re.search(r"公证办理</a></h3>.*?</li>", html, flags=re.S)
        assert card
        self.assertIn("按规定收费", card.group(0))
        self.assertNotIn("免费", card.group(0))

    def test_an_admins_own_fee_text_survives_the_migration(self) -> None:
        ServiceItem.objects.filter(code="notary").update(guide_fees="按闽价规定收费")
        ServiceItem.objects.filter(code="lawyer").update(guide_fees="免费")
        module = importlib.import_module("fawang.catalog.migrations.0005_fee_basis_of_paid_services")
        module.name_the_fee_basis(apps, None)
        self.assertEqual(ServiceItem.objects.get(code="notary").guide_fees, "按闽价规定收费")
        self.assertIn("律师服务收费管理办法", ServiceItem.objects.get(code="lawyer").guide_fees)
