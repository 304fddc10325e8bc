from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fawang.lib import codes
from fawang.regions.importer import import_regions
from fawang.regions.models import Region


class Command(BaseCommand):
    help = "导入行政区划：全国省、市、县三级，以及所列省份的乡镇（街道）和村（社区）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "provinces", nargs="*", default=["35"], help="导入乡村两级的省级代码，默认 35（福建省）"
        )
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="所列省份的村级区划已存在时跳过（make run 重复运行时秒级启动）",
        )

    def handle(
        self, *args: Any, provinces: list[str], quiet_progress: bool, if_empty: bool, **options: Any
    ) -> None:
        for code in provinces:
            if len(code) != 2 or not code.isdigit():
                raise CommandError(f"省级代码应为两位数字：{code}")
        if if_empty and all(
            Region.objects.filter(level=Region.Level.VILLAGE).filter(codes.under("code", p)).exists()
            for p in provinces
        ):
            self.stdout.write("行政区划已存在，跳过导入。")
            return

        def progress(rows: Iterable[dict[str, str]], label: str, total: int) -> Iterable[dict[str, str]]:
            return tqdm(rows, desc=label, total=total, unit="行", disable=quiet_progress, leave=False)

        result = import_regions(provinces, progress=progress)
        levels = "，".join(f"{name} {result.by_level.get(i, 0):,}" for i, name in enumerate("省市县乡村", 1))
        self.stdout.write(self.style.SUCCESS(f"已导入行政区划 {result.total:,} 个（{levels}）"))
