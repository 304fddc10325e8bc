"""Law search (issue 5): import, index build, quality and latency, against a plain char-bigram BM25 baseline.

The engine (fawang.knowledge.search: words + bigrams + context fields, learned priors, kNN over past questions and a
quadratic reranker) is measured on the full data/lawsearch/train.jsonl.  The shipped model learned from those
questions, so those figures are optimistic; the honest estimate is the 5-fold cross-validation in
bench/lawsearch/NOTES.md (quoted in the report; rerun with `bench/lawsearch/eval.py --kfold 5`, ~5 minutes).
Baseline: BM25 over character bigrams of the article text alone, on the same articles, measured in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from fawang.knowledge.evaluation import BASELINE_WEIGHTS, NATIONAL, metrics, search_latency
from fawang.knowledge.search import DEFAULT_MODEL_DIR, SearchIndex
from fawang.knowledge.search.bm25 import BM25Field, Vocab, count_matrix
from fawang.knowledge.search.data import default_questions, iter_articles, load_questions
from fawang.knowledge.search.segment import Segmenter

from .harness import Context, Row, Section

# bench/lawsearch/NOTES.md, rows 0 and 6 (5-fold CV, random folds, seed 13): MRR@10 / R@10 / R@100.
CV_ENGINE = "0.564 / 0.664 / 0.878"
CV_BASELINE = "0.387 / 0.467 / 0.663"


def baseline_build_seconds() -> float:
    """Build a char-bigram BM25 index over the same (non-案例) articles: the baseline's whole build."""
    started = time.perf_counter()
    seg = Segmenter({})
    docs = [a for a in iter_articles() if a.get("level") != "案例"]
    vocab = Vocab()
    BM25Field.from_counts(count_matrix([seg.bigrams(a.get("text") or "") for a in docs], vocab))
    return time.perf_counter() - started


def baseline_latency(index: SearchIndex, rows: list[dict]) -> tuple[float, float]:
    """Per-question wall time of the baseline search: bigram BM25 scores and the national top 10."""
    lat = []
    for r in rows:
        t0 = time.perf_counter()
        q = index.parse(r["question"])
        index.rank(
            index.combine({"b": index.fields["b"].score(*q.bigram_ids)}, BASELINE_WEIGHTS),
            10,
            index.mask(NATIONAL),
        )
        lat.append((time.perf_counter() - t0) * 1000)
    return float(np.percentile(lat, 50)), float(np.percentile(lat, 95))


def fmt(m: dict[str, float]) -> str:
    return f"{m['MRR@10']:.3f} / {m['Recall@10']:.3f} / {m['Recall@100']:.3f}"


def run(ctx: Context) -> Section:
    section = Section(
        "Law search (issue 5)",
        "`import_laws` of all 3,423 statutes (147,283 articles, 案例 excluded) into an empty migrated database, then "
        "again (nothing changed); `build_law_index` from the database; quality on the 1,235 questions of "
        "data/lawsearch/train.jsonl (MRR@10 / Recall@10 / Recall@100, national set, versions collapsed) and latency "
        "of `SearchIndex.search()` (k=10, national filter, highlights, one thread, warm). Baseline: char-bigram BM25 "
        "over the article text, same articles, same run. The shipped model learned from train.jsonl, so the "
        f"train-set figures are optimistic: the 5-fold cross-validated figures (NOTES.md) are {CV_ENGINE} for the "
        f"engine against {CV_BASELINE} for the baseline.",
    )
    index_dir: Path | None = None
    for label, url in ctx.databases.items():
        url = ctx.fresh_database(label, "laws")
        ctx.manage(url, "migrate", "--no-input", "-v0")
        first = ctx.manage(url, "import_laws", "--quiet-progress")
        again = ctx.manage(url, "import_laws", "--quiet-progress")
        section.rows.append(
            Row(f"{label}: import_laws, all statutes", f"{first:.1f} s", "", "", "includes process start")
        )
        section.rows.append(
            Row(
                f"{label}: import_laws again (unchanged)",
                f"{again:.1f} s",
                "",
                f"{first / again:.1f}×",
                "hash check only",
            )
        )
        if index_dir is None:
            build = ctx.manage(url, "build_law_index", "--quiet-progress")
            index_dir = ctx.tmp / "var" / "lawindex"
            base_build = baseline_build_seconds()
            section.rows.append(
                Row(
                    "build_law_index (full engine)",
                    f"{build:.1f} s",
                    f"{base_build:.1f} s (bigram BM25 only)",
                    f"{build / base_build:.1f}× slower",
                    f"index {sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20:.0f} MiB",
                )
            )
    assert index_dir is not None
    started = time.perf_counter()
    index = SearchIndex.load(index_dir, model_dir=DEFAULT_MODEL_DIR)
    load = time.perf_counter() - started
    rows = load_questions(default_questions())
    for _ in range(3):
        index.search("劳动合同解除经济补偿", filters=NATIONAL)
    engine = metrics(index, rows)
    base = metrics(index, rows, BASELINE_WEIGHTS)
    section.rows.append(
        Row(
            "quality on train.jsonl (MRR@10 / R@10 / R@100)",
            fmt(engine),
            fmt(base),
            f"+{engine['MRR@10'] - base['MRR@10']:.3f} MRR",
            f"model learned from these questions; CV: {CV_ENGINE} vs {CV_BASELINE}",
        )
    )
    lat = search_latency(index, rows)
    b50, b95 = baseline_latency(index, rows)
    section.rows.append(
        Row(
            "search() latency p50",
            f"{lat['search_p50_ms']:.1f} ms",
            f"{b50:.1f} ms",
            f"{lat['search_p50_ms'] / b50:.1f}×",
        )
    )
    section.rows.append(
        Row(
            "search() latency p95",
            f"{lat['search_p95_ms']:.1f} ms",
            f"{b95:.1f} ms",
            f"{lat['search_p95_ms'] / b95:.1f}×",
            f"CPU p95 {lat['search_cpu_p95_ms']:.1f} ms; index + model load {load:.1f} s once per process",
        )
    )
    return section
