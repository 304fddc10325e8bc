"""Train the learned layer (model.py) from lay questions; writes model.json.

    .venv/bin/python -m fawang.knowledge.search.train [--index var/lawsearch-index] [--rebuild-index]
        [--questions PATH/train.jsonl] [--out fawang/knowledge/search/model]

The index is built first (about 1 minute) if the directory has none.

Two steps.  (1) Counting: priors, expansion bags, past-question bags and the translation table.
(2) Reranker weights: a listwise softmax model, quadratic in the main signals, over the engine's
first-stage candidates.  Weights must be fitted on features a question would see at query time,
i.e. computed by a model that did *not* see that question (otherwise the expansion field and the
neighbours match the question to itself and get overweighted), so step 2 uses inner K-fold
features.  Deterministic for a given seed and data.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

import numpy as np

from .data import (
    DEFAULT_ARTICLES,
    DEFAULT_MODEL_DIR,
    default_everyday,
    default_questions,
    iter_articles,
    load_questions,
)
from .engine import DEFAULT_WEIGHTS, N_CANDIDATES, Filters, SearchIndex, build_index
from .model import EVERYDAY_SOURCES, LearnedModel, learn_statistics

FEATURES = ("w", "b", "cw", "cb", "L", "x", "xc", "Lx", "e", "n", "ns", "nl", "t", "p_law", "p_art", "p_sec")
# The reranker is quadratic in the main signals (all pairwise products and squares): interactions
# such as "a lexical match inside a law that neighbours' questions point to" carry most of the gain.
_KEY = ("w", "b", "cw", "L", "x", "xc", "Lx", "e", "n", "ns", "nl", "t", "p_law", "p_art", "p_sec")
INTERACTIONS = tuple(f"{a}*{b}" for a, b in itertools.combinations_with_replacement(_KEY, 2))
# Every signal and product again, multiplied by how everyday the question sounds (model.py, style.py): the fit can
# then weigh evidence differently for everyday and doctrinal questions (bench/lawsearch/NOTES.md, "STARD floor").
STYLE = "p_everyday"
GATED = tuple(f"{n}*{STYLE}" for n in FEATURES + INTERACTIONS)
NAMES = FEATURES + INTERACTIONS + GATED
GRID = (0.0, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3, 1.7, 2.2, 3.0, 4.0, 5.5)
FITTER = "softmax"
# Everyday questions (data/lawsearch/everyday.jsonl, source "everyday") and people's feedback (source "feedback")
# weigh more than STARD's in fitting the reranker: they are how people at a window or on the phone ask.
EVERYDAY_WEIGHT = 3.0
WEIGHTED_SOURCES = EVERYDAY_SOURCES


def row_weight(row: dict) -> float:
    return float(row.get("weight", EVERYDAY_WEIGHT if row.get("source") in WEIGHTED_SOURCES else 1.0))


def _candidates(index: SearchIndex, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per query: candidate feature tensor X (Q x C x F), labels Y (Q x C), valid mask V.
    Candidates come from the engine's own first stage, so training sees what search will rerank."""
    mask = index.mask(Filters(national=True))
    names = NAMES
    Q, F = len(rows), len(names)
    X = np.zeros((Q, N_CANDIDATES, F), dtype=np.float32)
    Y = np.zeros((Q, N_CANDIDATES), dtype=bool)
    V = np.zeros((Q, N_CANDIDATES), dtype=bool)
    for qi, r in enumerate(rows):
        feats = index.features(index.parse(r["question"]))
        cand = index.candidates(feats, mask)
        gold = {tuple(g) for g in r["gold"]}
        X[qi, : len(cand)] = index.feature_matrix(feats, cand, names)
        Y[qi, : len(cand)] = [index.provision_keys[int(index.provision[i])] in gold for i in cand]
        V[qi, : len(cand)] = True
    return X, Y, V


