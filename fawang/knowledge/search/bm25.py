"""Sparse BM25 fields: one scipy CSC matrix (docs x terms) of precomputed BM25 term weights per field.

Why precompute: a query is then a handful of column slices and one sparse mat-vec, a few milliseconds
over 147k articles in one thread, and the matrix is a plain .npz file a web process loads once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp


class Vocab:
    """term <-> id mapping, stored as one term per line (terms never contain newlines)."""

    def __init__(self, terms: Sequence[str] = ()) -> None:
        self.terms: list[str] = list(terms)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}

    def __len__(self) -> int:
        return len(self.terms)

    def add(self, term: str) -> int:
        i = self.ids.get(term)
        if i is None:
            i = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return i

    def save(self, path: Path) -> None:
        path.write_text("\n".join(self.terms), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocab:
        text = path.read_text(encoding="utf-8")
        return cls(text.split("\n") if text else [])


def count_matrix(docs: Sequence[Sequence[str]], vocab: Vocab, *, grow: bool = True) -> sp.csr_matrix:
    """Term-frequency matrix (docs x vocab).  With grow=False, unknown terms are dropped."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for d, toks in enumerate(docs):
        if grow:
            ids = [vocab.add(t) for t in toks]
        else:
            ids = [i for i in (vocab.ids.get(t) for t in toks) if i is not None]
        if ids:
            cols.append(np.asarray(ids, dtype=np.int64))
            rows.append(np.full(len(ids), d, dtype=np.int64))
    n_docs, n_terms = len(docs), max(len(vocab), 1)
    if not cols:
        return sp.csr_matrix((n_docs, n_terms), dtype=np.float32)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    keys, counts = np.unique(r * n_terms + c, return_counts=True)
    return sp.csr_matrix(
        (counts.astype(np.float32), (keys // n_terms, keys % n_terms)), shape=(n_docs, n_terms)
    )


@dataclass
class BM25Field:
    """BM25 weights of one field.  weights: CSC (docs x terms); idf per term."""

    weights: sp.csc_matrix
    idf: np.ndarray

    @classmethod
    def from_counts(cls, tf: sp.csr_matrix, *, k1: float = 1.2, b: float = 0.75) -> BM25Field:
        tf = tf.tocsr().astype(np.float32)
        n_docs = tf.shape[0]
        dl = np.asarray(tf.sum(axis=1)).ravel()
        avgdl = float(dl.mean()) if n_docs and dl.mean() > 0 else 1.0
        df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = (k1 * (1.0 - b + b * dl / avgdl)).astype(np.float32)
        row_norm = np.repeat(norm, np.diff(tf.indptr))
        data = tf.data * (k1 + 1.0) / (tf.data + row_norm) * idf[tf.indices]
        w = sp.csr_matrix((data.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)
        return cls(w.tocsc(), idf)

    def __post_init__(self) -> None:
        # The CSC arrays, read directly by score(): a query touches a few columns, and scipy's column indexing and
        # mat-vec cost more in checks and copies than the work itself.
        self._indptr = self.weights.indptr
        self._rows = self.weights.indices
        self._data = self.weights.data.astype(np.float32, copy=False)

    def score(self, term_ids: np.ndarray, qtf: np.ndarray) -> np.ndarray:
        """Dense score vector over all docs for a query given as term ids and query term weights.

        Term by term, in the order given, each column's weights times the query weight added in float32: the same
        operations in the same order as scipy's CSC mat-vec of those columns, so the same scores to the bit."""
        out = np.zeros(self.weights.shape[0], dtype=np.float32)
        indptr, rows, data = self._indptr, self._rows, self._data
        for j, w in zip(term_ids.tolist(), qtf.astype(np.float32).tolist(), strict=True):
            start, end = indptr[j], indptr[j + 1]
            if start < end:
                out[rows[start:end]] += data[start:end] * np.float32(w)
        return out

    def save(self, path: Path) -> None:
        sp.save_npz(path.with_suffix(".npz"), self.weights, compressed=False)
        np.save(path.with_suffix(".idf.npy"), self.idf)

    @classmethod
    def load(cls, path: Path) -> BM25Field:
        w = sp.load_npz(path.with_suffix(".npz")).tocsc()
        return cls(w, np.load(path.with_suffix(".idf.npy")))


def query_vector(tokens: Sequence[str], vocab: Vocab) -> tuple[np.ndarray, np.ndarray]:
    """Term ids and query term frequencies of the known query tokens."""
    counts: dict[int, float] = {}
    for t in tokens:
        i = vocab.ids.get(t)
        if i is not None:
            counts[i] = counts.get(i, 0.0) + 1.0
    ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    return ids, np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
