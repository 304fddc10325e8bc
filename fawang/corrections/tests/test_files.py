"""The person under correction: takeover, reporting, plan and group; who sees a file, minors, and the view log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs.models import Membership, Unit

from .. import actions
from ..models import Category, FileView, ItemKind, Subject
from .base import MONDAY, CorrectionsTestCase, id_number


class TakeoverTest(CorrectionsTestCase):
    def test_takeover_then_reporting_at_both_places_starts_supervision(self) -> None:
        subject = self.take_over()
        self.assertEqual(subject.status, Subject.Status.AWAITING_REPORT)
        self.assertEqual(subject.report_due, dt.date(2025, 3, 6))  # 第二十条: ten days from 2025-02-24
        self.assertEqual(subject.bureau, self.bureau)
        self.assertEqual(subject.category, Category.STRICT)
        self.assertFalse(subject.is_minor)
        self.assertTrue(subject.file_no.startswith("SQJZ3502032025"))
        # The ID number is encrypted at rest and found again by its keyed hash.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM corrections_subject WHERE id = %s", [subject.pk])
            self.assertNotIn("350203", cursor.fetchone()[0])
        self.assertEqual(subject.id_number_masked, id_number()[:6] + "********" + id_number()[-4:])
        self.assertTrue(
            AuditEvent.objects.filter(action="corrections.take_over", target_id=str(subject.pk)).exists()
        )

        actions.do_report(subject.pk, where="bureau", actor=self.officer, at=MONDAY)
        subject.refresh_from_db()
        self.assertEqual(subject.status, Subject.Status.AWAITING_REPORT)
        subject = actions.do_report(subject.pk, where="office", actor=self.officer, at=MONDAY)
        self.assertEqual(subject.status, Subject.Status.SUPERVISED)
        # 严管: today's location report, this week's voice contact, this half-month's visit.
        self.assertEqual(
            sorted(subject.items.values_list("kind", "period_start")),
            sorted(
                [
                    (ItemKind.LOCATION, dt.date(2025, 3, 3)),
                    (ItemKind.VISIT, dt.date(2025, 3, 1)),
                    (ItemKind.VOICE, dt.date(2025, 3, 3)),
                ]
            ),
        )
        with self.assertRaises(ValidationError):
            actions.do_report(subject.pk, where="office", actor=self.officer, at=MONDAY)

    def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.take_over(id_number="350203198503122310", term_end=dt.date(2025, 1, 1))
        self.assertIn("id_number", caught.exception.message_dict)
        self.assertEqual(caught.exception.message_dict["term_end"], ["矫正期止应晚于矫正期起。"])
        self.assertFalse(Subject.objects.filter(name="陈建华").exists())

    def test_a_second_open_file_for_the_same_person_is_refused(self) -> None:
        first = self.take_over()
        with self.assertRaises(ValidationError) as caught:
            self.take_over()
        self.assertIn(first.file_no, caught.exception.message_dict["id_number"][0])

    def test_only_corrections_staff_of_a_reaching_unit_take_over(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_take_over(
                self.data(), office_id=self.office.pk, actor=User.objects.get(username="sm_handler")
            )
        hl_office = Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE, region__parent_id="350206").first()
        assert hl_office is not None
        with self.assertRaises(PermissionDenied):
            actions.do_take_over(self.data(), office_id=hl_office.pk, actor=self.officer)

    def test_plan_and_group(self) -> None:
        subject = self.supervised()
        actions.do_set_plan(subject.pk, plan="每月参加集中教育八小时；公益活动。", actor=self.officer)
        actions.do_add_group_member(
            subject.pk, name="林秀英", role="family", phone="13800001111", actor=self.officer
        )
        subject.refresh_from_db()
        self.assertIn("集中教育", subject.plan)
        self.assertEqual([str(m) for m in subject.group_members.all()], ["林秀英（家庭成员或监护人）"])


class AccessTest(CorrectionsTestCase):
    def get(self, user: User, subject: Subject) -> int:
        client = Client()
        client.force_login(user)
        return client.get(reverse("corrections:detail", args=[subject.pk])).status_code

    def test_who_sees_a_file(self) -> None:
        subject = self.supervised()
        office_handler = User.objects.create_user("xg_handler", kind=User.Kind.STAFF)
        Membership.objects.create(user=office_handler, unit=self.office, role=Membership.Role.HANDLER)
        self.assertEqual(self.get(self.officer, subject), 200)
        self.assertEqual(self.get(self.bureau_officer, subject), 200)
        self.assertEqual(self.get(self.sm_supervisor, subject), 200)  # their 司法局
        self.assertEqual(self.get(self.xm_supervisor, subject), 200)  # the city's 司法局
        self.assertEqual(self.get(office_handler, subject), 403)  # the 司法所, but not corrections work
        self.assertEqual(self.get(self.sm_clerk, subject), 404)
        self.assertEqual(self.get(self.hl_supervisor, subject), 404)
        self.assertEqual(self.get(User.objects.get(username="hl_corrections"), subject), 404)
        public = Client()
        public.force_login(self.citizen)
        self.assertEqual(public.get(reverse("corrections:detail", args=[subject.pk])).status_code, 404)

    def test_every_view_is_logged_and_the_full_id_only_on_request(self) -> None:
        subject = self.supervised()
        client = Client()
        client.force_login(self.officer)
        page = client.get(reverse("corrections:detail", args=[subject.pk]))
        self.assertNotContains(page, subject.id_number)
        self.assertContains(page, subject.id_number_masked)
        revealed = client.post(reverse("corrections:reveal", args=[subject.pk]))
        self.assertContains(revealed, subject.id_number)
        self.assertEqual(revealed["Cache-Control"], "no-store")
        self.assertEqual(
            list(FileView.objects.filter(subject=subject).values_list("username", "what").order_by("pk")),
            [("sm_corrections", "档案详情"), ("sm_corrections", "完整身份信息")],
        )

    def test_a_minors_file_is_hidden_from_everyone_but_the_corrections_staff(self) -> None:
        minor = self.supervised(id_number=id_number(born="20080601", seq="412"), name="小明")
        self.assertTrue(minor.is_minor)
        self.assertEqual(self.get(self.officer, minor), 200)
        self.assertEqual(self.get(self.bureau_officer, minor), 200)
        for user in (self.sm_supervisor, self.xm_supervisor, self.sysadmin, self.sm_admin, self.sm_clerk):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, minor), 404)
        client = Client()
        client.force_login(self.sm_supervisor)
        self.assertNotContains(client.get(reverse("corrections:list")), minor.file_no)
        client.force_login(self.officer)
        self.assertContains(client.get(reverse("corrections:list")), minor.file_no)
        self.assertEqual(
            list(FileView.objects.filter(subject=minor).values_list("username", flat=True)),
            ["sm_bureau_corrections", "sm_corrections"],
        )

    def test_the_list_shows_masked_names_only(self) -> None:
        subject = self.supervised()
        client = Client()
        client.force_login(self.officer)
        page = client.get(reverse("corrections:list"))
        self.assertContains(page, subject.file_no)
        self.assertContains(page, "陈*华")
        self.assertNotContains(page, "陈建华")
        client.force_login(self.hl_supervisor)
        self.assertNotContains(client.get(reverse("corrections:list")), subject.file_no)

    def test_takeover_page_keeps_what_was_typed_on_error(self) -> None:
        client = Client()
        client.force_login(self.officer)
        response = client.post(
            reverse("corrections:take_over"),
            {
                "office": self.office.pk,
                "name": "<b>张三</b>",
                "gender": "male",
                "id_number": "123",
                "address": "x",
                "correction_type": "probation",
                "document_kind": "judgment",
                "document_no": "1",
                "decided_by": "法院",
                "crime": "盗窃罪",
                "effective_on": "2025-02-24",
                "term_start": "2025-02-24",
                "term_end": "2025-08-23",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "身份证号码应为 18 位", status_code=400)
        self.assertContains(response, "&lt;b&gt;张三&lt;/b&gt;", status_code=400)
        self.assertFalse(Subject.objects.filter(name__contains="张三").exists())