def objective(X: np.ndarray, Y: np.ndarray, V: np.ndarray, n_gold: np.ndarray, w: np.ndarray) -> float:
    s = np.where(V, X @ w, -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")
    y = np.take_along_axis(Y, order, axis=1)
    first = np.where(y[:, :10].any(axis=1), y[:, :10].argmax(axis=1), -1)
    mrr = np.where(first >= 0, 1.0 / (np.maximum(first, 0) + 1), 0.0).mean()
    r10 = (y[:, :10].sum(axis=1) / n_gold).mean()
    r100 = (y[:, :100].sum(axis=1) / n_gold).mean()
    return float(mrr + r10 + 0.5 * r100)


def fit_softmax(
    X: np.ndarray, Y: np.ndarray, V: np.ndarray, l2: float = 1e-3, qw: np.ndarray | None = None
) -> dict[str, float]:
    """Listwise softmax (ListNet-style) linear model over candidates: smooth and convex, so it is
    less prone than direct metric search to chase noise in ~1000 training questions.  ``qw``: a weight
    per question (everyday questions count more than STARD's, see EVERYDAY_WEIGHT)."""
    from scipy.optimize import minimize

    keep = (Y & V).any(axis=1)
    names = NAMES
    if not keep.any():  # no question has an answer among its candidates: nothing to learn, lexical default
        return {f: DEFAULT_WEIGHTS.get(f, 0.0) for f in names}
    qw = np.ones(len(X)) if qw is None else np.asarray(qw, dtype=np.float64)
    qw = qw[keep] / qw[keep].mean()
    X, Y, V = X[keep].astype(np.float64), Y[keep].astype(np.float64), V[keep]
    npos = Y.sum(axis=1, keepdims=True)
    scale = np.maximum(np.abs(X).reshape(-1, X.shape[2]).max(axis=0), 1e-6)
    Xs = X / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        sc = np.where(V, Xs @ w, -np.inf)
        m = sc.max(axis=1, keepdims=True)
        e = np.where(V, np.exp(sc - m), 0.0)
        z = e.sum(axis=1, keepdims=True)
        logp = np.where(V, sc - m - np.log(z), 0.0)
        val = float(-(qw * (Y * logp).sum(axis=1) / npos[:, 0]).mean() + l2 * (w @ w))
        g = (e / z - Y / npos) * qw[:, None]
        grad = np.einsum("qc,qcf->f", g, Xs) / len(X) + 2 * l2 * w
        return val, grad

    w0 = np.zeros(X.shape[2])
    w0[names.index("w")] = w0[names.index("b")] = 1.0
    res = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    w = res.x / scale
    return {f: float(v) for f, v in zip(names, w, strict=True)}


def fit_weights(
    X: np.ndarray, Y: np.ndarray, V: np.ndarray, n_gold: np.ndarray, rounds: int = 3
) -> dict[str, float]:
    names = NAMES
    w = np.asarray([DEFAULT_WEIGHTS.get(f, 0.0) for f in names], dtype=np.float32)
    best = objective(X, Y, V, n_gold, w)
    for _ in range(rounds):
        improved = False
        for j, f in enumerate(names):
            if f == "b":
                continue  # scale anchor
            for g in GRID:
                trial = w.copy()
                trial[j] = g
                val = objective(X, Y, V, n_gold, trial)
                if val > best + 1e-6:
                    best, w, improved = val, trial, True
        if not improved:
            break
    return {f: float(v) for f, v in zip(names, w, strict=True)}


def train_model(
    index: SearchIndex,
    rows: list[dict],
    *,
    seed: int = 13,
    inner_folds: int = 5,
    inner_split: str = "random",
    verbose: bool = False,
) -> LearnedModel:
    """Full training: inner-fold features -> reranker weights; statistics from all rows.

    inner_split="blocked" holds out contiguous qid ranges (whole topics) when fitting the weights,
    which makes the model trust past questions less: better on topics absent from training, worse
    on questions like the training ones (see bench/lawsearch/NOTES.md)."""
    if inner_split == "blocked":
        ordered = sorted(rows, key=lambda r: r["qid"])
        size = -(-len(ordered) // inner_folds)
        parts = [ordered[f * size : (f + 1) * size] for f in range(inner_folds)]
    else:
        order = list(range(len(rows)))
        random.Random(seed + 1).shuffle(order)
        parts = [[rows[i] for i in order[f::inner_folds]] for f in range(inner_folds)]
    Xs, Ys, Vs, golds, qws = [], [], [], [], []
    saved = index.model
    for f in range(inner_folds):
        held = parts[f]
        rest = [r for g, p in enumerate(parts) if g != f for r in p]
        index.attach(learn_statistics(index, rest))
        X, Y, V = _candidates(index, held)
        Xs.append(X)
        Ys.append(Y)
        Vs.append(V)
        golds.append(np.asarray([len(r["gold"]) for r in held], dtype=np.float32))
        qws.append(np.asarray([row_weight(r) for r in held]))
    index.attach(saved)
    X, Y, V, n_gold = np.concatenate(Xs), np.concatenate(Ys), np.concatenate(Vs), np.concatenate(golds)
    weights = (
        fit_softmax(X, Y, V, qw=np.concatenate(qws)) if FITTER == "softmax" else fit_weights(X, Y, V, n_gold)
    )
    if verbose:
        print(
            f"weights {weights} objective {objective(X, Y, V, n_gold, np.asarray(list(weights.values()))):.4f}",
            file=sys.stderr,
        )
    model = learn_statistics(index, rows)
    model.weights = weights
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", default="var/lawsearch-index", help="index dir built by build_index")
    ap.add_argument("--questions", default=str(default_questions()))
    ap.add_argument("--out", default=str(DEFAULT_MODEL_DIR))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--articles", default=str(DEFAULT_ARTICLES), help="used when the index must be built")
    ap.add_argument("--rebuild-index", action="store_true", help="(re)build the index first")
    ap.add_argument("--inner-split", choices=("random", "blocked"), default="random")
    ap.add_argument(
        "--extra",
        action="append",
        default=None,
        help="more questions to learn from (train.jsonl format, repeatable): by default the everyday set "
        "data/lawsearch/everyday.jsonl; add the file of manage.py export_search_feedback to learn from feedback",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.rebuild_index or not (Path(args.index) / "meta.json").exists():
        meta = build_index(iter_articles(args.articles), args.index)
        print(f"built index {args.index} in {meta['build_seconds']}s")
    index = SearchIndex.load(args.index)
    rows = load_questions(args.questions)
    for extra in args.extra if args.extra is not None else [str(default_everyday())]:
        rows += load_questions(extra)
    model = train_model(index, rows, seed=args.seed, inner_split=args.inner_split, verbose=True)
    model.save(Path(args.out))
    print(f"trained on {len(rows)} questions in {time.perf_counter() - t0:.1f}s -> {args.out}/model.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
