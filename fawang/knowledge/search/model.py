"""The learned layer on top of the lexical index: bridges lay words and statute words.

Learned from (lay question -> relevant article) pairs plus lawyers' answers (train.jsonl format):

* law prior ``p_law`` and provision prior ``p_art``: everyday questions concentrate on a few laws
  (民法典, 劳动合同法 ...) and on a few hundred provisions; the prior is a smoothed log count.
* expansion field ``e``: every provision gets a bag of the lay words of the questions it answered
  (document expansion); BM25 of a new question against these bags finds provisions asked about in
  other words.  Stored as term weights, not as the questions' text.
* neighbours ``n``/``ns``/``nl``: BM25 similarity to past questions (top 10), voting for the
  provisions they cited, also pooled per section and per law (a new question about an unseen
  provision is usually about a seen neighbour's chapter); plus ``p_sec``, a section prior.
* translation expansion ``t``: P(statute word | lay word) from co-occurrence of question words with
  the words of the relevant article and of the answer; the query is expanded with the statute words
  and scored on the article text.  This is the part that generalises to provisions never seen in
  training.
* style ``p_everyday``: how everyday a question sounds (style.py), the same for every article; the reranker
  also sees its signals multiplied by it, so everyday and doctrinal questions can weigh evidence apart.

The model is JSON (term bags and weights), small enough to commit; ``train.py`` rebuilds it.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from .bm25 import BM25Field, Vocab, count_matrix, query_vector
from .style import everyday_probability, fit_style

if TYPE_CHECKING:
    from .engine import Query, SearchIndex

MODEL_VERSION = 1
ANSWERS_IN_BAGS = True
# Everyday words bridged to statute words (bridge.py) join the question's words in the past-question bags and in the
# query against them, so a lay question meets the past questions and answers that use the statute's words.
BRIDGE_IN_BAGS = True
# Training questions of these sources are how people at a window or on the phone ask (everyday.jsonl, feedback):
# the style model (style.py) learns them apart from STARD's.
EVERYDAY_SOURCES = ("everyday", "feedback")


def provision_key(title: str, article: str) -> str:
    return f"{title}|{article}"


@dataclass
class LearnedModel:
    law_counts: dict[str, float] = field(default_factory=dict)
    art_counts: dict[str, float] = field(default_factory=dict)
    expansion: dict[str, dict[str, float]] = field(default_factory=dict)  # provision -> term -> weight
    translation: dict[str, dict[str, float]] = field(default_factory=dict)  # lay word -> statute word -> p
    weights: dict[str, float] = field(default_factory=dict)
    # kNN over past questions: one term bag per training question with the provisions it cited.
    questions: list[tuple[dict[str, float], list[str]]] = field(default_factory=list)
    params: dict[str, float] = field(default_factory=dict)
    style: dict[str, float] = field(default_factory=dict)  # character gram -> weight (style.py)

    # ---- persistence -------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        body = {
            "version": MODEL_VERSION,
            "weights": self.weights,
            "params": self.params,
            "law_counts": self.law_counts,
            "art_counts": self.art_counts,
            "expansion": {
                k: {t: round(w, 3) for t, w in v.items()} for k, v in sorted(self.expansion.items())
            },
            "questions": [[{t: round(w, 2) for t, w in bag.items()}, provs] for bag, provs in self.questions],
            "translation": {
                k: {t: round(p, 4) for t, p in v.items()} for k, v in sorted(self.translation.items())
            },
            "style": self.style,
        }
        (directory / "model.json").write_text(
            json.dumps(body, ensure_ascii=False, separators=(",", ":")), "utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> LearnedModel:
        body = json.loads((directory / "model.json").read_text("utf-8"))
        if body.get("version") != MODEL_VERSION:
            raise ValueError("model version mismatch; retrain with python -m fawang.knowledge.search.train")
        return cls(
            body["law_counts"],
            body["art_counts"],
            body["expansion"],
            body["translation"],
            body["weights"],
            [(bag, provs) for bag, provs in body.get("questions", [])],
            body.get("params", {}),
            body.get("style", {}),
        )

    # ---- binding to an index -----------------------------------------------------------------
    def prepare(self, index: SearchIndex) -> None:
        """Precompute per-doc prior vectors and the expansion-field BM25 matrix for this index."""
        n = len(index)
        law = np.asarray([self.law_counts.get(t, 0.0) for t in index.norm_title], dtype=np.float32)
        self._p_law = (np.log1p(law) / max(np.log1p(law.max()), 1e-6)).astype(np.float32)
        keys = [provision_key(t, a) for t, a in index.provision_keys]
        art = np.asarray([self.art_counts.get(k, 0.0) for k in keys], dtype=np.float32)
        self._p_art = (np.log1p(art) / max(np.log1p(art.max()), 1e-6))[index.provision].astype(np.float32)
        # Sections (law title + heading path) and laws as groups of provisions: a question about an
        # unseen provision is usually about a seen neighbour's chapter, so priors and neighbour
        # scores are also pooled per section and per law.
        first_doc = np.full(len(keys), -1, dtype=np.int64)
        first_doc[index.provision[::-1]] = np.arange(n - 1, -1, -1)
        sec_ids: dict[tuple[str, str], int] = {}
        self._doc_sec = np.asarray(
            [
                sec_ids.setdefault((t, sct), len(sec_ids))
                for t, sct in zip(index.norm_title, index.section, strict=True)
            ],
            dtype=np.int64,
        )
        self._n_sec = len(sec_ids)
        self._prov_sec = self._doc_sec[first_doc]
        law_ids: dict[str, int] = {}
        self._doc_law = np.asarray(
            [law_ids.setdefault(t, len(law_ids)) for t in index.norm_title], dtype=np.int64
        )
        self._n_law = len(law_ids)
        self._prov_law = self._doc_law[first_doc]
        sec = np.bincount(self._prov_sec, weights=art, minlength=self._n_sec)
        self._p_sec = (np.log1p(sec) / max(np.log1p(sec.max()), 1e-6))[self._doc_sec].astype(np.float32)
        # Expansion field over provisions that have a bag; scattered to every version's docs.
        pos = {k: i for i, k in enumerate(keys)}
        bag_keys = [k for k in self.expansion if k in pos]
        self._exp_vocab = Vocab()
        docs = [[t for t, w in self.expansion[k].items() for _ in range(max(1, round(w)))] for k in bag_keys]
        self._exp_field = (
            BM25Field.from_counts(
                count_matrix(docs, self._exp_vocab),
                k1=self.params.get("exp_k1", 1.2),
                b=self.params.get("exp_b", 0.5),
            )
            if docs
            else None
        )
        bag_prov = np.asarray([pos[k] for k in bag_keys], dtype=np.int64)
        # doc -> row of the bag (or -1), so a bag score vector maps to docs with one fancy index.
        prov_to_bag = np.full(len(keys), -1, dtype=np.int64)
        prov_to_bag[bag_prov] = np.arange(len(bag_prov))
        self._doc_bag = prov_to_bag[index.provision]
        self._bag_docs = np.flatnonzero(self._doc_bag >= 0)  # docs with a bag, and the bag row of each
        self._bag_rows = self._doc_bag[self._bag_docs]
        self._n = n
        # kNN field: training questions as documents; neighbour -> provisions as a sparse matrix.
        self._q_vocab = Vocab()
        qdocs = [[t for t, w in bag.items() for _ in range(max(1, round(w)))] for bag, _ in self.questions]
        self._q_field = BM25Field.from_counts(count_matrix(qdocs, self._q_vocab)) if qdocs else None
        rows_, cols_, vals_ = [], [], []
        for j, (_, provs) in enumerate(self.questions):
            ps = [pos[p] for p in provs if p in pos]
            for p in ps:
                rows_.append(j)
                cols_.append(p)
                vals_.append(1.0 / math.sqrt(len(ps)))
        self._q_prov = sp.csr_matrix(
            (vals_, (rows_, cols_)), shape=(len(self.questions), len(keys)), dtype=np.float32
        )
        self._q_prov.sum_duplicates()
        # The docs of each provision, section and law: the neighbours' votes reach a few dozen provisions, so
        # features() writes them to those docs only instead of spreading whole vectors over every doc.
        self._prov_docs = _Members(index.provision, len(keys))
        self._sec_docs = _Members(self._doc_sec, self._n_sec)
        self._law_docs = _Members(self._doc_law, self._n_law)

    def features(self, index: SearchIndex, q: Query) -> dict[str, np.ndarray]:
        feats = {"p_law": self._p_law, "p_art": self._p_art, "p_sec": self._p_sec}
        if self.style:
            feats["p_everyday"] = np.full(self._n, everyday_probability(self.style, q.text), dtype=np.float32)
        # The past questions and their answers (expansion bags, neighbours) are searched with the question's words
        # and, when the model was trained so (params["bridge_in_bags"]), with the statute words its everyday words
        # bridge to: 工钱 finds the STARD questions and lawyers' answers that say 劳动报酬.
        terms = q.words + q.bigrams
        if self.params.get("bridge_in_bags"):
            terms = terms + q.bridge_words
        if self._exp_field is not None:
            ids, tf = query_vector(terms, self._exp_vocab)
            bag = self._exp_field.score(ids, tf)
            e = np.zeros(self._n, dtype=np.float32)
            e[self._bag_docs] = bag[self._bag_rows]
            feats["e"] = e
        if self._q_field is not None:
            ids, tf = query_vector(terms, self._q_vocab)
            sims = self._q_field.score(ids, tf)
            k = int(self.params.get("knn", 10))
            if sims.max() > 0:
                top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
                wts = np.zeros_like(sims)
                wts[top] = sims[top] / sims.max()
                wts = wts ** self.params.get("knn_pow", 2.0)
                # The neighbours' votes per provision: the rows of the voting questions, added in question order
                # (as the mat-vec ``q_prov.T @ wts`` adds them, so the same float32 sums).
                prov = np.zeros(self._q_prov.shape[1], dtype=np.float32)
                indptr, cols, vals = self._q_prov.indptr, self._q_prov.indices, self._q_prov.data
                for j in np.sort(top[wts[top] > 0]).tolist():
                    prov[cols[indptr[j] : indptr[j + 1]]] += vals[indptr[j] : indptr[j + 1]] * wts[j]
                voted = np.flatnonzero(prov)
                feats["n"] = self._prov_docs.spread(prov, voted, index.provision, self._n)
                # Pooled per section and per law in float64, provisions in index order, as np.bincount over all
                # provisions adds them (the provisions without a vote add zeros).
                for name, of_prov, members, of_doc, n_groups in (
                    ("ns", self._prov_sec, self._sec_docs, self._doc_sec, self._n_sec),
                    ("nl", self._prov_law, self._law_docs, self._doc_law, self._n_law),
                ):
                    pooled = np.bincount(of_prov[voted], weights=prov[voted], minlength=n_groups)
                    feats[name] = members.spread(pooled, np.flatnonzero(pooled), of_doc, self._n)
        exp = self.expand(q.words)
        if exp:
            ids, tf = query_vector(list(exp), index.words)
            if len(ids):
                wts = np.asarray([exp[index.words.terms[i]] for i in ids], dtype=np.float32)
                feats["t"] = index.fields["w"].score(ids, wts)
        return feats

    def expand(self, words: list[str], top: int = 20) -> dict[str, float]:
        """Statute words for lay words: sum of P(v|u) over query words, best `top` kept."""
        acc: dict[str, float] = defaultdict(float)
        present = set(words)
        for u in present:
            for v, p in self.translation.get(u, {}).items():
                if v not in present:
                    acc[v] += p
        best = sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:top]
        return dict(best)


class _Members:
    """The docs of each group (provision, section, law) of a doc -> group labelling, for writing a per-group value to
    the docs of a few groups."""

    def __init__(self, group_of_doc: np.ndarray, n_groups: int) -> None:
        self._order = np.argsort(group_of_doc, kind="stable")
        self._start = np.searchsorted(group_of_doc[self._order], np.arange(n_groups + 1))

    def docs(self, groups: np.ndarray) -> np.ndarray:
        starts, ends = self._start[groups], self._start[groups + 1]
        sizes = ends - starts
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
        return self._order[offsets + np.arange(int(sizes.sum()))]

    def spread(
        self, values: np.ndarray, groups: np.ndarray, group_of_doc: np.ndarray, n_docs: int
    ) -> np.ndarray:
        """float32 vector over docs: each doc of ``groups`` gets its group's value, every other doc zero (what
        ``values[group_of_doc].astype(np.float32)`` gives when the other groups' values are zero)."""
        out = np.zeros(n_docs, dtype=np.float32)
        docs = self.docs(groups)
        out[docs] = values[group_of_doc[docs]]
        return out


