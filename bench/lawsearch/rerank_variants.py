"""Refit the reranker on cached tensors (rerank_cache.py) and measure variants on the held-out questions.

    .venv/bin/python bench/lawsearch/rerank_variants.py --cache /tmp/stard/cache --variant base --variant w1.5 ...

A variant is a name from VARIANTS: how training questions are weighted per source, the l2 of the fit, and an
optional gate (a per-question value in [0, 1] computed from the question's text alone) whose products with every
feature are added as features, so the fit can weigh everyday and doctrinal questions apart.  Each STARD fold is
measured on its held-out STARD questions, "holdout" on the everyday holdout; with ``--inner`` the variant is also
scored by 5-fold CV over the training questions' inner-fold tensors (no held-out question involved), which is what
a choice between variants may rest on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fawang.knowledge.search.bridge import Lexicon  # noqa: E402
from fawang.knowledge.search.data import default_everyday, default_questions, load_questions  # noqa: E402


@dataclass(frozen=True)
class Variant:
    everyday_weight: float = 3.0
    l2: float = 1e-3
    gate: str = ""
    balance: bool = False  # weights so that each source's questions weigh the same in total


VARIANTS: dict[str, Variant] = {
    "base": Variant(),
    "w0": Variant(everyday_weight=0.0),
    "w1": Variant(everyday_weight=1.0),
    "w1.5": Variant(everyday_weight=1.5),
    "w2": Variant(everyday_weight=2.0),
    "balanced": Variant(balance=True),
    "l2=1e-4": Variant(l2=1e-4),
    "l2=3e-4": Variant(l2=3e-4),
    "l2=3e-3": Variant(l2=3e-3),
    "l2=1e-2": Variant(l2=1e-2),
    "gate=bridged": Variant(gate="bridged"),
    "gate=share": Variant(gate="share"),
    "gate=src": Variant(gate="src"),
}


def _grams(q: str) -> list[str]:
    return list(q) + [q[i : i + 2] for i in range(len(q) - 1)]


def style_fit(
    questions: list[str], everyday: np.ndarray, l2: float = 1.0
) -> tuple[dict[str, int], np.ndarray]:
    """Logistic regression P(everyday-style | question) on character uni- and bigrams (present or not)."""
    import scipy.sparse as sp
    from scipy.optimize import minimize

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, q in enumerate(questions):
        for g in set(_grams(q)):
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(questions), len(vocab) + 1)).tolil()
    A[:, len(vocab)] = 1.0
    A = A.tocsr()
    y = everyday.astype(np.float64)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = A @ w
        p = 1.0 / (1.0 + np.exp(-z))
        val = float(np.sum(np.logaddexp(0, z) - y * z) + l2 * (w[:-1] @ w[:-1]))
        g = A.T @ (p - y)
        g[:-1] += 2 * l2 * w[:-1]
        return val, g

    res = minimize(loss, np.zeros(A.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return vocab, res.x


def style_predict(model: tuple[dict[str, int], np.ndarray], questions: list[str]) -> np.ndarray:
    vocab, w = model
    z = np.asarray([w[-1] + sum(w[vocab[g]] for g in set(_grams(q)) if g in vocab) for q in questions])
    return 1.0 / (1.0 + np.exp(-z))


def src_gates(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """P(everyday-style) for the training rows (out of inner fold) and for the held rows (fitted on all)."""
    tq = [texts()[(m["source"], m["qid"])] for m in d["train"]]
    ty = np.asarray([m["source"] == "everyday" for m in d["train"]])
    group = np.asarray([m["group"] for m in d["train"]])
    gt = np.zeros(len(tq))
    for g in range(group.max() + 1):
        tr = group != g
        m = style_fit([q for q, t in zip(tq, tr, strict=True) if t], ty[tr])
        gt[~tr] = style_predict(m, [q for q, t in zip(tq, tr, strict=True) if not t])
    m = style_fit(tq, ty)
    gh = style_predict(m, [texts()[(x["source"], x["qid"])] for x in d["held"]])
    return gt, gh


def load(cache: Path) -> dict:
    meta = json.loads((cache / "meta.json").read_text("utf-8"))
    d = {k: np.load(cache / f"{k}.npy", mmap_mode="r") for k in ("X", "Y", "V", "hX", "hY", "hV")}
    d.update(meta)
    return d


_TEXTS: dict[tuple[str, int], str] = {}


def texts() -> dict[tuple[str, int], str]:
    if not _TEXTS:
        for r in load_questions(default_questions()):
            _TEXTS[("stard", r["qid"])] = r["question"]
        for r in load_questions(default_everyday()):
            _TEXTS[("everyday", r["qid"])] = r["question"]
    return _TEXTS


_LEX: list[Lexicon] = []


def gate_values(gate: str, meta: list[dict]) -> np.ndarray:
    if not _LEX:
        _LEX.append(Lexicon.load())
    lex = _LEX[0]
    out = []
    for m in meta:
        q = texts()[(m["source"], m["qid"])]
        found = lex.bridge(q)
        if gate == "bridged":
            out.append(1.0 if found else 0.0)
        elif gate == "share":  # share of the question's characters covered by lay words of the lexicon
            out.append(min(1.0, sum(len(b.lay) for b in found) / max(len(q), 1) * 3))
        else:
            raise ValueError(gate)
    return np.asarray(out)


def design(X: np.ndarray, v: Variant, meta: list[dict], gate: np.ndarray | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if not v.gate:
        return X
    g = (gate if gate is not None else gate_values(v.gate, meta))[:, None, None]
    return np.concatenate([X, X * g], axis=2)


def weights_for(v: Variant, meta: list[dict]) -> np.ndarray:
    src = np.asarray([m["source"] == "everyday" for m in meta])
    if v.balance:
        n_e, n_s = src.sum(), (~src).sum()
        return np.where(src, n_s / max(n_e, 1), 1.0)
    return np.where(src, v.everyday_weight, 1.0)


def fit(X: np.ndarray, Y: np.ndarray, V: np.ndarray, qw: np.ndarray, l2: float) -> np.ndarray:
    """train.fit_softmax, on any design matrix (weights in the original scale)."""
    from scipy.optimize import minimize

    keep = (Y & V).any(axis=1) & (qw > 0)
    X, Yf, V = X[keep], Y[keep].astype(np.float64), V[keep]
    qw = qw[keep] / qw[keep].mean()
    npos = Yf.sum(axis=1)
    scale = np.maximum(np.abs(X).reshape(-1, X.shape[2]).max(axis=0), 1e-6)
    Xs = X / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        sc = np.where(V, Xs @ w, -np.inf)
        m = sc.max(axis=1, keepdims=True)
        e = np.where(V, np.exp(sc - m), 0.0)
        z = e.sum(axis=1, keepdims=True)
        logp = np.where(V, sc - m - np.log(z), 0.0)
        val = float(-(qw * (Yf * logp).sum(axis=1) / npos).mean() + l2 * (w @ w))
        g = (e / z - Yf / npos[:, None]) * qw[:, None]
        grad = np.einsum("qc,qcf->f", g, Xs) / len(X) + 2 * l2 * w
        return val, grad

    w0 = np.zeros(X.shape[2])
    w0[0] = w0[1] = 1.0  # "w" and "b", as train.fit_softmax starts
    res = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return np.asarray(res.x / scale)


def measure(X: np.ndarray, Y: np.ndarray, V: np.ndarray, n_gold: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per question (MRR@10, R@10, R@100) of the reranked candidates."""
    s = np.where(V, (X @ w).astype(np.float32), -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")
    y = np.take_along_axis(Y & V, order, axis=1)
    first = np.where(y[:, :10].any(axis=1), y[:, :10].argmax(axis=1), -1)
    mrr = np.where(first >= 0, 1.0 / (np.maximum(first, 0) + 1), 0.0)
    return np.stack([mrr, y[:, :10].sum(axis=1) / n_gold, y[:, :100].sum(axis=1) / n_gold], axis=1)


def gates(d: dict, v: Variant) -> tuple[np.ndarray | None, np.ndarray | None]:
    if v.gate != "src":
        return None, None
    if "src_gates" not in d:
        d["src_gates"] = src_gates(d)
    return d["src_gates"]


def run(d: dict, v: Variant) -> tuple[np.ndarray, np.ndarray]:
    gt, gh = gates(d, v)
    X = design(d["X"], v, d["train"], gt)
    w = fit(X, np.asarray(d["Y"]), np.asarray(d["V"]), weights_for(v, d["train"]), v.l2)
    hX = design(d["hX"], v, d["held"], gh)
    n_gold = np.asarray([m["n_gold"] for m in d["held"]], dtype=np.float64)
    return measure(hX, np.asarray(d["hY"]), np.asarray(d["hV"]), n_gold, w), w


def inner(d: dict, v: Variant) -> dict[str, np.ndarray]:
    """5-fold CV over the training questions' inner-fold tensors: per source, per question figures."""
    X = design(d["X"], v, d["train"], gates(d, v)[0])
    Y, V = np.asarray(d["Y"]), np.asarray(d["V"])
    qw = weights_for(v, d["train"])
    group = np.asarray([m["group"] for m in d["train"]])
    src = np.asarray([m["source"] for m in d["train"]])
    n_gold = np.asarray([m["n_gold"] for m in d["train"]], dtype=np.float64)
    res = np.zeros((len(X), 3))
    for g in range(group.max() + 1):
        tr = group != g
        w = fit(X[tr], Y[tr], V[tr], qw[tr], v.l2)
        res[~tr] = measure(X[~tr], Y[~tr], V[~tr], n_gold[~tr], w)
    return {s: res[src == s] for s in ("stard", "everyday")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--variant", action="append", default=[])
    ap.add_argument("--sets", nargs="*", default=["0", "1", "2", "3", "4", "holdout"])
    ap.add_argument("--inner", action="store_true")
    args = ap.parse_args()
    report: Callable[[str], None] = lambda s: print(s, flush=True)  # noqa: E731
    for name in args.variant or ["base"]:
        v = VARIANTS[name]
        pooled = []
        for what in args.sets:
            d = load(args.cache / what)
            r, _ = run(d, v)
            line = f"{name}\t{what}\theld {len(r)}\t" + " / ".join(f"{x:.4f}" for x in r.mean(axis=0))
            if args.inner:
                i = inner(d, v)
                line += "\tinner " + "  ".join(
                    f"{s} " + " / ".join(f"{x:.4f}" for x in a.mean(axis=0)) for s, a in i.items() if len(a)
                )
            report(line)
            if what != "holdout":
                pooled.append(r)
        if pooled:
            report(
                f"{name}\tSTARD pooled\t"
                + " / ".join(f"{x:.4f}" for x in np.concatenate(pooled).mean(axis=0))
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
