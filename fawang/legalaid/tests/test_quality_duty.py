"""Quality management (法律援助法 第五十九条: 庭审旁听、案卷检查、征询司法机关意见、回访受援人) feeding the check of
the closed case; duty lawyers (值班律师, 第十四条、第三十条): stations, shifts and the log of help given, in the
statistics; the objection review period of 第四十九条 as the statute has it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fawang.calendar.workdays import is_workday

from .. import actions, stats
from ..models import Assignment, DutyLog, DutyStation, QualityRecord
from .base import LegalAidTestCase


class QualityTestCase(LegalAidTestCase):
    def closed_case(self) -> Assignment:
        matter = self.apply()
        actions.do_decide(matter.pk, actor=self.sm_handler, grant=True, reasons="")
        a = actions.do_assign(matter.pk, actor=self.sm_handler, case_type="civil")
        actions.do_accept_case(a.pk, actor=None)
        actions.do_close_case(a.pk, actor=None, outcome="won", note="胜诉。")
        return a

    def test_hearing_opinion_and_visit_scores_make_the_check_score(self) -> None:
        a = self.closed_case()
        today = timezone.localdate()
        client = Client()
        client.force_login(self.sm_handler)
        for kind, score, source in (
            ("hearing", 80, "思明区人民法院第三法庭"),
            ("opinion", 90, "思明区人民法院"),
            ("visit", 100, "受援人本人"),
        ):
            response = client.post(
                reverse("legalaid:case_quality", args=[a.pk]),
                {
                    "kind": kind,
                    "happened_on": today.isoformat(),
                    "score": score,
                    "source": source,
                    "note": "良好",
                },
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(QualityRecord.objects.filter(assignment=a).count(), 3)
        page = client.get(reverse("legalaid:case", args=[a.pk])).content.decode()
        for word in ("庭审旁听", "征询办案机关意见", "回访受援人", "平均 90 分"):
            self.assertIn(word, page)
        # The firm keeps its own log but does not grade itself.
        firm = Client()
        firm.force_login(self.firm_user(a.firm))
        denied = firm.post(
            reverse("legalaid:case_quality", args=[a.pk]),
            {"kind": "visit", "happened_on": today.isoformat(), "score": 100, "note": "自评"},
        )
        self.assertEqual(denied.status_code, 403)
        # The check without a score of its own takes the mean of the records; the subsidy follows.
        actions.do_check_case(a.pk, actor=self.sm_handler, passed=True, note="合格")
        a.refresh_from_db()
        self.assertEqual((a.status, a.quality_score), (Assignment.Status.CHECKED, 90))
        self.assertTrue(hasattr(a, "subsidy"))
        today = timezone.localdate()
        figures = stats.compute(self.sm_handler, today - dt.timedelta(days=1), today + dt.timedelta(days=1))
        self.assertIn(("回访受援人", 1, 100.0), figures.quality_by_kind)
        with self.assertRaisesMessage(ValidationError, "不能再记录"):
            actions.do_add_quality(
                a.pk, actor=self.sm_handler, kind="visit", happened_on=today, score=90, note="x"
            )

    def test_bad_quality_input_is_refused(self) -> None:
        a = self.closed_case()
        with self.assertRaisesMessage(ValidationError, "0 到 100"):
            actions.do_add_quality(
                a.pk,
                actor=self.sm_handler,
                kind="visit",
                happened_on=timezone.localdate(),
                score=101,
                note="x",
            )
        with self.assertRaisesMessage(ValidationError, "不能晚于今天"):
            actions.do_add_quality(
                a.pk, actor=self.sm_handler, kind="hearing", happened_on=self.tomorrow(), score=80, note="x"
            )
        with self.assertRaises(PermissionDenied):
            actions.do_add_quality(
                a.pk,
                actor=self.hl_handler,
                kind="visit",
                happened_on=timezone.localdate(),
                score=80,
                note="x",
            )
        self.assertFalse(QualityRecord.objects.exists())


class DutyLawyerTestCase(LegalAidTestCase):
    def test_stations_shifts_and_the_log_of_help_given(self) -> None:
        client = Client()
        client.force_login(self.sm_handler)
        response = client.post(
            reverse("legalaid:station_add", args=[self.centre.pk]),
            {"kind": "detention", "name": "测试看守所工作站"},
        )
        self.assertEqual(response.status_code, 302)
        station = DutyStation.objects.get(name="测试看守所工作站")
        lawyer = next(r for r in self.roster() if r.practitioner.kind == "lawyer")
        today = timezone.localdate()
        client.post(
            reverse("legalaid:shift_add", args=[station.pk]),
            {"licence_no": lawyer.practitioner.licence_no, "on": today.isoformat()},
        )
        shift = station.shifts.get()
        self.assertEqual(shift.lawyer, lawyer)
        # Nobody outside the roster, and no day in the past.
        with self.assertRaisesMessage(ValidationError, "名册中没有"):
            actions.do_add_shift(actor=self.sm_handler, station=station, licence_no="无此证号", on=today)
        with self.assertRaisesMessage(ValidationError, "过去"):
            actions.do_add_shift(
                actor=self.sm_handler,
                station=station,
                licence_no=lawyer.practitioner.licence_no,
                on=today - dt.timedelta(days=1),
            )
        client.post(
            reverse("legalaid:duty_log", args=[shift.pk]),
            {
                "person_name": "黄志强",
                "charge": "危险驾驶罪",
                "help_kinds": ["consultation", "procedure"],
                "advice": "告知认罪认罚从宽制度，建议适用速裁程序。",
            },
        )
        log = DutyLog.objects.get(shift=shift)
        self.assertEqual(log.help_kinds, ["consultation", "procedure"])
        page = client.get(reverse("legalaid:duty")).content.decode()
        self.assertIn("黄*强", page)
        self.assertNotIn("黄志强", page)
        self.assertIn("程序选择建议", page)
        with self.assertRaisesMessage(ValidationError, "法律帮助类别"):
            actions.do_log_duty(
                shift.pk, actor=self.sm_handler, person_name="某", charge="", help_kinds=[], advice="x"
            )
        # Another district's centre sees none of it and may not write to it.
        other = Client()
        other.force_login(self.hl_handler)
        self.assertNotIn("测试看守所工作站", other.get(reverse("legalaid:duty")).content.decode())
        self.assertEqual(
            other.post(reverse("legalaid:duty_log", args=[shift.pk]), {"person_name": "x"}).status_code, 404
        )
        figures = stats.compute(self.sm_handler, today, today)
        self.assertEqual(figures.duty_logs, 1)
        self.assertIn(("程序选择建议", 1), figures.duty_by_kind)
        self.assertIn(("申请变更强制措施", 0), figures.duty_by_kind)
        # Per region: 思明区 has it, 湖里区 has none of it.
        self.assertEqual(stats.compute(self.sm_handler, today, today, self.region("350203")).duty_logs, 1)
        self.assertEqual(stats.compute(self.sysadmin, today, today, self.region("350206")).duty_logs, 0)
        page = client.get(reverse("legalaid:statistics"), {"region": "350203"}).content.decode()
        self.assertIn("思明区", page)
        refused = client.get(reverse("legalaid:statistics"), {"region": "350206"}, follow=True)
        self.assertIn("不在您的辖区内", refused.content.decode())


class ObjectionPeriodTestCase(LegalAidTestCase):
    def test_the_bureau_has_five_days_from_receipt_and_the_person_no_deadline(self) -> None:
        matter = self.apply()
        d = actions.do_decide(matter.pk, actor=self.sm_handler, grant=False, reasons="收入高于标准。")
        self.assertIsNone(d.objection_due)
        # Long after the decision the person may still object: 第四十九条 sets no time limit.
        later = timezone.now() + dt.timedelta(days=40)
        objection = actions.do_file_objection(d.pk, actor=self.user, reasons="收入计算有误。", now=later)
        due = timezone.localdate(objection.due_at)
        filed = timezone.localdate(later)
        self.assertGreaterEqual(due, filed + dt.timedelta(days=5))
        self.assertTrue(is_workday(due))
        # Moved only past rest days: every day between the fifth and the due day is a rest day.
        day = filed + dt.timedelta(days=5)
        while day < due:
            self.assertFalse(is_workday(day))
            day += dt.timedelta(days=1)
