"""Editing the calendar in the admin: the arithmetic follows at once, and admin edits are marked manual."""

from __future__ import annotations

import datetime
from unittest import mock

from django.urls import reverse

from fawang.calendar.models import CalendarDay
from fawang.calendar.workdays import add_workdays, coverage_gaps, is_workday

from .helpers import CalendarTestCase, at

ADD = reverse("admin:workcalendar_calendarday_add")
LIST = reverse("admin:workcalendar_calendarday_changelist")


def change_url(day: CalendarDay) -> str:
    return reverse("admin:workcalendar_calendarday_change", args=[day.pk])


class CalendarAdminTests(CalendarTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.sysadmin)

    def test_a_manual_row_for_a_future_year_changes_the_arithmetic_at_once(self) -> None:
        # 2027 is beyond the package: 1 working day from Thu 2026-12-31 is Friday 2027-01-01 (Mon–Fri rule).
        self.assertEqual(add_workdays(at(2026, 12, 31, 10), 1), at(2027, 1, 1, 17, 30))
        self.assertEqual(coverage_gaps([2027]), [2027])

        r = self.client.post(
            ADD, {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": "国办发明电〔2026〕X号"}
        )
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        row = CalendarDay.objects.get(date=datetime.date(2027, 1, 1))
        self.assertEqual((row.kind, row.name, row.source), ("holiday", "元旦", "manual"))

        # The same process, no restart: 元旦 is off, so the limit moves to Monday 2027-01-04.
        self.assertEqual(add_workdays(at(2026, 12, 31, 10), 1), at(2027, 1, 4, 17, 30))
        self.assertEqual(coverage_gaps([2027]), [])

    def test_editing_a_package_row_makes_it_manual(self) -> None:
        row = CalendarDay.objects.get(date=datetime.date(2024, 10, 12))
        self.assertEqual(row.source, "package")
        r = self.client.post(
            change_url(row), {"date": "2024-10-12", "kind": "workday", "name": "国庆节", "note": "已核对通知"}
        )
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        row.refresh_from_db()
        self.assertEqual((row.source, row.note), ("manual", "已核对通知"))

    def test_deleting_a_row_changes_the_arithmetic_at_once(self) -> None:
        row = CalendarDay.objects.get(date=datetime.date(2024, 10, 12))
        self.assertTrue(is_workday(row.date))
        delete = reverse("admin:workcalendar_calendarday_delete", args=[row.pk])
        r = self.client.post(delete, {"post": "yes"})
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        self.assertFalse(is_workday(datetime.date(2024, 10, 12)))

    def test_a_make_up_workday_must_fall_on_a_weekend(self) -> None:
        r = self.client.post(ADD, {"date": "2027-02-10", "kind": "workday", "name": "春节", "note": ""})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "调休上班日应为星期六或星期日：2027-02-10 是星期三。")
        self.assertFalse(CalendarDay.objects.filter(date=datetime.date(2027, 2, 10)).exists())

    def test_list_filters_by_year_and_kind_and_warns_about_missing_years(self) -> None:
        with mock.patch("fawang.calendar.admin.today", return_value=datetime.date(2026, 12, 2)):
            r = self.client.get(LIST, {"year": "2024", "kind": "workday"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            [row.date for row in r.context["cl"].result_list],
            [
                datetime.date(2024, m, d)
                for m, d in ((2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14), (9, 29), (10, 12))
            ],
        )
        self.assertContains(r, "星期六")
        self.assertContains(r, "2027 年还没有节假日与调休数据，该年的时限暂按周一至周五计算。")

    def test_staff_without_admin_rights_cannot_edit(self) -> None:
        self.client.force_login(self.sm_clerk)
        r = self.client.get(LIST)
        self.assertNotEqual(r.status_code, 200)
