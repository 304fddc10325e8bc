from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.knowledge.demo import load_knowledge_demo
from fawang.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "创建演示用的办事指南、常见问题、以案释法和普法文章（可重复运行；先运行 load_demo 和 import_laws）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            r = load_knowledge_demo()
        except Unit.DoesNotExist as error:
            raise CommandError("找不到演示单位，请先运行 manage.py load_demo。") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"知识条目：新增 {r.created}，更新 {r.updated}；关联条文 {r.citations} 条"
                "（为 0 时请先运行 import_laws 再重新运行本命令）。"
            )
        )
