"""再犯罪 and 收监执行: recorded on the file, shown on it, and counted on the ratios page with the persons behind."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.resettlement import stats

from .. import actions
from ..models import EndCause, Subject
from .base import CorrectionsTestCase, id_number


class OutcomeTest(CorrectionsTestCase):
    def current(self, seq: str = "231") -> Subject:
        """A file supervised today (the ratios count this calendar year)."""
        today = timezone.localdate()
        subject = actions.do_take_over(
            self.data(
                id_number=id_number(seq=seq),
                effective_on=today - dt.timedelta(days=20),
                term_start=today - dt.timedelta(days=20),
                term_end=today + dt.timedelta(days=300),
            ),
            office_id=self.office.pk,
            actor=self.officer,
        )
        actions.do_report(subject.pk, where="bureau", actor=self.officer)
        return actions.do_report(subject.pk, where="office", actor=self.officer)

    def test_reoffence_and_imprisonment_are_recorded_and_counted(self) -> None:
        before = stats.office_counts([self.office])[self.office.pk]
        first, second = self.current("231"), self.current("232")
        today = timezone.localdate()
        with self.assertRaises(PermissionDenied):
            actions.do_record_reoffence(first.pk, on=today, facts="涉嫌盗窃罪", actor=self.sm_supervisor)
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_reoffence(
                first.pk, on=today + dt.timedelta(days=1), facts="x", actor=self.officer
            )
        self.assertEqual(caught.exception.message_dict["on"], ["日期不能晚于今天。"])
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("corrections:reoffence", args=[first.pk]),
            {"reoffence-on": today.isoformat(), "reoffence-facts": "涉嫌盗窃罪，已被公安机关立案侦查。"},
        )
        self.assertEqual(response.status_code, 302)
        first.refresh_from_db()
        self.assertEqual(first.reoffended_on, today)
        self.assertTrue(AuditEvent.objects.filter(action="corrections.reoffence").exists())
        page = client.get(reverse("corrections:detail", args=[first.pk]))
        self.assertContains(page, "涉嫌盗窃罪，已被公安机关立案侦查。")

        # The 司法局 ends the correction by 收监执行 (after the court's revocation).
        actions.do_end(
            first.pk,
            cause=EndCause.IMPRISONED,
            reason="法院裁定撤销缓刑",
            on=today,
            actor=self.bureau_officer,
        )
        first.refresh_from_db()
        self.assertEqual((first.status, first.end_cause), (Subject.Status.TERMINATED, EndCause.IMPRISONED))
        with self.assertRaises(ValidationError):
            actions.do_end(second.pk, cause="escaped", reason="x", on=today, actor=self.bureau_officer)

        after = stats.office_counts([self.office])[self.office.pk]
        self.assertEqual(after.corrected_this_year - before.corrected_this_year, 2)
        self.assertEqual(after.corrections_reoffended - before.corrections_reoffended, 1)
        self.assertEqual(after.imprisoned - before.imprisoned, 1)
        # The ratios page lists the persons behind the numbers.
        supervisor = Client()
        supervisor.force_login(self.sm_supervisor)
        rates = supervisor.get(reverse("resettlement:rates"))
        self.assertContains(rates, "本年再犯罪的社区矫正对象")
        self.assertContains(rates, first.file_no, count=2)  # in 再犯罪 and in 收监执行
        # A minor's identity stays hidden there from the supervisor.
        Subject.objects.filter(pk=first.pk).update(is_minor=True)
        rates = supervisor.get(reverse("resettlement:rates"))
        self.assertNotContains(rates, first.file_no)
        self.assertContains(rates, "未成年社区矫正对象（身份保密）")
