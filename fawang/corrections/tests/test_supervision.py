"""日定位、周听声、月走访: the schedule from the category, the person's check-in from the H5 page, missed items
raising tasks the same day and escalating, electronic monitoring only under 第二十九条, leave under 第二十七条."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fawang.audit.models import AuditEvent

from .. import actions, schedule
from ..models import Category, ItemKind, Leave, MonitoringApproval, Subject, SupervisionItem, Task
from .base import MONDAY, CorrectionsTestCase, at


class ScheduleRulesTest(CorrectionsTestCase):
    def test_the_category_decides_the_items(self) -> None:
        day = dt.date(2025, 3, 5)  # a Wednesday
        term = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        strict = {k: p for k, p, _due in schedule.plan_for(Category.STRICT, day, *term)}
        lenient = {k: p for k, p, _due in schedule.plan_for(Category.LENIENT, day, *term)}
        self.assertEqual(strict[ItemKind.LOCATION], schedule.Period(day, day))
        self.assertEqual(strict[ItemKind.VISIT], schedule.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 15)))
        self.assertEqual(
            lenient[ItemKind.LOCATION], schedule.Period(dt.date(2025, 3, 3), dt.date(2025, 3, 9))
        )
        self.assertEqual(lenient[ItemKind.VISIT], schedule.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
        # The voice contact is due at the end of the week's last working day (Friday 17:30), the location report
        # by 20:00 of its day; nothing outside the term.
        dues = {k: d for k, _p, d in schedule.plan_for(Category.NORMAL, day, *term)}
        self.assertEqual(dues[ItemKind.VOICE], at(2025, 3, 7, 17, 30))
        self.assertEqual(dues[ItemKind.LOCATION], at(2025, 3, 5, 20))
        self.assertEqual(schedule.plan_for(Category.NORMAL, dt.date(2026, 1, 1), *term), [])


class GenerationTest(CorrectionsTestCase):
    def test_the_job_adds_each_new_periods_items_once(self) -> None:
        subject = self.supervised()
        self.assertEqual(actions.scan(at(2025, 3, 4, 8))["generated"], 1)  # Tuesday's location report
        self.assertEqual(actions.scan(at(2025, 3, 4, 8, 1))["generated"], 0)
        self.assertEqual(actions.scan(at(2025, 3, 10, 8))["generated"], 2)  # a new week: location and voice
        self.assertEqual(actions.scan(at(2025, 3, 17, 8))["generated"], 3)  # and the second half of March
        self.assertEqual(subject.items.filter(period_start=dt.date(2025, 3, 16)).get().kind, ItemKind.VISIT)


class MissedItemsTest(CorrectionsTestCase):
    def test_a_missed_check_in_raises_a_task_the_same_day_and_escalates(self) -> None:
        subject = self.supervised()
        counts = actions.scan(at(2025, 3, 3, 19, 59))
        self.assertEqual(counts["missed"], 0)
        counts = actions.scan(at(2025, 3, 3, 20, 1))
        self.assertEqual((counts["missed"], counts["tasks"]), (1, 1))
        item = subject.items.get(kind=ItemKind.LOCATION, period_start=dt.date(2025, 3, 3))
        self.assertEqual(item.status, SupervisionItem.Status.MISSED)
        task = Task.objects.get(item=item)
        self.assertEqual(task.created_at.date(), dt.date(2025, 3, 3))
        self.assertEqual(task.due_at, at(2025, 3, 4, 17, 30))  # the next working day
        self.assertIn("日定位", task.title)
        # Scanning again raises nothing twice.
        self.assertEqual(actions.scan(at(2025, 3, 3, 20, 5))["tasks"], 0)
        # Not dealt with by its deadline: escalated to the 社区矫正机构.
        counts = actions.scan(at(2025, 3, 4, 17, 31))
        self.assertEqual(counts["escalated"], 1)
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.ESCALATED)
        self.assertTrue(
            AuditEvent.objects.filter(action="corrections.escalate_task", target_id=str(task.pk)).exists()
        )
        # The officer deals with it; the late report is recorded as such.
        late = actions.do_check_in(subject.pk, actor=self.officer, at=at(2025, 3, 4, 9))
        self.assertEqual(late.period_start, dt.date(2025, 3, 4))
        actions.do_close_task(task.pk, result="电话联系本人，手机没电，已提醒。", actor=self.officer)
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSED)

    def test_overdue_reporting_raises_a_task(self) -> None:
        subject = self.take_over()
        actions.scan(at(2025, 3, 6, 23))
        self.assertFalse(Task.objects.filter(subject=subject).exists())
        actions.scan(at(2025, 3, 7, 9))
        self.assertEqual(Task.objects.get(subject=subject).kind, Task.Kind.REPORT_OVERDUE)


class CheckInTest(CorrectionsTestCase):
    def test_the_person_checks_in_from_the_h5_page_with_consent(self) -> None:
        subject = self.supervised()
        self.citizen.phone = "13800000000"
        actions.do_link_account(subject.pk, user=self.citizen, actor=self.officer)
        client = Client()
        client.force_login(self.citizen)
        url = reverse("corrections_me:check_in")
        page = client.get(url)
        self.assertContains(page, "每日定位报告")
        self.assertIn("geolocation=(self)", page["Permissions-Policy"])
        refused = client.post(url, {"latitude": "24.437000", "longitude": "118.087000"})
        self.assertContains(refused, "请确认同意提供本次位置信息", status_code=400)
        no_position = client.post(url, {"consent": "on"})
        self.assertContains(no_position, "未取得位置信息", status_code=400)
        done = client.post(url, {"latitude": "24.437000", "longitude": "118.087000", "consent": "on"})
        self.assertEqual(done.status_code, 302)
        item = subject.items.filter(kind=ItemKind.LOCATION, status=SupervisionItem.Status.DONE).get()
        self.assertEqual(
            (item.method, item.latitude, item.location_consent), ("h5", Decimal("24.437000"), True)
        )
        self.assertContains(
            client.post(url, {"latitude": "24.4", "longitude": "118.0", "consent": "on"}),
            "无需重复提交",
            status_code=400,
        )

    def test_another_persons_account_sees_nothing(self) -> None:
        self.supervised()
        client = Client()
        client.force_login(self.citizen)
        page = client.get(reverse("corrections_me:check_in"))
        self.assertContains(page, "没有需要报告的社区矫正档案")
        self.assertNotContains(page, "陈")
        staff = Client()
        staff.force_login(self.officer)
        self.assertEqual(staff.get(reverse("corrections_me:check_in")).status_code, 404)

    def test_voice_and_visit_are_recorded_by_the_officer(self) -> None:
        subject = self.supervised()
        voice = subject.items.get(kind=ItemKind.VOICE)
        with self.assertRaises(ValidationError):
            actions.do_record_item(voice.pk, method="home", note="x", actor=self.officer)
        actions.do_record_item(voice.pk, method="phone", note="通话 5 分钟，工作稳定。", actor=self.officer)
        visit = subject.items.get(kind=ItemKind.VISIT)
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("corrections:item", args=[visit.pk]),
            {"item-method": "home", "item-note": "走访家中，家属配合。"},
        )
        self.assertEqual(response.status_code, 302)
        visit.refresh_from_db()
        self.assertEqual(visit.status, SupervisionItem.Status.DONE)
        with self.assertRaises(PermissionDenied):
            actions.do_record_item(visit.pk, method="home", note="x", actor=self.sm_supervisor)


class MonitoringTest(CorrectionsTestCase):
    def test_refused_without_a_ground_of_article_29(self) -> None:
        subject = self.supervised()
        with self.assertRaises(ValidationError) as caught:
            actions.do_approve_monitoring(
                subject.pk,
                ground="convenience",
                facts="方便管理",
                starts_on=dt.date(2025, 3, 3),
                ends_on=dt.date(2025, 4, 2),
                actor=self.sm_supervisor,
            )
        self.assertIn("第二十九条", caught.exception.message_dict["ground"][0])
        with self.assertRaises(PermissionDenied):  # a 司法所 does not approve: the county 司法局 does
            actions.do_approve_monitoring(
                subject.pk,
                ground="left_area",
                facts="未经批准前往泉州",
                starts_on=dt.date(2025, 3, 3),
                ends_on=dt.date(2025, 4, 2),
                actor=self.officer,
            )
        with self.assertRaises(ValidationError) as caught:
            actions.do_approve_monitoring(
                subject.pk,
                ground="left_area",
                facts="未经批准前往泉州",
                starts_on=dt.date(2025, 3, 3),
                ends_on=dt.date(2025, 6, 3),
                actor=self.sm_supervisor,
            )
        self.assertIn("不得超过三个月", caught.exception.message_dict["ends_on"][0])
        with self.assertRaises(ValidationError):
            actions.do_record_device_location(
                subject.pk,
                recorded_at=at(2025, 3, 4, 10),
                latitude=Decimal("24.4"),
                longitude=Decimal("118.1"),
                actor=self.officer,
            )
        self.assertFalse(MonitoringApproval.objects.exists())

    def test_three_months_then_refused_unless_renewed(self) -> None:
        subject = self.supervised()
        approval = actions.do_approve_monitoring(
            subject.pk,
            ground="left_area",
            facts="未经批准前往泉州",
            starts_on=dt.date(2025, 3, 3),
            ends_on=dt.date(2025, 6, 2),
            actor=self.sm_supervisor,
        )
        actions.do_record_device_location(
            subject.pk,
            recorded_at=at(2025, 6, 2, 10),
            latitude=Decimal("24.4"),
            longitude=Decimal("118.1"),
            actor=self.officer,
        )
        with self.assertRaises(ValidationError) as caught:
            actions.do_record_device_location(
                subject.pk,
                recorded_at=at(2025, 6, 3, 10),
                latitude=Decimal("24.4"),
                longitude=Decimal("118.1"),
                actor=self.officer,
            )
        self.assertIn("没有有效的电子定位装置使用批准", caught.exception.messages[0])
        with self.assertRaises(ValidationError):  # a renewal is again at most three months
            actions.do_renew_monitoring(
                approval.pk, facts="经评估仍有必要", ends_on=dt.date(2025, 9, 3), actor=self.sm_supervisor
            )
        renewal = actions.do_renew_monitoring(
            approval.pk, facts="经评估仍有必要", ends_on=dt.date(2025, 9, 2), actor=self.sm_supervisor
        )
        self.assertEqual((renewal.starts_on, renewal.renewal_of), (dt.date(2025, 6, 3), approval))
        location = actions.do_record_device_location(
            subject.pk,
            recorded_at=at(2025, 6, 3, 10),
            latitude=Decimal("24.4"),
            longitude=Decimal("118.1"),
            actor=self.officer,
        )
        self.assertEqual(location.approval, renewal)


class LeaveTest(CorrectionsTestCase):
    def leave(self, subject: Subject, days: int, kind: str = "leave") -> Leave:
        start = dt.date(2025, 3, 10)
        return actions.do_apply_leave(
            subject.pk,
            kind=kind,
            destination="福建省泉州市",
            reason="探望住院的母亲",
            starts_on=start,
            ends_on=start + dt.timedelta(days=days - 1),
            actor=self.officer,
            at=MONDAY,
        )

    def test_short_leave_by_the_office_longer_by_the_bureau(self) -> None:
        subject = self.supervised()
        with self.assertRaises(ValidationError) as caught:
            self.leave(subject, 31)
        self.assertEqual(caught.exception.message_dict["ends_on"], ["每次外出不得超过三十日。"])
        short = actions.do_decide_leave(self.leave(subject, 7).pk, approve=True, note="", actor=self.officer)
        self.assertEqual(short.status, Leave.Status.APPROVED)
        long = self.leave(subject, 8)
        with self.assertRaises(PermissionDenied):
            actions.do_decide_leave(long.pk, approve=True, note="", actor=self.officer)
        with self.assertRaises(ValidationError):
            actions.do_decide_leave(long.pk, approve=False, note="", actor=self.sm_supervisor)
        self.assertEqual(
            actions.do_decide_leave(
                long.pk, approve=False, note="理由不充分", actor=self.sm_supervisor
            ).status,
            Leave.Status.REFUSED,
        )
        with self.assertRaises(ValidationError):
            actions.do_decide_leave(long.pk, approve=True, note="", actor=self.sm_supervisor)

    def test_overdue_return_raises_a_task_and_the_return_closes_it(self) -> None:
        subject = self.supervised()
        leave = actions.do_decide_leave(self.leave(subject, 3).pk, approve=True, note="", actor=self.officer)
        actions.scan(at(2025, 3, 12, 23))
        self.assertFalse(Task.objects.filter(leave=leave).exists())
        actions.scan(at(2025, 3, 13, 8))
        task = Task.objects.get(leave=leave)
        self.assertIn("外出逾期未归", task.title)
        actions.do_return(leave.pk, actor=self.officer, at=at(2025, 3, 13, 10))
        task.refresh_from_db()
        self.assertEqual(
            (task.status, Leave.objects.get(pk=leave.pk).status), (Task.Status.CLOSED, Leave.Status.RETURNED)
        )
