"""The monthly and yearly reports with the supervisor's text blocks (总体评价、存在问题、下步工作): written on the
report page (audited), printed in the PDF; the yearly report covers the year; another district's supervisor may
not write them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.insights import reports
from fawang.insights.models import ReportNote
from fawang.legalaid.tests.base import pdf_text
from fawang.regions.models import Region
from fawang.test import BaseTestCase

COUNTY = "350203"


class ReportTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.sm_supervisor)

    def test_the_supervisor_writes_the_monthly_text_and_it_is_printed(self) -> None:
        page = self.client.get(reverse("insights:report", args=[COUNTY]), {"month": "2026-01"})
        self.assertContains(page, "2026年1月月度报告")
        too_long = self.client.post(
            reverse("insights:report_note", args=[COUNTY]), {"month": "2026-01", "summary": "长" * 4001}
        )
        self.assertContains(too_long, "内容不能超过 4000 字", status_code=400)
        self.assertFalse(ReportNote.objects.exists())
        saved = self.client.post(
            reverse("insights:report_note", args=[COUNTY]),
            {
                "month": "2026-01",
                "summary": "本月服务总体平稳。",
                "problems": "农民工欠薪咨询增多。",
                "next_steps": "开展专项法律援助。",
            },
        )
        self.assertRedirects(saved, reverse("insights:report", args=[COUNTY]) + "?month=2026-01")
        note = ReportNote.objects.get()
        self.assertEqual(
            (note.kind, note.period_start, note.region_id), ("month", dt.date(2026, 1, 1), COUNTY)
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="insights.write_report", target_id=str(note.pk)).exists()
        )
        pdf = self.client.get(reverse("insights:report_pdf", args=[COUNTY]), {"month": "2026-01"})
        text = pdf_text(pdf.content).replace(" ", "")
        for words in ("月度报告", "本月服务总体平稳。", "农民工欠薪咨询增多。", "开展专项法律援助。"):
            self.assertIn(words, text)

    def test_the_yearly_report(self) -> None:
        year = timezone.localdate().year - 1
        self.client.post(
            reverse("insights:report_note", args=[COUNTY]), {"year": str(year), "summary": "全年任务完成。"}
        )
        note = ReportNote.objects.get()
        self.assertEqual((note.kind, note.period_start), ("year", dt.date(year, 1, 1)))
        pdf = self.client.get(reverse("insights:report_pdf", args=[COUNTY]), {"year": str(year)})
        self.assertEqual(pdf["Content-Disposition"], f'attachment; filename="report-{COUNTY}-{year}.pdf"')
        text = pdf_text(pdf.content).replace(" ", "")
        self.assertIn("年度报告", text)
        self.assertIn("全年任务完成。", text)
        self.assertIn(f"{year}年1月1日至{year}年12月31日", text)
        xlsx = self.client.get(reverse("insights:report_xlsx", args=[COUNTY]), {"year": str(year)})
        self.assertIn(f"insights-{COUNTY}-{year}0101.xlsx", xlsx["Content-Disposition"])

    def test_another_districts_supervisor_may_not_write(self) -> None:
        period = reports.report_period({"month": "2026-01"})[1]
        with self.assertRaises(PermissionDenied):
            reports.save_note(
                actor=self.hl_supervisor,
                region=Region.objects.get(code=COUNTY),
                kind="month",
                period=period,
                texts={"summary": "越权"},
            )
        self.client.force_login(self.hl_supervisor)
        response = self.client.post(
            reverse("insights:report_note", args=[COUNTY]), {"month": "2026-01", "summary": "越权"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ReportNote.objects.exists())
