"""The fast paths of search (issue 15, speed) give what the plain formulas give, to the bit: the ranking must not
move when the work is done differently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from fawang.knowledge.search import SearchIndex, build_index
from fawang.knowledge.search.bm25 import BM25Field
from fawang.knowledge.search.model import _Members

from .test_search import CORPUS


def test_bm25_scores_are_scipys_mat_vec_to_the_bit() -> None:
    rng = np.random.default_rng(7)
    counts = sp.random(500, 60, density=0.08, random_state=3, format="csr", dtype=np.float32)
    counts.data = np.ceil(counts.data * 4)
    field = BM25Field.from_counts(counts)
    for _ in range(50):
        ids = rng.integers(0, 60, size=int(rng.integers(0, 12)))  # repeats and empty columns included
        qtf = rng.integers(1, 4, size=len(ids)).astype(np.float32)
        plain = np.asarray(field.weights[:, ids] @ qtf).ravel().astype(np.float32)
        assert np.array_equal(field.score(ids, qtf), plain)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    out: Path = tmp_path_factory.mktemp("idx")
    build_index(CORPUS, out, min_compound_freq=2)
    return SearchIndex.load(out)


def _plain_rank(
    index: SearchIndex, scores: np.ndarray, k: int, mask: np.ndarray | None, collapse: bool
) -> list[int]:
    """Every allowed doc with a positive score, best first (ties in doc order), first version of each provision."""
    ids = [i for i in range(len(scores)) if scores[i] > 0 and (mask is None or mask[i])]
    ids.sort(key=lambda i: -scores[i])
    out, seen = [], set()
    for i in ids:
        if collapse and int(index.provision[i]) in seen:
            continue
        seen.add(int(index.provision[i]))
        out.append(i)
    return out[:k]


def test_rank_is_the_plain_sort(index: SearchIndex) -> None:
    rng = np.random.default_rng(11)
    masks = [None, index.national.copy(), ~index.national]
    for _ in range(200):
        scores = rng.choice(np.asarray([0, 0, 0.5, 1, 1, 2, 3], dtype=np.float32), size=len(index)).astype(
            np.float32
        )
        k = int(rng.integers(1, len(index) + 2))
        for mask in masks:
            for collapse in (True, False):
                assert index.rank(scores, k, mask, collapse=collapse) == _plain_rank(
                    index, scores, k, mask, collapse
                )


def test_members_spread_is_the_dense_gather() -> None:
    rng = np.random.default_rng(5)
    group_of_doc = rng.integers(0, 40, size=1000)
    values = np.zeros(40)
    voted = np.sort(rng.choice(40, size=6, replace=False))
    values[voted] = rng.random(6)
    spread = _Members(group_of_doc, 40).spread(values, voted, group_of_doc, 1000)
    assert np.array_equal(spread, values[group_of_doc].astype(np.float32))
    assert spread.dtype == np.float32
