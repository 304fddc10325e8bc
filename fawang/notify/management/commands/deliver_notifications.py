"""Deliver due messages of the outbox: once, or every N seconds until stopped (for a scheduler or cron)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fawang.notify.actions import deliver_due


class Command(BaseCommand):
    help = "发送消息发件箱中已到发送时间的消息（含失败重试）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100, help="每轮最多处理的消息数。")
        parser.add_argument("--every", type=int, default=0, help="每隔多少秒重复一次；0 表示只执行一次。")

    def handle(self, *args: Any, limit: int, every: int, **options: Any) -> None:
        while True:
            handled = deliver_due(limit)
            if options["verbosity"] > 0:
                self.stdout.write(f"已处理 {handled} 条消息。")
            if every <= 0:
                return
            time.sleep(every)
