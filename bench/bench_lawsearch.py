"""Law search quality (issues 5 and 15): on STARD and on everyday questions, and topic routing, each against a
baseline from the same run.  Speed (import, index build, latency in-process and through HTTP) is
bench_lawsearch_speed.py, which also builds this bench's database.

Quality comes from `manage.py eval_lawsearch` (the command anyone can rerun) with 5-fold cross-validation of the
learned layer: the shipped model learned from both question sets, so only cross-validated figures are honest. On the
everyday set (data/lawsearch/everyday.jsonl) every fold trains on the other folds plus all of STARD; on STARD
(data/lawsearch/train.jsonl) on the other folds plus all everyday questions. Baseline: BM25 over character bigrams
of the article text alone, same articles, same run. Topic routing: the shipped classifier on the hand-labelled
everyday questions (it never trains on them), against the lay lexicon alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fawang.knowledge.search.data import default_everyday, default_questions

from .bench_lawsearch_speed import build_database
from .harness import ROOT, Context, Row, Section

TITLE = "Law search (issues 5 and 15)"


def fmt(m: dict[str, Any]) -> str:
    return f"{m['mrr@10']:.3f} / {m['recall@10']:.3f} / {m['recall@100']:.3f}"


def eval_command(ctx: Context, db_url: str, *args: str) -> dict[str, Any]:
    """`manage.py eval_lawsearch ARGS` in a fresh process; its JSON report."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "eval_lawsearch", *args],
        env=ctx.env(db_url),
        check=True,
        capture_output=True,
        text=True,
        timeout=7200,
    )
    return json.loads(out.stdout)


def topic_rows(section: Section) -> None:
    from fawang.knowledge.topics import get_model
    from fawang.knowledge.topics.rules import lexicon_topic
    from fawang.knowledge.topics.train import NAME_TO_CODE, evaluate_labelled, scores

    rows = [json.loads(line) for line in default_everyday().read_text(encoding="utf-8").splitlines()]
    result = evaluate_labelled(get_model(), rows)
    lexicon = scores(
        [NAME_TO_CODE[r["topic"]] for r in rows], [lexicon_topic(r["question"]) or "general" for r in rows]
    )
    weakest = sorted(result["recall"].items(), key=lambda kv: kv[1])[:3]
    section.rows.append(
        Row(
            "topic accuracy, everyday set (hand-labelled, never trained on)",
            f"{result['accuracy']:.3f} (macro-F1 {result['macro_f1']:.3f})",
            f"{lexicon['accuracy']:.3f} (lexicon alone)",
            f"+{result['accuracy'] - lexicon['accuracy']:.3f}",
            f"{result['n']} questions; {result['uncertain']} answered 不确定 → 综合咨询 (a person routes them); "
            f"lowest recall: " + ", ".join(f"{k} {v:.2f}" for k, v in weakest),
        )
    )
    section.rows.append(
        Row(
            "topic recall per topic, everyday set",
            ", ".join(f"{k} {v:.2f}" for k, v in result["recall"].items()),
            "",
            "",
            "target ≥ 0.30 for every topic: " + ("meets" if result["min_recall"] >= 0.30 else "misses"),
        )
    )


def run(ctx: Context) -> Section:
    section = Section(
        TITLE,
        "Quality (MRR@10 / Recall@10 / Recall@100, national set, versions collapsed) from `manage.py "
        "eval_lawsearch … --kfold 5 --baseline` against an index built through the database (bench_lawsearch_speed's "
        "`build_database`), on the everyday set (data/lawsearch/everyday.jsonl, every fold also trained on all of "
        "STARD) and on STARD (data/lawsearch/train.jsonl, 1,235 questions, every fold also trained on all everyday "
        "questions); the shipped model learned from both, so only these cross-validated figures are honest. "
        "Baseline: char-bigram BM25 over the article text, same articles, same run. Targets: everyday MRR@10 ≥ 0.55 "
        "and R@100 ≥ 0.90; STARD CV MRR@10 ≥ 0.564; topic accuracy ≥ 0.60 with every topic's recall ≥ 0.30. Speed "
        "is in its own section (bench_lawsearch_speed).",
    )
    built_url = build_database(ctx)
    everyday, stard = str(default_everyday()), str(default_questions())
    # The two cross-validations (ten trainings) run side by side.
    with ThreadPoolExecutor(2) as pool:
        ev_job = pool.submit(
            eval_command, ctx, built_url, everyday, "--kfold", "5", "--train-also", stard, "--baseline"
        )
        st_job = pool.submit(
            eval_command, ctx, built_url, stard, "--kfold", "5", "--train-also", everyday, "--baseline"
        )
        ev, st = ev_job.result(), st_job.result()
    for name, report, target in (
        ("everyday set", ev, "target MRR@10 ≥ 0.55, R@100 ≥ 0.90"),
        ("STARD (1,235)", st, "target MRR@10 ≥ 0.564 (issue 5's CV figure)"),
    ):
        cv, base = report["cv5"], report["baseline_bigram_bm25"]
        section.rows.append(
            Row(
                f"quality, {name}, 5-fold CV (MRR@10 / R@10 / R@100)",
                fmt(cv),
                fmt(base),
                f"+{cv['mrr@10'] - base['mrr@10']:.3f} MRR",
                f"{target}; folds MRR@10 {cv['fold_mrr@10']}; shipped model on these rows (saw them): "
                f"{report['mrr@10']:.3f} / {report['recall@10']:.3f} / {report['recall@100']:.3f}",
            )
        )
    topic_rows(section)
    return section
