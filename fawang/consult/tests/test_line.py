"""Consultation is a business line on the seam (fawang.matters.lines): answering accepts it, intake classifies its
topic, its thread and 已解决 live in fawang.consult, and matters holds no consultation branch of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.urls import reverse

from fawang.consult.line import LINE
from fawang.matters import actions, lines
from fawang.matters.models import MatterEvent
from fawang.matters.tests.base import MatterTestCase

ROOT = Path(__file__).resolve().parents[3]


class ConsultLineTestCase(MatterTestCase):
    def test_answering_a_consultation_accepts_it_only_while_the_line_is_registered(self) -> None:
        asked = self.submit(self.consultation, description="公司拖欠工资怎么办？")
        actions.do_comment(asked.pk, actor=self.sm_clerk, text="可以申请劳动仲裁。", visible=True)
        self.assertEqual(self.reload(asked).status, "accepted")
        self.assertIn(MatterEvent.Action.ACCEPT, self.events(asked))

        lines.unregister(LINE.code)
        self.addCleanup(lines.register, LINE)
        other = self.submit(self.consultation, description="邻居装修噪音扰民怎么办？")
        actions.do_comment(other.pk, actor=self.sm_clerk, text="可以先找物业协调。", visible=True)
        self.assertEqual(self.reload(other).status, "submitted")

    def test_the_supervisors_page_shows_the_lines_card(self) -> None:
        self.client.force_login(self.sm_supervisor)
        self.assertContains(self.client.get(reverse("matters:supervision")), "咨询热点（近 30 日）")
        lines.unregister(LINE.code)
        self.addCleanup(lines.register, LINE)
        self.assertNotContains(self.client.get(reverse("matters:supervision")), "咨询热点")

    def test_matters_views_notices_and_pdfs_hold_no_consultation_branch(self) -> None:
        found = subprocess.run(
            [
                "git",
                "grep",
                "-n",
                "-e",
                "CONSULTATION",
                "-e",
                "is_consultation",
                "-e",
                "threads",
                "-e",
                "suggestions",
                "-e",
                "咨询",
                "--",
                "fawang/matters/notices.py",
                "fawang/matters/pdf.py",
                "fawang/matters/views",
                "fawang/matters/forms.py",
                "fawang/matters/permissions.py",
                "fawang/matters/actions",
                "templates/pdf",
                "templates/matters/_detail.html",
                "templates/matters/supervision.html",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        self.assertEqual(found.stdout, "")
