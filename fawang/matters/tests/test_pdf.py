"""PDF notices: 受理回执, 办结告知书, 补正告知书 for staff (scoped like the matter) and the result notice for the
person. The text is read back from the PDF bytes with poppler's pdftotext (bin/system-deps installs it), and the
laid-out WeasyPrint document is inspected too, so the CJK font check does not depend on poppler."""

from __future__ import annotations

import shutil
import subprocess
import time
from typing import Any

from django.test import RequestFactory
from django.urls import reverse

from fawang.accounts.models import User

from .. import actions, pdf
from ..models import Matter
from .base import MONDAY, MatterTestCase, at

CJK_FAMILIES = {"Noto Sans CJK SC", "Noto Serif CJK SC"}


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_fonts(data: bytes) -> str:
    # pdffonts reads a file, not stdin.
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdffonts", f.name], capture_output=True, check=True).stdout.decode()


def document_text(document: Any) -> str:
    from weasyprint.formatting_structure import boxes

    return "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )


class PdfTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.matter = self.submit(person=self.person(name="李四"))

    def get(self, name: str, matter: Matter | None = None) -> Any:
        return self.client.get(reverse(f"matters_pdf:{name}", args=[(matter or self.matter).pk]))

    def assert_pdf(self, response: Any) -> bytes:
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertTrue(response.content.startswith(b"%PDF"))
        return bytes(response.content)

    def read(self, data: bytes) -> str:
        if shutil.which("pdftotext") is None:
            self.skipTest("pdftotext (poppler-utils) is not installed: run bin/system-deps")
        return pdf_text(data)

    def test_the_receipt_is_a_pdf_in_chinese_with_an_embedded_cjk_font(self) -> None:
        self.client.force_login(self.sm_clerk)
        data = self.assert_pdf(self.get("receipt"))
        text = self.read(data)
        person = self.matter.person
        for expected in (
            "受理回执",
            self.matter.tracking_no,
            "思明区法律援助中心",
            "李四",
            person.id_number_masked,
            "法律援助申请",
            "《中华人民共和国法律援助法》第四十三条第一款",
            "第 1 页，共 1 页",
        ):
            self.assertIn(expected, text)
        self.assertNotIn(person.id_number, text)
        fonts = pdf_fonts(data)
        self.assertRegex(fonts, r"Noto-(Sans|Serif)-CJK-SC")

    def test_the_laid_out_document_uses_the_cjk_fonts_and_links_the_tracking_page(self) -> None:
        request = RequestFactory().get("/")
        document = pdf.render_document(pdf.RECEIPT, self.matter, request)
        text = document_text(document)
        self.assertIn(self.matter.tracking_no, text)
        self.assertIn("思明区法律援助中心", text)
        document.write_pdf()  # fonts are collected while writing
        families = {font.family for font in document.fonts.values()}
        self.assertTrue(families & CJK_FAMILIES, families)
        html = pdf.render_html(pdf.RECEIPT, self.matter, request)
        self.assertIn("<svg", html)
        self.assertEqual(
            pdf.track_url(request, self.matter.tracking_no),
            f"http://testserver/track/?no={self.matter.tracking_no}",
        )

    def test_the_result_notice_exists_once_the_matter_is_completed(self) -> None:
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.get("result").status_code, 404)
        actions.do_accept(self.matter.pk, actor=self.sm_handler, now=MONDAY)
        actions.do_complete(self.matter.pk, actor=self.sm_handler, result="已调解结案。", now=at(2025, 3, 20))
        text = self.read(self.assert_pdf(self.get("result")))
        for expected in (
            "办结告知书",
            self.matter.tracking_no,
            "思明区法律援助中心",
            "已调解结案。",
            "2025年3月20日",
        ):
            self.assertIn(expected, text)

    def test_the_materials_notice_lists_everything_missing_at_once(self) -> None:
        self.client.force_login(self.sm_handler)
        self.assertEqual(self.get("materials").status_code, 404)
        missing = ["经济困难状况说明", "劳动合同", "工资条"]
        actions.do_request_materials(self.matter.pk, actor=self.sm_handler, missing=missing, now=MONDAY)
        text = self.read(self.assert_pdf(self.get("materials")))
        self.assertIn("补正告知书", text)
        self.assertIn(self.matter.tracking_no, text)
        for i, name in enumerate(missing, 1):
            self.assertRegex(text, rf"{i}\.\s+{name}")
        due = self.reload(self.matter).materials_due_at
        assert due is not None
        self.assertIn(pdf.date_cn(due), text)
        self.assertIn("逾期未补正的，视为撤回申请。", text)

    def test_staff_of_another_district_and_the_public_get_404(self) -> None:
        actions.do_request_materials(self.matter.pk, actor=self.sm_handler, missing=["身份证明"], now=MONDAY)
        for user in (self.hl_clerk, self.hl_supervisor, self.citizen):
            self.client.force_login(user)
            for name in ("receipt", "result", "materials"):
                with self.subTest(user=user.username, pdf=name):
                    self.assertEqual(self.get(name).status_code, 404)
        self.client.logout()
        response = self.get("receipt")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_the_person_downloads_the_result_of_their_tracked_matter(self) -> None:
        session = self.client.session
        session["track_grants"] = {self.matter.tracking_no: time.time() + 600}
        session.save()
        url = reverse("track:result_pdf", args=[self.matter.tracking_no])
        self.assertEqual(self.client.get(url).status_code, 404)  # not completed yet
        actions.do_accept(self.matter.pk, actor=self.sm_handler, now=MONDAY)
        actions.do_complete(self.matter.pk, actor=self.sm_handler, result="已办结。", now=at(2025, 3, 20))
        text = self.read(self.assert_pdf(self.client.get(url)))
        self.assertIn(self.matter.tracking_no, text)
        self.assertIn("思明区法律援助中心", text)


