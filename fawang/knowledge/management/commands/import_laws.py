from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from fawang.knowledge.importer import import_laws
from fawang.knowledge.models import Law


class Command(BaseCommand):
    help = (
        "导入法律法规（data/laws/）：可重复运行，只更新内容有变化的法规，并报告新标为已修改、已废止的法规。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only", action="append", default=[], help="只导入标题包含该文字的法规（可重复），供测试和演示"
        )
        parser.add_argument("--laws", type=Path, help="laws.jsonl(.xz) 文件，默认 data/laws/laws.jsonl.xz")
        parser.add_argument(
            "--articles", type=Path, help="articles.jsonl(.xz) 文件，默认 data/laws/articles.jsonl.xz"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="库中已有法规时跳过（make run 重复运行时秒级启动）"
        )
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")

    def handle(
        self,
        *args: Any,
        only: list[str],
        laws: Path | None,
        articles: Path | None,
        if_empty: bool,
        quiet_progress: bool,
        **options: Any,
    ) -> None:
        if if_empty and Law.objects.exists():
            self.stdout.write("法律法规已存在，跳过导入。")
            return

        def progress(items: Iterable[Any], label: str, total: int) -> Iterable[Any]:
            return tqdm(items, desc=label, total=total, unit="部", disable=quiet_progress, leave=False)

        started = time.perf_counter()
        r = import_laws(laws, articles, only=only or None, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"法律法规：新增 {r.created:,}，更新 {r.updated:,}，未变 {r.unchanged:,}；"
                f"条文：新增 {r.articles_created:,}，更新 {r.articles_updated:,}，删除 {r.articles_deleted:,}"
                f"（{time.perf_counter() - started:.1f} 秒）"
            )
        )
        if r.newly_superseded:
            names = "、".join(str(law) for law in Law.objects.filter(pk__in=r.newly_superseded)[:20])
            self.stdout.write(
                self.style.WARNING(f"{len(r.newly_superseded)} 部法规新标为已修改或已废止：{names}")
            )
            self.stdout.write(
                self.style.WARNING(f"{r.flagged} 项引用这些法规的知识条目等内容已标记为待复核。")
            )
