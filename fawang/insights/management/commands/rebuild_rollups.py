"""``manage.py rebuild_rollups``: replace every daily fact from the matters (one INSERT … SELECT)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from fawang.insights import rollup


class Command(BaseCommand):
    help = "从事项数据重建每日统计汇总（监督看板读取的数据）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rows = rollup.rebuild()
        self.stdout.write(f"统计汇总已重建：{rows} 行，用时 {time.monotonic() - started:.1f} 秒。")