class HandlerOfRecordTestCase(MatterTestCase):
    def assert_pdf_response(self, response: Any) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))

    """Issue 14, item 5: whoever completes a matter nobody was assigned to is its handler of record (承办人), and
    the 办结告知书 of a consultation carries the answers given and the legal basis cited."""

    def test_completing_an_unassigned_matter_makes_the_completer_its_handler(self) -> None:
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        self.assertIsNone(Matter.objects.get(pk=matter.pk).handler)
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已给予法律援助。", now=at(2025, 3, 5))
        done = Matter.objects.get(pk=matter.pk)
        self.assertEqual(done.handler, self.sm_handler)
        event = done.events.get(action="complete")
        self.assertEqual(event.payload, {"handler": self.sm_handler.pk, "handler_of_record": True})
        self.client.force_login(self.sm_handler)
        detail = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertNotContains(detail, "未分派")

    def test_an_assigned_handler_stays(self) -> None:
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY)
        actions.do_complete(matter.pk, actor=self.sysadmin, result="已办结。", now=at(2025, 3, 5))
        self.assertEqual(Matter.objects.get(pk=matter.pk).handler, self.sm_handler)

    def test_the_result_notice_of_a_consultation_has_the_answer_and_its_legal_basis(self) -> None:
        import tempfile
        from pathlib import Path

        from fawang.consult.legal_basis import do_add_article
        from fawang.knowledge.tests.sample import import_sample

        laws = Path(tempfile.mkdtemp(prefix="fawang-laws-"))
        self.addCleanup(shutil.rmtree, laws, True)
        import_sample(laws)
        matter = self.submit(self.consultation, actor=self.sm_clerk, intake_unit=self.sm_centre)
        clerk = self.sm_clerk
        actions.do_comment(
            matter.pk, actor=clerk, text="可以向劳动争议仲裁委员会申请仲裁，时效一年。", visible=True
        )
        do_add_article(matter.pk, "《中华人民共和国法律援助法》第四十三条", actor=clerk)
        handler = User.objects.get(username="sm_consultant")
        self.client.force_login(handler)
        actions.do_complete(matter.pk, actor=handler, result="已答复。", now=at(2025, 3, 5))
        self.assertEqual(Matter.objects.get(pk=matter.pk).handler, handler)
        self.assert_pdf_response(self.client.get(reverse("matters_pdf:result", args=[matter.pk])))
        done = Matter.objects.get(pk=matter.pk)
        text = "".join(document_text(pdf.result_document(done, RequestFactory().get("/"))).split())
        self.assertIn("已答复。", text)
        self.assertIn("答复内容：可以向劳动争议仲裁委员会申请仲裁，时效一年。", text)
        self.assertIn("法律依据：《中华人民共和国法律援助法》第四十三条", text)
