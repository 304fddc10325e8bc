from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fawang.knowledge.learning import feedback_questions


class Command(BaseCommand):
    help = (
        "把“这条有帮助吗”的反馈和各业务登记的采纳/不采纳记录导出为训练问题（格式同 data/lawsearch/train.jsonl），"
        "供 python -m fawang.knowledge.search.train --extra 文件 重新训练检索模型。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="输出的 JSON Lines 文件")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        rows = feedback_questions()
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(file, "w", encoding="utf-8", newline="\n") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(rows)} 个问题（{file}）。"))
