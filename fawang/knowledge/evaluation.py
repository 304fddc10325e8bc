"""Statute search quality and latency on train.jsonl-format questions (no Django: used by
`manage.py eval_lawsearch`, bench/lawsearch/eval.py and bench/bench_lawsearch.py).

Metrics are over the national set (law_path not under DLC/) with versions collapsed: a relevant
(law, article) pair counts once whichever version of the law is retrieved (data/lawsearch/SOURCE.md:
titles match after removing 中华人民共和国, 《》, spaces and mapping （）to ()).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np

from .search import Filters, SearchIndex

NATIONAL = Filters(national=True)
BASELINE_WEIGHTS = {"b": 1.0}


def metrics(
    index: SearchIndex, rows: list[dict], weights: dict[str, float] | None = None
) -> dict[str, float]:
    """MRR@10, Recall@1/10/100 and per-query latency (ms) for rows using the index's current model."""
    mrr = r1 = r10 = r100 = 0.0
    lat = []
    for r in rows:
        t0 = time.perf_counter()
        q = index.parse(r["question"])
        if weights is None:
            top, _ = index.retrieve(q, 100, index.mask(NATIONAL))
        else:
            top = index.rank(index.combine(index.features(q), weights), 100, index.mask(NATIONAL))
        lat.append((time.perf_counter() - t0) * 1000)
        gold = {tuple(g) for g in r["gold"]}
        ranked = [index.provision_keys[int(index.provision[i])] for i in top]
        hits = [j for j, key in enumerate(ranked) if key in gold]
        if hits and hits[0] < 10:
            mrr += 1.0 / (hits[0] + 1)
        r1 += sum(1 for j in hits if j < 1) / len(gold)
        r10 += sum(1 for j in hits if j < 10) / len(gold)
        r100 += len(hits) / len(gold)
    n = max(len(rows), 1)
    return {
        "n": len(rows),
        "MRR@10": round(mrr / n, 4),
        "Recall@1": round(r1 / n, 4),
        "Recall@10": round(r10 / n, 4),
        "Recall@100": round(r100 / n, 4),
        "latency_p50_ms": round(float(np.percentile(lat, 50)), 2) if lat else 0.0,
        "latency_p95_ms": round(float(np.percentile(lat, 95)), 2) if lat else 0.0,
    }


def search_latency(index: SearchIndex, rows: list[dict]) -> dict[str, float]:
    """End-to-end SearchIndex.search (k=10, national filter, highlights) latency in ms."""
    lat, cpu = [], []
    for r in rows:
        t0, c0 = time.perf_counter(), time.process_time()
        index.search(r["question"], k=10, filters=NATIONAL)
        lat.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    # CPU time is reported too: on a shared machine wall-clock latency includes waiting for a core.
    return {
        "search_p50_ms": round(float(np.percentile(lat, 50)), 2),
        "search_p95_ms": round(float(np.percentile(lat, 95)), 2),
        "search_cpu_p50_ms": round(float(np.percentile(cpu, 50)), 2),
        "search_cpu_p95_ms": round(float(np.percentile(cpu, 95)), 2),
    }


def folds(rows: list[dict], k: int, seed: int, split: str = "random") -> list[list[dict]]:
    """random: shuffled folds (unseen questions drawn like these).  blocked: contiguous qid ranges;
    the file is grouped by topic, so this holds out whole topics (a pessimistic check)."""
    if split == "blocked":
        ordered = sorted(rows, key=lambda r: r["qid"])
        size = -(-len(ordered) // k)
        return [ordered[f * size : (f + 1) * size] for f in range(k)]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    return [[rows[i] for i in order[f::k]] for f in range(k)]


def pooled(parts: list[tuple[int, dict[str, float]]]) -> dict[str, float]:
    total = sum(n for n, _ in parts)
    out: dict[str, float] = {"n": total}
    for key in ("MRR@10", "Recall@1", "Recall@10", "Recall@100"):
        out[key] = round(sum(n * m[key] for n, m in parts) / total, 4)
    out["fold_MRR@10"] = [m["MRR@10"] for _, m in parts]  # type: ignore[assignment]
    return out


def cross_validated(
    index: SearchIndex,
    rows: list[dict],
    k: int,
    *,
    also: list[dict] | None = None,
    seed: int = 13,
    split: str = "random",
    progress: Callable[[int, dict[str, float]], None] | None = None,
) -> dict[str, float]:
    """K-fold cross-validation of the learned layer: for each fold, train on the other folds plus ``also`` (rows
    that are always training data, e.g. STARD when measuring the everyday set) and measure the held-out fold.
    The index's model is restored afterwards."""
    from .search.train import train_model

    saved = index.model
    parts = []
    try:
        for f, held in enumerate(folds(rows, k, seed, split)):
            held_ids = {r["qid"] for r in held}
            train_rows = [r for r in rows if r["qid"] not in held_ids] + list(also or [])
            index.attach(train_model(index, train_rows, seed=seed))
            m = metrics(index, held)
            if progress is not None:
                progress(f, m)
            parts.append((len(held), m))
    finally:
        index.attach(saved)
    out = pooled(parts)
    out["latency_p50_ms"] = round(float(np.median([m["latency_p50_ms"] for _, m in parts])), 2)
    out["latency_p95_ms"] = round(float(np.median([m["latency_p95_ms"] for _, m in parts])), 2)
    return out


def held_out(
    index: SearchIndex, rows: list[dict], train_rows: list[dict], *, seed: int = 13
) -> dict[str, float]:
    """Train the learned layer once on ``train_rows`` and measure ``rows`` (which it must not contain), e.g. the
    everyday set's ``holdout`` third with STARD and the ``dev`` two thirds in training: one training instead of K,
    for a loaded machine.  The index's model is restored afterwards."""
    from .search.train import train_model

    measured = {r["question"] for r in rows}
    if any(r["question"] in measured for r in train_rows):
        raise ValueError("a measured question is also a training question")
    saved = index.model
    try:
        index.attach(train_model(index, train_rows, seed=seed))
        return metrics(index, rows)
    finally:
        index.attach(saved)
