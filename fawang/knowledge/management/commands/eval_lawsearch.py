from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.knowledge import searching
from fawang.knowledge.evaluation import NATIONAL, metrics
from fawang.knowledge.search.data import load_questions


class Command(BaseCommand):
    help = "用 train.jsonl 格式的问题集评测法律检索（当前索引和模型），输出 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="问题文件，格式同 data/lawsearch/train.jsonl")
        parser.add_argument("--limit", type=int, default=0, help="只评测前 N 个问题")

    def handle(self, *args: Any, file: Path, limit: int, **options: Any) -> None:
        if not file.exists():
            raise CommandError(f"找不到问题文件：{file}")
        index = searching.get_index()
        if index is None:
            raise CommandError(
                f"检索索引不存在（{searching.index_dir()}）：请先运行 manage.py build_law_index。"
            )
        rows = load_questions(file)
        if limit:
            rows = rows[:limit]
        for _ in range(3):  # warm-up, so the first question's latency is not the cold start
            index.search("劳动合同解除经济补偿", filters=NATIONAL)
        m = metrics(index, rows)
        report = {
            "questions": m["n"],
            "mrr@10": m["MRR@10"],
            "recall@1": m["Recall@1"],
            "recall@10": m["Recall@10"],
            "recall@100": m["Recall@100"],
            "latency_p50_ms": m["latency_p50_ms"],
            "latency_p95_ms": m["latency_p95_ms"],
            "docs": len(index),
            "model": index.model is not None,
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
