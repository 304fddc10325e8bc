"""Build the labelled set, train the topic model, measure it.

    python -m fawang.knowledge.topics.train              # data/topics/labelled.jsonl + model/
    python -m fawang.knowledge.topics.train --evaluate   # also 5-fold CV and the hand-checked sample

Same inputs, same outputs, byte for byte (fixed fold seed, deterministic L-BFGS, sorted vocabulary).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .dataset import (
    DEFAULT_ARTICLES,
    DEFAULT_OUT,
    DEFAULT_QUESTIONS,
    REPO_DIR,
    build_dataset,
    read_jsonl,
    write_jsonl,
)
from .model import DEFAULT_MODEL_DIR, TopicModel, features, fit_logistic, vectorize
from .rules import lexicon_topic
from .taxonomy import CODES, GENERAL, NAMES

DEFAULT_HANDCHECK = REPO_DIR / "data" / "topics" / "handcheck.jsonl"

PARAMS: dict[str, float] = {
    "l2": 1e-4,  # per-example-averaged loss, so this is small
    "statute_weight": 0.25,  # statute text is not lay text: it teaches vocabulary, not style
    "min_df": 2,
    "max_features": 12000,
    "beta": 2.0,  # CV prefers ~1; 2 trusts the lay lexicon more on everyday phrasing (see SOURCE.md)
    "threshold": 0.2,
}


def row_text(row: dict) -> str:
    return row["question"]


def build_vocab(feature_rows: Sequence[list[str]], *, min_df: int, max_features: int) -> list[str]:
    df: Counter[str] = Counter()
    for feats in feature_rows:
        df.update(set(feats))
    kept = sorted((f for f, n in df.items() if n >= min_df), key=lambda f: (-df[f], f))[:max_features]
    return sorted(kept)


def train(rows: Sequence[dict], params: dict[str, float] | None = None) -> TopicModel:
    """Fit on labelled rows (``question``, ``topic``, ``kind``)."""
    p = {**PARAMS, **(params or {})}
    feats = [features(row_text(r)) for r in rows]
    vocab = build_vocab(feats, min_df=int(p["min_df"]), max_features=int(p["max_features"]))
    index = {f: i for i, f in enumerate(vocab)}
    x = vectorize(feats, index)
    y = np.array([CODES.index(r["topic"]) for r in rows])
    sw = np.array([p["statute_weight"] if r.get("kind") == "statute" else 1.0 for r in rows])
    w = fit_logistic(x, y, sw, l2=p["l2"], n_classes=len(CODES))
    # Round so that the stored float32 file does not depend on the last bits of the optimiser.
    w = np.round(w, 4)
    return TopicModel(
        vocab=vocab,
        weights=w,
        beta=p["beta"],
        threshold=p["threshold"],
        meta={
            "params": {k: p[k] for k in sorted(p)},
            "trained_on": dict(sorted(Counter(r.get("kind", "question") for r in rows).items())),
        },
    )


# ---- measurement -------------------------------------------------------------------------------------


def folds(labels: Sequence[str], k: int = 5, seed: int = 0) -> list[int]:
    """Stratified fold number per row: shuffle with a fixed seed, then deal each label round-robin."""
    order = np.random.default_rng(seed).permutation(len(labels))
    fold = [0] * len(labels)
    seen: Counter[str] = Counter()
    for i in order:
        fold[i] = seen[labels[i]] % k
        seen[labels[i]] += 1
    return fold


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the topics present in ``gold``."""
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": round(acc, 4), "macro_f1": round(sum(f1s) / max(len(f1s), 1), 4), "n": len(gold)}


