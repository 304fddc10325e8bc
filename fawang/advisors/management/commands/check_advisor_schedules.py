"""Warn the advisors who missed a scheduled day (no work log by the end of the next day) and list it for their
bureau; run daily (idempotent: each missed day is warned once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.advisors.actions import check_missed


class Command(BaseCommand):
    help = "法律顾问未按服务安排履职的预警（每天运行一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        made = check_missed()
        self.stdout.write(f"新增未履职预警 {len(made)} 条。")
