from __future__ import annotations

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from typing import ClassVar

from django.core.management import CommandError, call_command
from django.test import override_settings

from fawang.knowledge import searching
from fawang.test import BaseTestCase

from .sample import import_sample

# Unique per run: parallel runs (SQLite and PostgreSQL, other developers) must not share it.
INDEX_DIR = Path(tempfile.mkdtemp(prefix="fawang-test-lawindex-eval-")) / "index"
QUESTIONS = [
    {
        "qid": 1,
        "question": "申请法律援助后多久能作出决定？",
        "relevant": [{"law": "法律援助法", "article": "第四十三条"}],
    },
    {
        "qid": 2,
        "question": "民事诉讼法根据什么制定",
        "relevant": [{"law": "中华人民共和国民事诉讼法", "article": "第一条"}],
    },
    {"qid": 3, "question": "量子纠缠", "relevant": [{"law": "不存在的法", "article": "第一条"}]},
]


@override_settings(LAW_INDEX_DIR=str(INDEX_DIR))
class EvalCommandTestCase(BaseTestCase):
    questions: ClassVar[Path]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        tmp = INDEX_DIR.parent / "source"
        import_sample(tmp)
        cls.addClassCleanup(shutil.rmtree, INDEX_DIR.parent, True)
        call_command("build_law_index", quiet_progress=True, stdout=StringIO())
        cls.questions = tmp / "questions.jsonl"
        cls.questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS))

    def test_it_prints_metrics_as_json(self) -> None:
        out = StringIO()
        call_command("eval_lawsearch", str(self.questions), stdout=out)
        report = json.loads(out.getvalue())
        self.assertEqual(
            set(report),
            {
                "questions",
                "mrr@10",
                "recall@1",
                "recall@10",
                "recall@100",
                "latency_p50_ms",
                "latency_p95_ms",
                "docs",
                "model",
                "search_latency",
            },
        )
        self.assertEqual(report["questions"], 3)
        self.assertEqual(report["docs"], 9)
        # Questions 1 and 2 are answered in the top 10 (any version counts); question 3 cannot be.
        self.assertAlmostEqual(report["recall@10"], 2 / 3, places=3)
        self.assertGreater(report["mrr@10"], 0.3)
        self.assertGreaterEqual(report["latency_p95_ms"], report["latency_p50_ms"])

    def test_it_cross_validates_beside_the_baseline(self) -> None:
        also = INDEX_DIR.parent / "source" / "also.jsonl"
        also.write_text(
            json.dumps({"qid": 9, "question": "法律援助申请多久决定", "relevant": QUESTIONS[0]["relevant"]})
            + "\n",
            encoding="utf-8",
        )
        out, err = StringIO(), StringIO()
        call_command(
            "eval_lawsearch",
            str(self.questions),
            "--kfold",
            "3",
            "--train-also",
            str(also),
            "--baseline",
            stdout=out,
            stderr=err,
        )
        report = json.loads(out.getvalue())
        self.assertEqual(report["cv3"]["n"], 3)
        self.assertEqual(len(report["cv3"]["fold_mrr@10"]), 3)
        self.assertAlmostEqual(report["cv3"]["recall@100"], 2 / 3, places=3)
        self.assertEqual(report["baseline_bigram_bm25"]["n"], 3)
        self.assertIn("第 3/3 折", err.getvalue())
        with self.assertRaisesMessage(CommandError, "没有可评测的问题。"):
            call_command("eval_lawsearch", str(self.questions), "--split", "holdout", stdout=StringIO())

    def test_it_measures_the_holdout_with_a_model_trained_on_the_dev_rows(self) -> None:
        """--holdout: one training on the dev rows (plus --train-also), the holdout rows measured; one training
        instead of K when the machine is busy."""
        source = INDEX_DIR.parent / "source"
        split = source / "split.jsonl"
        split.write_text(
            "".join(
                json.dumps({**q, "split": "holdout" if q["qid"] != 2 else "dev"}, ensure_ascii=False) + "\n"
                for q in QUESTIONS
            ),
            encoding="utf-8",
        )
        also = source / "also-holdout.jsonl"
        also.write_text(
            json.dumps({"qid": 9, "question": "法律援助申请多久决定", "relevant": QUESTIONS[0]["relevant"]})
            + "\n",
            encoding="utf-8",
        )
        out = StringIO()
        call_command(
            "eval_lawsearch", str(split), "--holdout", "--train-also", str(also), "--baseline", stdout=out
        )
        report = json.loads(out.getvalue())
        self.assertEqual(report["questions"], 2)  # questions 1 and 3
        self.assertEqual(report["holdout"]["n"], 2)
        self.assertEqual(report["holdout"]["trained_on"], 2)  # question 2 and the extra one
        self.assertAlmostEqual(report["holdout"]["recall@100"], 1 / 2, places=3)
        self.assertEqual(report["baseline_bigram_bm25"]["n"], 2)

    def test_it_fails_clearly_without_index_or_file(self) -> None:
        with self.assertRaisesMessage(CommandError, "找不到问题文件"):
            call_command("eval_lawsearch", "/nonexistent.jsonl")
        with (
            override_settings(LAW_INDEX_DIR=str(INDEX_DIR / "missing")),
            self.assertRaisesMessage(CommandError, "检索索引不存在"),
        ):
            call_command("eval_lawsearch", str(self.questions))
        self.assertTrue(searching.index_exists(INDEX_DIR))