def per_topic_f1(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """F1 per topic present in ``gold``, keyed by Chinese name, in taxonomy order."""
    out = {}
    for c in CODES:
        if c not in gold:
            continue
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        out[NAMES[c]] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return out


def lexicon_only(text: str) -> str:
    return lexicon_topic(text) or GENERAL


def cross_validate(
    rows: Sequence[dict], params: dict[str, float] | None = None, k: int = 5
) -> tuple[dict[str, dict], dict[object, str]]:
    """k-fold CV over the questions (statute documents always stay in training).

    Returns the scores per system and the out-of-fold model+lexicon prediction per question id.
    """
    questions = [r for r in rows if r.get("kind", "question") == "question"]
    statutes = [r for r in rows if r.get("kind") == "statute"]
    gold = [r["topic"] for r in questions]
    fold = folds(gold, k)
    preds: dict[str, list[str]] = {"model": [""] * len(gold), "model+lexicon": [""] * len(gold)}
    preds["majority"] = [""] * len(gold)
    for f in range(k):
        train_rows = [r for r, g in zip(questions, fold, strict=True) if g != f] + statutes
        test_idx = [i for i, g in enumerate(fold) if g == f]
        model = train(train_rows, params)
        texts = [row_text(questions[i]) for i in test_idx]
        majority = Counter(r["topic"] for r in train_rows if r.get("kind", "question") == "question")
        top = majority.most_common(1)[0][0]
        for name, pred in (
            ("model", model.predict(texts, use_lexicon=False, fallback=False)),
            ("model+lexicon", model.predict(texts)),
        ):
            for i, p in zip(test_idx, pred, strict=True):
                preds[name][i] = p
        for i in test_idx:
            preds["majority"][i] = top
    preds["lexicon"] = [lexicon_only(row_text(r)) for r in questions]
    out = {name: scores(gold, preds[name]) for name in ("majority", "lexicon", "model", "model+lexicon")}
    statute_only = [i for i, r in enumerate(questions) if r["source"] == "statute"]
    out["model+lexicon, statute-only labels"] = scores(
        [gold[i] for i in statute_only], [preds["model+lexicon"][i] for i in statute_only]
    )
    out["lexicon, statute-only labels"] = scores(
        [gold[i] for i in statute_only], [preds["lexicon"][i] for i in statute_only]
    )
    out["model+lexicon, F1 per topic"] = per_topic_f1(gold, preds["model+lexicon"])
    oof: dict[object, str] = {r.get("qid"): p for r, p in zip(questions, preds["model+lexicon"], strict=True)}
    return out, oof


def handcheck(
    model: TopicModel, rows: Sequence[dict], derived: dict[object, str], oof: dict[object, str]
) -> dict[str, dict]:
    """Agreement with the developer's own labels.

    ``model+lexicon, out-of-fold``: the CV prediction for the question (it was not trained on);
    ``shipped model``: the final model, which saw these questions in training (optimistic).
    """
    gold = [NAME_TO_CODE[r["topic"]] for r in rows]
    texts = [r["question"] for r in rows]
    out: dict[str, dict] = {}
    have = [i for i, r in enumerate(rows) if r.get("qid") in oof]
    out["model+lexicon, out-of-fold"] = scores([gold[i] for i in have], [oof[rows[i]["qid"]] for i in have])
    out["shipped model (saw them in training)"] = scores(gold, model.predict(texts))
    out["lexicon"] = scores(gold, [lexicon_only(t) for t in texts])
    out["majority (合同纠纷)"] = scores(gold, ["contract"] * len(gold))
    have = [i for i, r in enumerate(rows) if r.get("qid") in derived]
    out["derived labels"] = scores([gold[i] for i in have], [derived[rows[i]["qid"]] for i in have])
    return out


NAME_TO_CODE = {name: code for code, name in NAMES.items()}


def label_distribution(rows: Sequence[dict]) -> dict[str, int]:
    c = Counter(r["name"] for r in rows)
    return {NAMES[code]: c[NAMES[code]] for code in CODES}


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], object] = print) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m fawang.knowledge.topics.train", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    ap.add_argument("--articles", default=str(DEFAULT_ARTICLES))
    ap.add_argument("--data-out", default=str(DEFAULT_OUT))
    ap.add_argument("--model-dir", default=str(DEFAULT_MODEL_DIR))
    ap.add_argument("--handcheck", default=str(DEFAULT_HANDCHECK))
    ap.add_argument("--evaluate", action="store_true", help="also run 5-fold CV and the hand-checked sample")
    ap.add_argument("--no-train", action="store_true", help="only (re)build the labelled set")
    args = ap.parse_args(argv)

    rows = build_dataset(args.questions, args.articles)
    write_jsonl(rows, args.data_out)
    questions = [r for r in rows if r["kind"] == "question"]
    out(
        f"labelled set: {args.data_out} ({len(questions)} questions, {len(rows) - len(questions)} statute docs)"
    )
    out("questions per topic: " + json.dumps(label_distribution(questions), ensure_ascii=False))
    out(
        "statute docs per topic: "
        + json.dumps(label_distribution([r for r in rows if r["kind"] == "statute"]), ensure_ascii=False)
    )
    out("label sources: " + json.dumps(dict(sorted(Counter(r["source"] for r in questions).items()))))
    if args.no_train:
        return 0
    model = train(rows)
    model.save(args.model_dir)
    out(f"model: {args.model_dir} ({len(model.vocab)} features)")
    if args.evaluate:
        cv, oof = cross_validate(rows)
        for name, s in cv.items():
            out(f"cv {name}: {json.dumps(s, ensure_ascii=False)}")
        hc = Path(args.handcheck)
        if hc.exists():
            derived = {r["qid"]: r["topic"] for r in questions}
            for name, s in handcheck(model, read_jsonl(hc), derived, oof).items():
                out(f"handcheck {name}: {json.dumps(s)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
