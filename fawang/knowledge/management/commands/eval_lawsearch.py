from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.knowledge import searching
from fawang.knowledge.evaluation import (
    BASELINE_WEIGHTS,
    NATIONAL,
    cross_validated,
    held_out,
    metrics,
    search_latency,
)
from fawang.knowledge.search.data import load_questions


def _brief(m: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "n",
        "MRR@10",
        "Recall@1",
        "Recall@10",
        "Recall@100",
        "latency_p50_ms",
        "latency_p95_ms",
        "fold_MRR@10",
    )
    return {k.lower(): m[k] for k in keys if k in m}


class Command(BaseCommand):
    help = (
        "用 train.jsonl 格式的问题集评测法律检索（当前索引和模型），输出 JSON。"
        "--kfold K 做 K 折交叉验证（每折用其余各折加 --train-also 的问题重新训练学习部分）；"
        "--baseline 同时给出同一次运行中纯字二元组 BM25 的结果。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="问题文件，格式同 data/lawsearch/train.jsonl")
        parser.add_argument("--limit", type=int, default=0, help="只评测前 N 个问题")
        parser.add_argument("--split", default="", help="只评测 split 字段等于该值的问题（如 dev、holdout）")
        parser.add_argument("--baseline", action="store_true", help="同时评测字二元组 BM25 基线")
        parser.add_argument("--kfold", type=int, default=0, help="K 折交叉验证学习部分（0 = 用当前模型）")
        parser.add_argument(
            "--train-also",
            type=Path,
            action="append",
            default=[],
            help="交叉验证时每折都用来训练的问题文件（可重复），例如评测日常问题集时加上 STARD",
        )
        parser.add_argument(
            "--holdout",
            action="store_true",
            help="另训练一次学习部分：用 split 为 dev 的问题加 --train-also 训练，评测 split 为 holdout 的问题"
            "（只需一次训练，机器忙时代替 --kfold）",
        )
        parser.add_argument("--seed", type=int, default=13)

    def handle(
        self,
        *args: Any,
        file: Path,
        limit: int,
        split: str,
        baseline: bool,
        kfold: int,
        train_also: list[Path],
        holdout: bool,
        seed: int,
        **options: Any,
    ) -> None:
        for path in [file, *train_also]:
            if not path.exists():
                raise CommandError(f"找不到问题文件：{path}")
        index = searching.get_index()
        if index is None:
            raise CommandError(
                f"检索索引不存在（{searching.index_dir()}）：请先运行 manage.py build_law_index。"
            )
        rows = load_questions(file)
        dev_rows = [r for r in rows if r.get("split") == "dev"]
        if holdout:
            split = "holdout"
        if split:
            rows = [r for r in rows if r.get("split") == split]
        if limit:
            rows = rows[:limit]
        if not rows:
            raise CommandError("没有可评测的问题。")
        for _ in range(3):  # warm-up, so the first question's latency is not the cold start
            index.search("劳动合同解除经济补偿", filters=NATIONAL)
        m = metrics(index, rows)
        report: dict[str, Any] = {
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
        if index.model is not None:
            report["search_latency"] = search_latency(index, rows)
        if baseline:
            report["baseline_bigram_bm25"] = _brief(metrics(index, rows, BASELINE_WEIGHTS))
        also = [r for path in train_also for r in load_questions(path)]
        if holdout:
            report["holdout"] = _brief(held_out(index, rows, also + dev_rows, seed=seed))
            report["holdout"]["trained_on"] = len(dev_rows) + len(also)
        if kfold > 1:

            def progress(f: int, fm: dict[str, float]) -> None:
                self.stderr.write(f"第 {f + 1}/{kfold} 折：{json.dumps(_brief(fm), ensure_ascii=False)}")

            report[f"cv{kfold}"] = _brief(
                cross_validated(index, rows, kfold, also=also, seed=seed, progress=progress)
            )
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
