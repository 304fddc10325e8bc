"""第二十八条 decisions with their notice PDF, 失去联系 (第三十条), assessments and the end of correction."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from .. import actions
from ..models import Category, Decision, FileView, Subject, Task
from .base import MONDAY, CorrectionsTestCase, at, id_number


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


class DecisionTest(CorrectionsTestCase):
    def test_a_warning_is_the_bureaus_and_has_its_notice(self) -> None:
        subject = self.supervised()
        with self.assertRaises(PermissionDenied):
            actions.do_decide(subject.pk, kind="warning", facts="x", actor=self.officer)
        praise = actions.do_decide(
            subject.pk, kind="praise", facts="积极参加公益活动。", actor=self.officer, at=MONDAY
        )
        self.assertEqual((praise.number, praise.unit), ("矫表〔2025〕1号", self.office))
        warning = actions.do_decide(
            subject.pk,
            kind="warning",
            facts="2025年3月1日至3日无正当理由未按规定报告活动情况，经训诫仍不改正。",
            actor=self.sm_supervisor,
            at=MONDAY,
        )
        self.assertEqual((warning.number, warning.unit), ("矫警〔2025〕1号", self.bureau))
        if shutil.which("pdftotext") is None:
            self.skipTest("pdftotext (poppler-utils) is not installed")
        client = Client()
        client.force_login(self.officer)
        response = client.get(reverse("corrections:decision_pdf", args=[warning.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        for expected in (
            "社区矫正警告决定书",
            "矫警〔2025〕1号",
            "陈建华",
            "思明区司法局",
            "第二十八条",
            "决定给予警告",
            "陈述和",
        ):
            self.assertIn(expected, text)
        self.assertNotIn(subject.id_number, text)
        self.assertTrue(FileView.objects.filter(subject=subject, what__contains="矫警").exists())
        client.force_login(self.hl_supervisor)
        self.assertEqual(client.get(reverse("corrections:decision_pdf", args=[warning.pk])).status_code, 404)

    def test_facts_are_required(self) -> None:
        subject = self.supervised()
        with self.assertRaises(ValidationError):
            actions.do_decide(subject.pk, kind="admonition", facts="  ", actor=self.officer)
        self.assertFalse(Decision.objects.exists())

    def test_assessment_changes_the_category_and_the_next_items(self) -> None:
        subject = self.supervised()
        actions.do_assess(
            subject.pk,
            month=dt.date(2025, 3, 1),
            result="good",
            category=Category.LENIENT,
            note="",
            actor=self.officer,
        )
        subject.refresh_from_db()
        self.assertEqual(subject.category, Category.LENIENT)
        actions.generate_items(subject, at(2025, 3, 10, 8))
        self.assertTrue(subject.items.filter(kind="location", period_start=dt.date(2025, 3, 10)).exists())
        self.assertEqual(
            subject.items.get(kind="location", period_start=dt.date(2025, 3, 10)).due_at, at(2025, 3, 16, 20)
        )


class LostTest(CorrectionsTestCase):
    def test_out_of_contact_starts_a_search_at_once(self) -> None:
        subject = self.supervised()
        task = actions.do_mark_lost(
            subject.pk, facts="连续两日电话不通，家中无人。", actor=self.officer, at=at(2025, 3, 4, 9)
        )
        self.assertEqual((task.kind, task.status), (Task.Kind.SEARCH, Task.Status.OPEN))
        self.assertEqual(task.due_at, at(2025, 3, 4, 15, 30))  # four working hours (lunch break excluded)
        self.assertEqual(Subject.objects.get(pk=subject.pk).status, Subject.Status.LOST)
        with self.assertRaises(ValidationError):
            actions.do_close_task(task.pk, result="仍在查找", actor=self.officer)
        actions.do_found(subject.pk, note="在亲属家找到，已训诫。", actor=self.officer, at=at(2025, 3, 4, 15))
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSED)


class EndTest(CorrectionsTestCase):
    def test_release_only_after_the_term_and_only_by_the_bureau(self) -> None:
        subject = self.supervised()
        with self.assertRaises(PermissionDenied):
            actions.do_end(
                subject.pk, kind="released", reason="期满", on=dt.date(2025, 8, 24), actor=self.officer
            )
        with self.assertRaises(ValidationError):
            actions.do_end(
                subject.pk, kind="released", reason="期满", on=dt.date(2025, 8, 1), actor=self.sm_supervisor
            )
        ended = actions.do_end(
            subject.pk,
            kind="released",
            reason="矫正期满，宣告解除",
            on=dt.date(2025, 8, 24),
            actor=self.sm_supervisor,
        )
        self.assertEqual(ended.status, Subject.Status.RELEASED)
        self.assertFalse(ended.items.filter(status="pending").exists())
        with self.assertRaises(ValidationError):
            actions.do_check_in(subject.pk, actor=self.officer)
        client = Client()
        client.force_login(self.officer)
        response = client.get(reverse("corrections:ending_pdf", args=[subject.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        if shutil.which("pdftotext"):
            text = pdf_text(response.content)
            for expected in ("解除社区矫正证明书", "陈建华", "第四十四条", "2025年8月24日", "思明区司法局"):
                self.assertIn(expected, text)
        other = self.supervised(id_number=id_number(born="19700101", seq="998"), name="吴某")
        self.assertEqual(client.get(reverse("corrections:ending_pdf", args=[other.pk])).status_code, 404)


class ActivityTest(CorrectionsTestCase):
    def test_education_and_community_service_are_recorded_with_hours(self) -> None:
        subject = self.supervised()
        client = Client()
        client.force_login(self.officer)
        url = reverse("corrections:activity", args=[subject.pk])
        bad = client.post(
            url,
            {
                "activity-kind": "service",
                "activity-on": "2025-03-03",
                "activity-hours": "20",
                "activity-content": "清扫街道",
            },
        )
        self.assertContains(bad, "时长应在 0.5 至 12 小时之间", status_code=400)
        self.assertContains(bad, "清扫街道", status_code=400)
        ok = client.post(
            url,
            {
                "activity-kind": "service",
                "activity-on": "2025-03-03",
                "activity-hours": "3",
                "activity-content": "清扫街道",
            },
        )
        self.assertEqual(ok.status_code, 302)
        self.assertEqual([str(a) for a in subject.activities.all()], ["2025-03-03 公益活动 3.0"])
        client.force_login(self.sm_supervisor)
        self.assertEqual(
            client.post(
                url,
                {
                    "activity-kind": "education",
                    "activity-on": "2025-03-03",
                    "activity-hours": "2",
                    "activity-content": "法治教育",
                },
            ).status_code,
            403,
        )
