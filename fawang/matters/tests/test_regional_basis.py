"""Issue 14, item 7: policy references belong to their region. A 思明区 receipt cites 厦司〔2019〕43号 (厦门市) and
never 仙政办〔2017〕134号 (仙游县); a 仙游县 receipt the other way round; a region with neither cites neither."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from fawang.catalog.models import RegionalBasis

from .. import pdf
from .base import MatterTestCase

XIAMEN_DOC = "厦司〔2019〕43号"
XIANYOU_DOC = "仙政办〔2017〕134号"


class RegionalBasisTestCase(MatterTestCase):
    def receipt(self, region: str) -> str:
        matter = self.submit(self.consultation, region=region, intake_unit=self.sm_centre)
        return pdf.render_html(pdf.RECEIPT, matter, RequestFactory().get("/"))

    def test_the_items_own_basis_holds_no_local_document(self) -> None:
        self.consultation.refresh_from_db()
        self.assertNotIn(XIAMEN_DOC, self.consultation.legal_basis)
        self.assertNotIn(XIANYOU_DOC, self.consultation.legal_basis)
        self.assertEqual(
            RegionalBasis.for_region(self.consultation, "350203001"),
            ["厦司〔2019〕43号 第（四）项（“3+X”基本职能：法律咨询）。"],
        )
        self.assertEqual(
            RegionalBasis.for_region(self.consultation, "350322"), ["仙政办〔2017〕134号 二（一）。"]
        )

    def test_a_siming_receipt_cites_xiamen_documents_only(self) -> None:
        html = self.receipt("350203001")
        self.assertIn(XIAMEN_DOC, html)
        self.assertNotIn(XIANYOU_DOC, html)

    def test_a_xianyou_receipt_cites_xianyou_documents_only(self) -> None:
        html = self.receipt("350322")
        self.assertIn(XIANYOU_DOC, html)
        self.assertNotIn(XIAMEN_DOC, html)

    def test_a_region_with_no_local_document_cites_none(self) -> None:
        html = self.receipt("350102")
        self.assertNotIn(XIAMEN_DOC, html)
        self.assertNotIn(XIANYOU_DOC, html)

    def test_the_guide_names_the_region_of_each_local_document(self) -> None:
        page = self.client.get(reverse("info:guide", args=["consultation"]))
        self.assertContains(page, "福建省厦门市：厦司〔2019〕43号 第（四）项")
        self.assertContains(page, "福建省莆田市仙游县：仙政办〔2017〕134号 二（一）。")
