from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from fawang.orgs.demo import DEMO_PASSWORD, demo_accounts, load_demo


class Command(BaseCommand):
    help = "载入演示数据：厦门市与仙游县的真实区划，以及虚构的机构、法律服务人员和工作人员。可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        summary = load_demo()
        took = time.monotonic() - started
        created = "，".join(f"{k} {v}" for k, v in summary.created.items()) or "无（已存在，直接复用）"
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据就绪（{took:.1f} 秒）：机构 {summary.units:,}，法律服务人员 {summary.practitioners:,}，"
                f"村居法律顾问聘任 {summary.assignments:,}，工作人员 {summary.staff:,}；本次新建：{created}"
            )
        )
        accounts = demo_accounts()
        self.stdout.write(f"演示账号 {len(accounts)} 个（密码均为 {DEMO_PASSWORD}）：")
        for username, what in accounts:
            self.stdout.write(f"  {username:<16} {what}")
