"""The topic classifier: multinomial logistic regression over words and character bigrams, plus the lexicon.

Scores for a text are ``softmax(x·W + b + beta·min(hits, 3))`` where ``x`` is the L2-normalised binary
vector of its known features (jieba search-mode words and CJK character bigrams) and ``hits`` the per-topic
lexicon counts of ``rules.py``.  When the best probability is below ``threshold`` — or the text has neither a
known feature nor a lexicon word — the answer is 综合咨询: routing a doubtful question to the general desk
is cheaper than routing it to the wrong specialist.

Stored as ``weights.npy`` (float32, one row per feature plus a last row of biases, one column per topic) and
``meta.json`` (vocabulary, topic order, parameters); both are written deterministically.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rjieba
import scipy.sparse as sp
from scipy.optimize import minimize

from .rules import lexicon_hits
from .taxonomy import CODES, GENERAL, NAMES

MODEL_VERSION = 1
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"

_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD_OK = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
STOPWORDS = frozenset(
    str.split(
        "的 了 是 吗 呢 吧 啊 呀 我 你 他 她 它 我们 你们 他们 怎么 怎么办 怎样 如何 什么 哪些 哪里 为什么 是否 "
        "能否 可以 能 会 要 想 请问 请 谢谢 一下 这个 那个 这样 有 没有 还 就 都 也 在 和 与 或 及 被 把 对 "
        "给 让 将 应当 应该 需要 一个 吗？"
    )
)

_segmenter: rjieba.Jieba | None = None


def _jieba() -> rjieba.Jieba:
    # Own instance: other code (law search) adds words to the default one, which would make features
    # depend on what else ran in the process.
    global _segmenter
    if _segmenter is None:
        _segmenter = rjieba.Jieba()
    return _segmenter


def features(text: str) -> list[str]:
    """Distinct feature names of ``text``: ``w:`` words and ``b:`` character bigrams, in first-seen order."""
    out: dict[str, None] = {}
    for w in _jieba().cut_for_search(text):
        w = w.strip()
        if w and w not in STOPWORDS and _WORD_OK.search(w):
            out["w:" + w.lower()] = None
    for run in _CJK.findall(text):
        for i in range(len(run) - 1):
            out["b:" + run[i : i + 2]] = None
    return list(out)


def _lexicon_matrix(texts: Sequence[str]) -> np.ndarray:
    m = np.zeros((len(texts), len(CODES)))
    for i, t in enumerate(texts):
        for code, n in lexicon_hits(t).items():
            m[i, CODES.index(code)] = min(n, 3)
    return m


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class TopicResult:
    """``code``/``name``: the chosen topic; ``confidence``: the best probability (below the threshold the
    topic is 综合咨询 whatever it was); ``scores``: probability per topic code."""

    code: str
    name: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    # True when the model was not sure: the answer is then 综合咨询 so that a person routes the question, and
    # ``scores`` still says which topics it hesitated between.
    uncertain: bool = False


@dataclass
class TopicModel:
    vocab: list[str]
    weights: np.ndarray  # (len(vocab) + 1, len(CODES)); last row = biases
    beta: float = 1.0
    threshold: float = 0.3
    meta: dict = field(default_factory=dict)
    temperature: float = 1.0  # calibration (train.fit_temperature): probabilities are softmax(logits / T)

    def __post_init__(self) -> None:
        self._index = {f: i for i, f in enumerate(self.vocab)}

    # ---- features -------------------------------------------------------------------------------
    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        return vectorize([features(t) for t in texts], self._index)

    # ---- prediction -----------------------------------------------------------------------------
    def logits(self, texts: Sequence[str], *, use_lexicon: bool = True) -> np.ndarray:
        return self._logits(texts, use_lexicon)[0]

    def _logits(self, texts: Sequence[str], use_lexicon: bool) -> tuple[np.ndarray, np.ndarray]:
        x = self.matrix(texts)
        z = np.asarray(x @ self.weights[:-1] + self.weights[-1])
        known = np.asarray(x.getnnz(axis=1) > 0)
        if use_lexicon and self.beta:
            lex = _lexicon_matrix(texts)
            z = z + self.beta * lex
            known = known | (lex.sum(axis=1) > 0)
        return z, known

    def probabilities(
        self, texts: Sequence[str], *, use_lexicon: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated probabilities (n, topics), known: whether a text had any known feature or lexicon hit)."""
        z, known = self._logits(texts, use_lexicon)
        return _softmax(z / self.temperature), known

    def predict(self, texts: Sequence[str], *, use_lexicon: bool = True, fallback: bool = True) -> list[str]:
        p, known = self.probabilities(texts, use_lexicon=use_lexicon)
        out = []
        for row, k in zip(p, known, strict=True):
            best = int(row.argmax())
            out.append(GENERAL if fallback and (not k or row[best] < self.threshold) else CODES[best])
        return out

    def _logits_one(self, text: str) -> tuple[np.ndarray, bool]:
        """``_logits`` of one text without a sparse matrix, which cost most of an intake's classification
        (bench/bench_matters.py): the rows of the text's features added in the order the sparse product adds
        them, so the same logits to the last bit (tests/test_classify.py compares the two)."""
        cols = sorted({self._index[f] for f in features(text) if f in self._index})
        if cols:
            z = np.add.reduce(self.weights[cols] * (1.0 / np.sqrt(len(cols))), axis=0)
        else:
            z = np.zeros(self.weights.shape[1])
        z = z + self.weights[-1]
        known = bool(cols)
        if self.beta:
            lex = _lexicon_matrix([text])[0]
            z = z + self.beta * lex
            known = known or bool(lex.sum() > 0)
        return z, known

    def classify(self, text: str) -> TopicResult:
        z, known = self._logits_one(text)
        row = _softmax(z[None, :] / self.temperature)[0]
        best = int(row.argmax())
        sure = known and bool(row[best] >= self.threshold)
        code = CODES[best] if sure else GENERAL
        conf = float(row[best]) if known else 0.0
        scores = {c: round(float(v), 4) for c, v in zip(CODES, row, strict=True)}
        return TopicResult(
            code=code, name=NAMES[code], confidence=round(conf, 4), scores=scores, uncertain=not sure
        )

    # ---- persistence ----------------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        with open(d / "weights.npy", "wb") as f:
            np.save(f, np.ascontiguousarray(self.weights, dtype="<f4"), allow_pickle=False)
        meta = {
            "version": MODEL_VERSION,
            "topics": CODES,
            "beta": self.beta,
            "threshold": self.threshold,
            "temperature": self.temperature,
            **{
                k: v
                for k, v in self.meta.items()
                if k not in {"version", "topics", "beta", "threshold", "temperature"}
            },
            "vocab": self.vocab,
        }
        with open(d / "meta.json", "w", encoding="utf-8", newline="\n") as f:
            json.dump(meta, f, ensure_ascii=False, indent=0, sort_keys=False)
            f.write("\n")

    @classmethod
    def load(cls, directory: str | Path = DEFAULT_MODEL_DIR) -> TopicModel:
        d = Path(directory)
        with open(d / "meta.json", encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("version") != MODEL_VERSION or meta.get("topics") != CODES:
            raise ValueError(f"主题模型 {d} 与当前代码不符（版本或主题列表不同），请重新训练")
        weights = np.load(d / "weights.npy", allow_pickle=False).astype(np.float64)
        extra = {k: v for k, v in meta.items() if k not in {"vocab", "beta", "threshold", "temperature"}}
        return cls(
            vocab=meta["vocab"],
            weights=weights,
            beta=meta["beta"],
            threshold=meta["threshold"],
            meta=extra,
            temperature=float(meta.get("temperature", 1.0)),
        )


def vectorize(rows: Iterable[list[str]], index: dict[str, int]) -> sp.csr_matrix:
    """Binary bag of known features, each row L2-normalised."""
    indptr, indices, data = [0], [], []
    for feats in rows:
        cols = sorted({index[f] for f in feats if f in index})
        indices.extend(cols)
        if cols:
            data.extend([1.0 / np.sqrt(len(cols))] * len(cols))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (
            np.array(data, dtype=np.float64),
            np.array(indices, dtype=np.int64),
            np.array(indptr, dtype=np.int64),
        ),
        shape=(len(indptr) - 1, len(index)),
    )


def fit_logistic(
    x: sp.csr_matrix,
    y: np.ndarray,
    sample_weight: np.ndarray,
    *,
    l2: float,
    n_classes: int,
    max_iter: int = 300,
) -> np.ndarray:
    """Weighted multinomial logistic regression with an L2 penalty (biases unpenalised), by L-BFGS.

    Returns (features + 1, classes); deterministic for the same input.
    """
    n, v = x.shape
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    sw = sample_weight / sample_weight.sum()
    xt = x.T.tocsr()

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(v + 1, n_classes)
        z = np.asarray(x @ w[:-1]) + w[-1]
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        value = -float((sw[:, None] * onehot * logp).sum()) + 0.5 * l2 * float((w[:-1] ** 2).sum())
        r = sw[:, None] * (np.exp(logp) - onehot)
        grad = np.empty_like(w)
        grad[:-1] = np.asarray(xt @ r) + l2 * w[:-1]
        grad[-1] = r.sum(axis=0)
        return value, grad.ravel()

    res = minimize(
        loss,
        np.zeros((v + 1) * n_classes),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": 1e-7},
    )
    return np.asarray(res.x.reshape(v + 1, n_classes))
