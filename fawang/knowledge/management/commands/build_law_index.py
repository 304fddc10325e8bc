from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fawang.knowledge import searching
from fawang.knowledge.models import Article


class Command(BaseCommand):
    help = "由库中的法律条文建立检索索引（默认 var/lawindex，可用 LAW_INDEX_DIR 指定）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, help="索引目录，默认 settings.LAW_INDEX_DIR / $LAW_INDEX_DIR / var/lawindex"
        )
        parser.add_argument("--if-missing", action="store_true", help="索引已存在时跳过")
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")

    def handle(
        self, *args: Any, dir: Path | None, if_missing: bool, quiet_progress: bool, **options: Any
    ) -> None:
        target = dir or searching.index_dir()
        if if_missing and searching.index_exists(target):
            self.stdout.write(f"检索索引已存在（{target}），跳过。")
            return
        if not Article.objects.exists():
            raise CommandError("库中没有法律条文：请先运行 manage.py import_laws。")
        bar = tqdm(desc="建立索引", unit="条", disable=quiet_progress, leave=False)

        def progress(stage: str, i: int, n: int) -> None:
            bar.total = n
            bar.set_postfix_str(stage)
            bar.n = i
            bar.refresh()

        started = time.perf_counter()
        meta = searching.build(target, progress=progress)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"检索索引已建立：{meta['n_docs']:,} 条条文，{meta['n_laws']:,} 部法规，"
                f"用时 {time.perf_counter() - started:.1f} 秒（{target}）"
            )
        )
