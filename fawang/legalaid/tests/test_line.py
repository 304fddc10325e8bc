"""Legal aid is a business line on the seam (fawang.matters.lines): its decisions reach the person in the words of
the 法律援助法 and its notices carry its articles, while matters itself holds no legal-aid branch."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.test import RequestFactory

from fawang.matters import actions, lines, pdf
from fawang.matters.models import Matter
from fawang.matters.tests.base import MatterTestCase

ROOT = Path(__file__).resolve().parents[3]


class LegalAidLineTestCase(MatterTestCase):
    def sms(self, matter: Matter, kind: str) -> str:
        return next(m.body for m in self.messages(matter, kind) if m.channel == "sms")

    def test_the_decisions_are_told_in_the_words_of_the_law_for_legal_aid_only(self) -> None:
        aid = self.submit()
        actions.do_accept(aid.pk, actor=self.sm_handler)
        self.assertIn("决定给予法律援助", self.sms(aid, "matter.accepted"))
        refused = self.submit()
        actions.do_reject(refused.pk, actor=self.sm_handler, reason="家庭收入高于经济困难标准。")
        body = self.sms(refused, "matter.rejected")
        self.assertIn("决定不予法律援助。理由：家庭收入高于经济困难标准。", body)
        self.assertIn("第四十九条", body)

        mediation = self.submit(self.mediation)
        actions.do_reject(mediation.pk, actor=None, reason="不属于受理范围。")
        self.assertNotIn("legal_aid", [line.code for line in lines.lines_of(mediation)])
        self.assertIn("legal_aid", [line.code for line in lines.lines_of(aid)])
        self.assertNotIn("法律援助", self.sms(mediation, "matter.rejected"))
        self.assertIn("不予受理。理由：不属于受理范围。", self.sms(mediation, "matter.rejected"))

    def test_the_notices_carry_the_lines_notes(self) -> None:
        request = RequestFactory().get("/")
        aid = self.submit()
        actions.do_request_materials(aid.pk, actor=self.sm_handler, missing=["身份证明"])
        aid = self.reload(aid)
        event = pdf.materials_request(aid)
        assert event is not None
        html = pdf.render_html(pdf.MATERIALS, aid, request, **pdf.materials_context(aid, event))
        self.assertIn("第四十三条第二款", html)
        other = self.submit(self.mediation)
        self.assertNotIn("法律援助法", pdf.render_html(pdf.RESULT, other, request))
        self.assertIn("第四十九条", pdf.render_html(pdf.RESULT, aid, request))

    def test_matters_notices_and_pdfs_hold_no_legal_aid_branch(self) -> None:
        found = subprocess.run(
            [
                "git",
                "grep",
                "-n",
                "-i",
                "-e",
                "legal_aid",
                "-e",
                "LEGAL_AID",
                "-e",
                "法律援助法",
                "--",
                "fawang/matters/notices.py",
                "fawang/matters/pdf.py",
                "fawang/matters/views",
                "templates/pdf",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        self.assertEqual(found.stdout, "")
