"""Seeding from chinese-calendar: the data migration, and the re-seed command after a package upgrade."""

from __future__ import annotations

import datetime
from io import StringIO

import chinese_calendar
from django.core.management import CommandError, call_command

from fawang.calendar.models import CalendarDay
from fawang.calendar.workdays import is_workday

from .helpers import CalendarTestCase


def seed(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def table() -> list[tuple[datetime.date, str, str, str, str]]:
    return list(CalendarDay.objects.values_list("date", "kind", "name", "source", "note"))


class MigrationSeedTests(CalendarTestCase):
    def test_the_migration_seeded_everything_the_package_lists(self) -> None:
        expected = set(chinese_calendar.holidays) | set(chinese_calendar.workdays)
        self.assertEqual(set(CalendarDay.objects.values_list("date", flat=True)), expected)
        self.assertFalse(CalendarDay.objects.exclude(source="package").exists())

    def test_rows_carry_chinese_names_and_in_lieu_notes(self) -> None:
        rows = {r.date: r for r in CalendarDay.objects.filter(date__year=2024)}
        self.assertEqual(
            (rows[datetime.date(2024, 2, 10)].kind, rows[datetime.date(2024, 2, 10)].name),
            ("holiday", "春节"),
        )
        self.assertEqual(rows[datetime.date(2024, 4, 4)].name, "清明节")
        self.assertEqual(
            rows[datetime.date(2024, 2, 15)].note, "调休放假"
        )  # a Thursday off in lieu of 02-04 / 02-18
        self.assertEqual(
            (rows[datetime.date(2024, 10, 12)].kind, rows[datetime.date(2024, 10, 12)].name),
            ("workday", "国庆节"),
        )


class SeedCommandTests(CalendarTestCase):
    def test_it_is_idempotent(self) -> None:
        before = table()
        out, _err = seed()
        self.assertIn("新增 0，更新 0，未变 771，删除 0，保留人工录入 0。", out)
        self.assertEqual(table(), before)

    def test_it_never_overwrites_manual_rows(self) -> None:
        CalendarDay.objects.filter(date=datetime.date(2024, 10, 1)).update(
            source="manual", name="国庆节（人工核对）", note="国办发明电〔2023〕7号"
        )
        # A manual correction that contradicts the package: the admin decided 2024-10-07 was a working day.
        CalendarDay.objects.filter(date=datetime.date(2024, 10, 7)).delete()
        CalendarDay.objects.create(
            date=datetime.date(2024, 10, 7), kind="holiday", name="测试", source="manual", note="x"
        )
        CalendarDay.objects.filter(date=datetime.date(2024, 10, 7)).update(
            kind="workday"
        )  # bypass clean(): a Monday

        out, _err = seed("--years", "2024")
        # 2024 in the package: 28 holidays + 8 make-up workdays = 36 rows, 2 of them now manual.
        self.assertIn("已导入 2024–2024 年：新增 0，更新 0，未变 34，删除 0，保留人工录入 2。", out)
        oct1 = CalendarDay.objects.get(date=datetime.date(2024, 10, 1))
        self.assertEqual(
            (oct1.source, oct1.name, oct1.note), ("manual", "国庆节（人工核对）", "国办发明电〔2023〕7号")
        )
        self.assertEqual(CalendarDay.objects.get(date=datetime.date(2024, 10, 7)).kind, "workday")
        self.assertTrue(is_workday(datetime.date(2024, 10, 7)))

    def test_it_repairs_package_rows_and_drops_ones_the_package_no_longer_lists(self) -> None:
        CalendarDay.objects.filter(date__year=2025).delete()
        CalendarDay.objects.filter(date=datetime.date(2024, 2, 10)).update(name="旧名称")
        CalendarDay.objects.create(
            date=datetime.date(2024, 3, 1), kind="holiday", name="旧数据", source="package"
        )

        out, _err = seed("--years", "2024-2025")
        # 2025: 28 holidays + 5 make-up workdays = 33 re-created; 2024: 36 rows, 1 renamed back, 1 stale removed.
        self.assertIn("已导入 2024–2025 年：新增 33，更新 1，未变 35，删除 1，保留人工录入 0。", out)
        self.assertEqual(CalendarDay.objects.get(date=datetime.date(2024, 2, 10)).name, "春节")
        self.assertFalse(CalendarDay.objects.filter(date=datetime.date(2024, 3, 1)).exists())
        self.assertEqual(CalendarDay.objects.filter(date__year=2025).count(), 33)

    def test_seeded_rows_reach_the_arithmetic_at_once(self) -> None:
        CalendarDay.objects.filter(date__year=2025).delete()
        # Read now, so the cache holds the gap: 2025 falls back to Mon–Fri and 元旦 (a Wednesday) works.
        self.assertTrue(is_workday(datetime.date(2025, 1, 1)))
        # Only bulk_create runs here (no post_save): the command must drop the cache itself.
        seed("--years", "2025")
        self.assertFalse(is_workday(datetime.date(2025, 1, 1)))
        self.assertTrue(is_workday(datetime.date(2025, 1, 26)))  # Sunday, 调休上班 for 春节

    def test_years_the_package_does_not_cover_are_reported(self) -> None:
        out, err = seed("--years", "2026,2027")
        self.assertIn("已导入 2026–2026 年", out)
        self.assertIn("没有以下年份的数据，请在管理后台录入：2027", err)
        self.assertFalse(CalendarDay.objects.filter(date__year=2027).exists())

    def test_bad_years_are_refused(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "无法识别的年份：'20x4'。示例：--years 2025 或 --years 2004-2026。"
        ):
            seed("--years", "20x4")
        with self.assertRaisesMessage(CommandError, "年份范围应由小到大：2026-2024。"):
            seed("--years", "2026-2024")
