"""``manage.py load_activity``: a year of realistic activity for the demo (fawang/insights/activity.py), then the
rollup rebuilt. Idempotent: a second run finds the year loaded and only rebuilds the rollup."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.insights import rollup
from fawang.insights.activity import load_activity


class Command(BaseCommand):
    help = "生成演示用的一年业务数据（数万件事项，含两处预埋的异常），并重建统计汇总。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=40_000, help="一年的事项数（默认 40000）。")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子（默认 2026）。")
        parser.add_argument("--end", default="", help="最后一天 YYYY-MM-DD（默认今天）。")
        parser.add_argument("--no-anomalies", action="store_true", help="不预埋异常（检验误报率用）。")
        parser.add_argument("--replace", action="store_true", help="先删除以前生成的数据再生成。")

    def handle(self, *args: Any, **options: Any) -> None:
        end = None
        if options["end"]:
            try:
                end = dt.date.fromisoformat(options["end"])
            except ValueError as e:
                raise CommandError("--end 须为 YYYY-MM-DD 格式的日期。") from e
        started = time.monotonic()
        summary = load_activity(
            count=options["count"],
            seed=options["seed"],
            end=end,
            plant=not options["no_anomalies"],
            replace=options["replace"],
        )
        if summary.skipped:
            self.stdout.write(f"已有 {summary.matters} 件生成的事项，未重复生成（--replace 可重新生成）。")
        else:
            self.stdout.write(
                f"已生成 {summary.matters} 件事项（{summary.start} 至 {summary.end}），{summary.events} 条办理记录，"
                f"{summary.evaluations} 条评价，{summary.complaints} 件投诉；用时 {time.monotonic() - started:.1f} 秒。"
            )
        t = time.monotonic()
        rows = rollup.rebuild()
        self.stdout.write(f"统计汇总已重建：{rows} 行，用时 {time.monotonic() - t:.1f} 秒。")