def learn_statistics(
    index: SearchIndex,
    rows: list[dict],
    *,
    use_answers: bool = True,
    answers_in_bags: bool = ANSWERS_IN_BAGS,
    min_pair: int = 2,
    per_word: int = 8,
) -> LearnedModel:
    """Count-based parts of the model (priors, expansion bags, translation table) from rows."""
    seg = index.segmenter
    law_counts: dict[str, float] = defaultdict(float)
    art_counts: Counter[str] = Counter()
    expansion: dict[str, Counter[str]] = defaultdict(Counter)
    prov_doc: dict[tuple[str, str], int] = {}
    for i, p in enumerate(index.provision):
        prov_doc.setdefault(index.provision_keys[int(p)], i)
    q_df: Counter[str] = Counter()
    pair: Counter[tuple[str, str]] = Counter()
    tgt_df: Counter[str] = Counter()
    questions: list[tuple[dict[str, float], list[str]]] = []
    for r in rows:
        gold = [tuple(g) for g in r["gold"]]
        qwords = seg.words(r["question"])
        kw = seg.words((r.get("keywords") or "").replace("；", " "))
        bag = (qwords + kw + seg.bigrams(r["question"])) * 2
        if BRIDGE_IN_BAGS:
            bag += index.parse(r["question"]).bridge_words
        if answers_in_bags and r.get("answer"):
            bag += sorted(set(seg.words(r["answer"])))  # lawyer's wording, once per word
        for title, art in gold:
            law_counts[title] += 1.0 / len(gold)
            k = provision_key(title, art)
            art_counts[k] += 1
            expansion[k].update(bag)
        questions.append((dict(Counter(bag)), [provision_key(t, a) for t, a in gold]))
        targets: set[str] = set()
        for g in gold:
            d = prov_doc.get(g)
            if d is not None:
                targets.update(seg.words(index.text(d)))
        if use_answers and r.get("answer"):
            targets.update(seg.words(r["answer"]))
        for u in set(qwords + kw):
            q_df[u] += 1
            for v in targets:
                pair[(u, v)] += 1
        tgt_df.update(targets)
    n_rows = max(len(rows), 1)
    translation: dict[str, dict[str, float]] = {}
    by_u: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (u, v), c in pair.items():
        if c < min_pair or u == v:
            continue
        p = c / (q_df[u] + 1.0)
        bg = tgt_df[v] / n_rows
        if p <= 2.0 * bg:
            continue  # not associated beyond the background rate of v among targets
        by_u[u].append((v, p * math.log(1.0 + p / bg)))
    for u, cands in by_u.items():
        cands.sort(key=lambda x: (-x[1], x[0]))  # tie-break on the term: training is reproducible
        translation[u] = dict(cands[:per_word])
    return LearnedModel(
        dict(law_counts),
        dict(art_counts),
        {k: dict(v) for k, v in expansion.items()},
        translation,
        {},
        questions,
        {"bridge_in_bags": 1.0} if BRIDGE_IN_BAGS else {},
        fit_style([r["question"] for r in rows], [r.get("source") in EVERYDAY_SOURCES for r in rows]),
    )
