"""How everyday a question sounds: P(everyday style | question) from its characters.

The reranker learns from two kinds of questions that ask for different evidence: STARD's, often doctrinal and in
the statutes' own words ("个体工商户作为特许人所签订的特许经营合同是否有效？"), and everyday ones as people say them at
a window ("老板拖欠工资三个月不给怎么办"), whose answers come through the lexicon's bridged words.  One set of
fusion weights for both made STARD questions pay for the everyday ones (bench/lawsearch/NOTES.md).  This small
logistic regression over the characters and character pairs of a question, fitted on the training questions'
sources, gives the reranker a query-level value in [0, 1] (the feature ``p_everyday``); the reranker also sees
each of its signals multiplied by it, so it can weigh the evidence of the two styles apart while learning from
both, and a question between the two styles gets a blend.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

BIAS = ""  # key of the intercept among the weights (no character gram is empty)


def grams(question: str) -> set[str]:
    return set(question) | {question[i : i + 2] for i in range(len(question) - 1)}


def fit_style(questions: list[str], everyday: list[bool], l2: float = 1.0) -> dict[str, float]:
    """Weights per character gram (and the intercept under BIAS); empty when the questions are of one style."""
    from scipy.optimize import minimize

    if not questions or all(everyday) or not any(everyday):
        return {}
    vocab: dict[str, int] = {BIAS: 0}
    rows: list[int] = []
    cols: list[int] = []
    for i, q in enumerate(questions):
        for g in [BIAS, *sorted(grams(q))]:
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(questions), len(vocab)))
    y = np.asarray(everyday, dtype=np.float64)
    reg = np.full(len(vocab), l2)
    reg[0] = 0.0  # the intercept is not shrunk

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = A @ w
        p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
        val = float(np.sum(np.logaddexp(0.0, z) - y * z) + reg @ (w * w))
        return val, np.asarray(A.T @ (p - y)) + 2 * reg * w

    res = minimize(loss, np.zeros(len(vocab)), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    out = {g: round(float(res.x[j]), 3) for g, j in vocab.items()}
    return {g: w for g, w in out.items() if w != 0.0 or g == BIAS}


def everyday_probability(weights: dict[str, float], question: str) -> float:
    """P(everyday style) of a question; 0 when no style model was learned."""
    if not weights:
        return 0.0
    z = weights.get(BIAS, 0.0) + sum(weights.get(g, 0.0) for g in grams(question))
    return float(0.5 * (1.0 + np.tanh(0.5 * z)))
