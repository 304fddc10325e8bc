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
    # Balanced priors: each topic's rows together weigh the same (power 1 = fully balanced), so the topics the
    # statute-derived labels over-represent (合同纠纷, 房产纠纷) do not win every doubtful question.
    "balance": 1.0,
    "calibrate": 1.0,  # fit a temperature on out-of-fold predictions (1 = yes)
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
    sw = sw * class_balance(y, sw, p["balance"])
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


def class_balance(y: np.ndarray, sw: np.ndarray, power: float) -> np.ndarray:
    """Per-row factor that gives every topic present the same total weight (``power`` 1), none (0) or between."""
    total = np.bincount(y, weights=sw, minlength=len(CODES))
    present = total > 0
    target = total[present].mean()
    factor = np.ones(len(CODES))
    factor[present] = (target / total[present]) ** power
    return factor[y]


def fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the log loss of softmax(z / T) on held-out logits: calibration, so that
    ``confidence`` reads as a probability and the uncertainty threshold means the same after retraining."""
    best_t, best = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.2), np.log(5.0), 61)):
        zt = z / t
        zt = zt - zt.max(axis=1, keepdims=True)
        logp = zt - np.log(np.exp(zt).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best - 1e-12:
            best_t, best = float(t), nll
    return round(best_t, 4)


def calibrated(rows: Sequence[dict], params: dict[str, float] | None = None, k: int = 5) -> TopicModel:
    """Train on all rows, with the temperature fitted on out-of-fold logits of the questions (statute rows
    always in training), so the calibration is measured on questions the model did not see."""
    p = {**PARAMS, **(params or {})}
    model = train(rows, p)
    if not p.get("calibrate"):
        return model
    questions = [r for r in rows if r.get("kind", "question") == "question"]
    statutes = [r for r in rows if r.get("kind") == "statute"]
    fold = folds([r["topic"] for r in questions], k)
    zs, ys = [], []
    for f in range(k):
        part = train([r for r, g in zip(questions, fold, strict=True) if g != f] + statutes, p)
        held = [r for r, g in zip(questions, fold, strict=True) if g == f]
        if held:
            zs.append(part.logits([row_text(r) for r in held]))
            ys.append(np.array([CODES.index(r["topic"]) for r in held]))
    if zs:
        model.temperature = fit_temperature(np.concatenate(zs), np.concatenate(ys))
    return model


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
DEFAULT_EVERYDAY = REPO_DIR / "data" / "lawsearch" / "everyday.jsonl"


def evaluate_labelled(model: TopicModel, rows: Sequence[dict]) -> dict:
    """Accuracy, recall per topic, how many answers were 'uncertain' (综合咨询 because the model was not sure) and
    the confusion matrix (gold topic -> predicted topic -> count) on rows labelled by hand with a topic name.
    The rows must not be in the model's training data (the everyday set is not: training uses STARD only)."""
    gold = [NAME_TO_CODE[r["topic"]] for r in rows]
    results = [model.classify(r["question"]) for r in rows]
    pred = [x.code for x in results]
    confusion: dict[str, dict[str, int]] = {NAMES[c]: {} for c in CODES if c in gold}
    for g, p in zip(gold, pred, strict=True):
        cell = confusion[NAMES[g]]
        cell[NAMES[p]] = cell.get(NAMES[p], 0) + 1
    recall = {
        NAMES[c]: round(sum(g == c and p == c for g, p in zip(gold, pred, strict=True)) / gold.count(c), 3)
        for c in CODES
        if c in gold
    }
    return {
        **scores(gold, pred),
        "uncertain": sum(x.uncertain for x in results),
        "recall": recall,
        "min_recall": min(recall.values()) if recall else 0.0,
        "predicted": {NAMES[c]: pred.count(c) for c in CODES},
        "confusion": confusion,
    }


def confusion_markdown(result: dict) -> str:
    """The confusion matrix as a Markdown table: rows = the hand label, columns = the answer."""
    names = [NAMES[c] for c in CODES]
    cols = [n for n in names if result["predicted"].get(n)]
    lines = ["| 标注 \\ 判定 | " + " | ".join(cols) + " | 召回 |", "|---" * (len(cols) + 2) + "|"]
    for g, cells in result["confusion"].items():
        row = [str(cells.get(c, "")) for c in cols]
        lines.append(f"| {g} | " + " | ".join(row) + f" | {result['recall'][g]:.2f} |")
    return "\n".join(lines)


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
    ap.add_argument(
        "--everyday", default=str(DEFAULT_EVERYDAY), help="hand-labelled everyday questions to measure"
    )
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
    model = calibrated(rows)
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
        ev = Path(args.everyday)
        if ev.exists():
            everyday = read_jsonl(ev)
            for split in ("dev", "holdout", None):
                part = [r for r in everyday if split is None or r.get("split") == split]
                result = evaluate_labelled(model, part)
                brief = {k: result[k] for k in ("accuracy", "macro_f1", "n", "uncertain", "min_recall")}
                out(f"everyday {split or 'all'}: {json.dumps(brief, ensure_ascii=False)}")
            out("everyday recall per topic: " + json.dumps(result["recall"], ensure_ascii=False))
            out(confusion_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
