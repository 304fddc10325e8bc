"""The advisor's work: logging a day on the console, the committee's confirmation by code, scoping, missed days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.notify.models import Message

from .. import actions
from ..models import CommitteeContact, ConfirmationCode, MissedDay, ServiceDay, WorkLog
from .base import AdvisorsTestCase


class LogWorkTestCase(AdvisorsTestCase):
    def post_log(self, **data: object) -> Any:
        self.client.force_login(self.advisor)
        prefix = f"a{self.assignment.pk}-"
        body = {
            "date": self.today().isoformat(),
            "kind": "fixed",
            "hours": "2.5",
            "consultations": 3,
            "disputes_mediated": 1,
            "documents_reviewed": 2,
            "talks": 0,
            "audience": 0,
            "summary": "",
            "tracking_nos": "",
        }
        body.update(data)
        response = self.client.post(
            reverse("advisors:log_add", args=[self.assignment.pk]), {prefix + k: v for k, v in body.items()}
        )
        return response

    def test_the_advisor_logs_a_day_and_the_committee_gets_a_code(self) -> None:
        response = self.post_log(summary="为村委会审查土地承包合同。")
        log = WorkLog.objects.get(assignment=self.assignment, date=self.today())
        self.assertRedirects(response, reverse("advisors:log", args=[log.pk]))
        self.assertEqual(
            (log.hours, log.consultations, log.disputes_mediated, log.documents_reviewed, log.status),
            (Decimal("2.5"), 3, 1, 2, WorkLog.Status.SUBMITTED),
        )
        self.assertEqual(log.room, self.assignment.room)
        self.assertTrue(AuditEvent.objects.filter(action="advisors.log_work", target_id=str(log.pk)).exists())
        contact = CommitteeContact.objects.get(region=self.assignment.region)
        message = Message.objects.get(kind="otp.advisor_confirm", related_id=str(log.pk))
        self.assertEqual((message.channel, message.phone, message.sensitive), ("sms", contact.phone, True))
        self.assertIn(reverse("advisors_public:confirm", args=[log.ref]), message.body)
        page = self.client.get(reverse("advisors:my_work"))
        self.assertContains(page, "待村委会确认")

    def test_the_my_work_page_shows_the_schedule_and_upcoming_days(self) -> None:
        self.client.force_login(self.advisor)
        page = self.client.get(reverse("advisors:my_work"))
        self.assertContains(page, self.assignment.region.name)
        # The date field is filled with today in the format a phone's date picker reads.
        self.assertContains(
            page, f'type="date" name="a{self.assignment.pk}-date" value="{self.today().isoformat()}"'
        )
        self.assertContains(page, "定点驻村 星期三 09:00-11:30")

    def test_a_second_log_of_the_same_day_is_refused_and_the_form_kept(self) -> None:
        self.post_log()
        response = self.post_log(hours="3", summary="第二次")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "的工作日志已经填报过了", status_code=400)
        self.assertContains(response, "第二次", status_code=400)
        self.assertEqual(WorkLog.objects.filter(assignment=self.assignment).count(), 1)

    def test_bad_input_answers_in_chinese(self) -> None:
        tomorrow = self.today() + dt.timedelta(days=1)
        self.assertContains(self.post_log(date=tomorrow.isoformat()), "服务日期不能晚于今天", status_code=400)
        old = self.today() - dt.timedelta(days=30)
        self.assertContains(self.post_log(date=old.isoformat()), "只能填报 7 天内的服务", status_code=400)
        self.assertContains(self.post_log(hours="0"), "0.5", status_code=400)
        self.assertContains(self.post_log(tracking_nos="ZZ000"), "找不到事项：ZZ000", status_code=400)
        self.assertContains(self.post_log(audience=30), "没有讲座时受众人次应为 0", status_code=400)
        self.assertFalse(WorkLog.objects.filter(assignment=self.assignment).exists())

    def test_only_the_appointed_advisor_logs(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.log_work(
                self.assignment.pk,
                actions.WorkLogData(date=self.today(), kind="fixed", hours=Decimal(2)),
                actor=self.sm_supervisor,
            )
        self.client.force_login(self.sm_supervisor)
        response = self.client.post(reverse("advisors:log_add", args=[self.assignment.pk]), {})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.hl_supervisor)
        response = self.client.post(reverse("advisors:log_add", args=[self.assignment.pk]), {})
        self.assertEqual(response.status_code, 404)

    def test_linked_matters_must_be_seen_by_the_advisor(self) -> None:
        from fawang.catalog.models import ServiceItem
        from fawang.matters import actions as matter_actions
        from fawang.matters.tests.base import MONDAY, id_number

        # A matter taken in at the district's legal-aid centre: not the advisor's.
        hidden = matter_actions.do_submit(
            actor=self.sm_clerk,
            person=matter_actions.PersonData(name="张三", phone="13912345678", id_number=id_number()),
            requests=[
                matter_actions.MatterRequest(
                    service_item=ServiceItem.objects.get(code="legal_aid"),
                    description="用人单位拖欠三个月工资，申请法律援助。",
                    region=self.region("350203001"),
                )
            ],
            channel="window",
            intake_unit=self.unit("siming.xiagang.station"),
            now=MONDAY,
        ).matters[0]
        self.assertNotEqual(hidden.unit_id, self.assignment.room_id)
        response = self.post_log(tracking_nos=hidden.tracking_no)
        self.assertContains(response, f"找不到事项：{hidden.tracking_no}", status_code=400)


class ConfirmTestCase(AdvisorsTestCase):
    def test_the_committee_confirms_with_the_code(self) -> None:
        log = self.log(self.today(), consultations=2, summary="<script>alert(1)</script>")
        url = reverse("advisors_public:confirm", args=[log.ref])
        page = self.client.get(url)
        self.assertContains(page, self.assignment.region.name)
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert(1)</script>")
        response = self.client.post(
            url, {"code": "000000" if self.code_of(log) != "000000" else "111111", "decision": "confirm"}
        )
        self.assertContains(response, "验证码不正确，还可以再试 4 次", status_code=400)
        log.refresh_from_db()
        self.assertEqual(log.status, WorkLog.Status.SUBMITTED)
        response = self.client.post(url, {"code": self.code_of(log), "decision": "confirm", "rating": "5"})
        self.assertContains(response, "村委会已确认")
        log.refresh_from_db()
        contact = CommitteeContact.objects.get(region=self.assignment.region)
        self.assertEqual((log.status, log.rating, log.confirmed_by_name), ("confirmed", 5, contact.name))
        self.assertTrue(
            AuditEvent.objects.filter(action="advisors.confirm_work", target_id=str(log.pk)).exists()
        )
        # Confirmed once: the same code again changes nothing.
        with self.assertRaisesMessage(ValidationError, "该服务记录已经确认过了"):
            actions.confirm_work(log.ref, code="123456", agree=True)

    def test_a_dispute_needs_its_reason(self) -> None:
        log = self.log(self.today())
        with self.assertRaisesMessage(ValidationError, "有异议时请写明原因"):
            actions.confirm_work(log.ref, code=self.code_of(log), agree=False)
        log = self.confirm(log, agree=False, note="当天未见到律师。")
        self.assertEqual((log.status, log.committee_note), (WorkLog.Status.DISPUTED, "当天未见到律师。"))

    def test_five_wrong_codes_lock_the_code_and_a_resend_gives_a_new_one(self) -> None:
        log = self.log(self.today())
        right = self.code_of(log)
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(5):
            with self.assertRaises(ValidationError):
                actions.confirm_work(log.ref, code=wrong, agree=True)
        with self.assertRaisesMessage(ValidationError, "验证码错误次数过多"):
            actions.confirm_work(log.ref, code=right, agree=True)
        ConfirmationCode.objects.filter(work_log=log).update(
            created_at=log.created_at - dt.timedelta(minutes=5)
        )
        self.client.force_login(self.advisor)
        response = self.client.post(reverse("advisors:log_resend", args=[log.pk]))
        self.assertRedirects(response, reverse("advisors:log", args=[log.pk]))
        self.assertEqual(self.confirm(log).status, WorkLog.Status.CONFIRMED)

    def test_a_village_without_contact_waits_and_says_so(self) -> None:
        CommitteeContact.objects.filter(region=self.assignment.region).delete()
        log = self.log(self.today())
        self.assertFalse(ConfirmationCode.objects.filter(work_log=log).exists())
        with self.assertRaisesMessage(ValidationError, "尚未登记村委会确认联系人"):
            actions.resend_code(log.pk, actor=self.advisor)
        self.assertEqual(self.client.get(reverse("advisors_public:confirm", args=["nope"])).status_code, 404)


class ScheduleTestCase(AdvisorsTestCase):
    def test_the_bureau_sets_the_schedule_and_contact(self) -> None:
        self.client.force_login(self.sm_supervisor)
        url = reverse("advisors:service_day_add", args=[self.assignment.pk])
        day = self.today() + dt.timedelta(days=3)
        response = self.client.post(
            url,
            {
                "kind": "roving",
                "date": day.isoformat(),
                "start_time": "14:00",
                "end_time": "16:00",
                "place": "村小学",
            },
        )
        self.assertRedirects(response, reverse("advisors:assignment", args=[self.assignment.pk]))
        self.assertTrue(
            ServiceDay.objects.filter(assignment=self.assignment, kind="roving", date=day).exists()
        )
        response = self.client.post(url, {"kind": "roving", "start_time": "14:00", "end_time": "13:00"})
        self.assertContains(response, "流动服务请填写日期", status_code=400)
        self.assertContains(response, "结束时间应晚于开始时间", status_code=400)
        response = self.client.post(
            reverse("advisors:contact_set", args=[self.assignment.pk]), {"name": "陈文书", "phone": "1234"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "陈文书", status_code=400)
        self.client.force_login(self.hl_supervisor)
        self.assertEqual(
            self.client.get(reverse("advisors:assignment", args=[self.assignment.pk])).status_code, 404
        )
        self.client.force_login(self.advisor)
        self.assertEqual(self.client.post(url, {"kind": "fixed", "weekday": 1}).status_code, 403)
        # The system administrator reaches every room (an empty Q OR'ed with "one's own" once narrowed it).
        self.client.force_login(self.sysadmin)
        self.assertEqual(
            self.client.get(reverse("advisors:assignment", args=[self.assignment.pk])).status_code, 200
        )


class MissedDaysTestCase(AdvisorsTestCase):
    def test_scheduled_days_without_a_log_are_warned_once(self) -> None:
        # Wednesday 2026-11-04 and 11-11 are scheduled (the demo's Wednesday mornings); 11-11 is logged.
        a = self.assignment
        wednesday = dt.date(2026, 11, 11)
        self.log(wednesday)
        today = dt.date(2026, 11, 13)  # Friday: 11-11 is past its grace day, 11-04 too
        made = actions.check_missed(today)
        mine = [m for m in made if m.assignment_id == a.pk]
        self.assertEqual(
            [m.date for m in mine], [dt.date(2026, 11, 4)] if a.started_on <= dt.date(2026, 11, 4) else []
        )
        self.assertEqual(actions.check_missed(today), [])  # once
        missed = MissedDay.objects.get(assignment=a, date=dt.date(2026, 11, 4))
        self.assertTrue(
            Message.objects.filter(
                kind="advisors.missed", related_id=str(missed.pk), user=self.advisor
            ).exists()
        )
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("advisors:missed"))
        self.assertContains(page, a.region.name)
        self.client.force_login(self.hl_supervisor)
        self.assertNotContains(self.client.get(reverse("advisors:missed")), a.region.name)
