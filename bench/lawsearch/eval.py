"""Evaluate statute search on a train.jsonl-format file; prints JSON.

    .venv/bin/python bench/lawsearch/eval.py                       # shipped model, all questions
    .venv/bin/python bench/lawsearch/eval.py --baseline --kfold 5  # + bigram BM25 baseline + 5-fold CV
    .venv/bin/python bench/lawsearch/eval.py --no-model            # lexical engine only

Metrics are over the national set (law_path not under DLC/) with versions collapsed: a relevant
(law, article) pair counts once whichever version of the law is retrieved.  With --kfold K every
learned part is trained on K-1 folds and measured on the held-out fold (figures pooled over folds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fawang.knowledge.evaluation import BASELINE_WEIGHTS, NATIONAL, folds, metrics, pooled, search_latency
from fawang.knowledge.search import SearchIndex, build_index, iter_articles
from fawang.knowledge.search.data import (
    DEFAULT_ARTICLES,
    DEFAULT_MODEL_DIR,
    default_questions,
    load_questions,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", default=str(default_questions()))
    ap.add_argument("--articles", default=str(DEFAULT_ARTICLES))
    ap.add_argument("--index-dir", default="var/lawsearch-index")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the index even if it exists")
    ap.add_argument("--model-dir", default=str(DEFAULT_MODEL_DIR))
    ap.add_argument("--no-model", action="store_true", help="lexical engine only (no learned parts)")
    ap.add_argument("--baseline", action="store_true", help="also plain char-bigram BM25")
    ap.add_argument("--kfold", type=int, default=0, help="K-fold cross-validation of the learned parts")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--split", choices=("random", "blocked"), default="random", help="how --kfold splits")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)

    index_dir = Path(args.index_dir)
    if args.rebuild or not (index_dir / "meta.json").exists():
        build_index(iter_articles(args.articles), index_dir)
    t0 = time.perf_counter()
    index = SearchIndex.load(index_dir)
    load_s = time.perf_counter() - t0
    rows = load_questions(args.questions)
    if args.limit:
        rows = rows[: args.limit]
    for _ in range(3):  # warm-up
        index.search("劳动合同解除经济补偿", filters=NATIONAL)
    report: dict[str, object] = {
        "questions": len(rows),
        "docs": len(index),
        "build_seconds": index.meta["build_seconds"],
        "load_seconds": round(load_s, 2),
    }
    if args.baseline:
        report["baseline_bigram_bm25"] = metrics(index, rows, BASELINE_WEIGHTS)
    report["lexical"] = metrics(index, rows)
    if not args.no_model:
        from fawang.knowledge.search.model import LearnedModel
        from fawang.knowledge.search.train import train_model

        model_dir = Path(args.model_dir)
        if (model_dir / "model.json").exists():
            index.attach(LearnedModel.load(model_dir))
            report["shipped_model_on_these_rows(not CV)"] = metrics(index, rows)
            report["shipped_model_search_latency"] = search_latency(index, rows)
            index.attach(None)
        if args.kfold > 1:
            parts = []
            for f, held in enumerate(folds(rows, args.kfold, args.seed, args.split)):
                held_ids = {r["qid"] for r in held}
                train_rows = [r for r in rows if r["qid"] not in held_ids]
                t1 = time.perf_counter()
                model = train_model(index, train_rows, seed=args.seed, verbose=True)
                index.attach(model)
                m = metrics(index, held)
                m["train_seconds"] = round(time.perf_counter() - t1, 1)
                print(f"fold {f}: {json.dumps(m, ensure_ascii=False)}", file=sys.stderr, flush=True)
                parts.append((len(held), m))
                index.attach(None)
            cv = pooled(parts)
            cv["latency_p50_ms"] = round(float(np.median([m["latency_p50_ms"] for _, m in parts])), 2)
            cv["latency_p95_ms"] = round(float(np.median([m["latency_p95_ms"] for _, m in parts])), 2)
            report[f"learned_cv{args.kfold}_{args.split}_seed{args.seed}"] = cv
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
