from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.calendar.actions import package_years, seed_from_package


def parse_years(value: str) -> list[int]:
    """The years listed by "2025", "2024-2026" or "2020,2024-2026"."""
    years: set[int] = set()
    for part in value.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise CommandError(f"无法识别的年份：{part!r}。示例：--years 2025 或 --years 2004-2026。")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise CommandError(f"年份范围应由小到大：{part.strip()}。")
        years.update(range(first, last + 1))
    return sorted(years)


class Command(BaseCommand):
    help = (
        "从 chinese-calendar 数据包导入法定节假日和调休上班日（升级数据包后重新运行）。"
        "可重复运行；人工录入或修改过的日期不会被覆盖。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years", help="年份或范围，如 2025、2004-2026、2020,2024-2026；默认为数据包覆盖的全部年份。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"]) if options["years"] else None
        summary = seed_from_package(years)
        if summary.not_in_package:
            covered = package_years()
            self.stderr.write(
                self.style.WARNING(
                    f"数据包（覆盖 {covered[0]}–{covered[-1]} 年）没有以下年份的数据，请在管理后台录入："
                    + "、".join(str(y) for y in summary.not_in_package)
                )
            )
        if summary.years:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已导入 {summary.years[0]}–{summary.years[-1]} 年：新增 {summary.created}，更新 {summary.updated}，"
                    f"未变 {summary.unchanged}，删除 {summary.removed}，保留人工录入 {summary.kept_manual}。"
                )
            )
