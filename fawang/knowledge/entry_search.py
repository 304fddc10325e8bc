"""Lexical search over published knowledge entries, with the statute engine's segmenter and BM25 pieces.

Entries are few (hundreds, not the 147,000 articles), so the index is built in memory in the process and
rebuilt when the published entries change: the cache key is (count, latest updated_at) of published entries,
one cheap aggregate query per search.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.utils.safestring import SafeString

from .models import KnowledgeEntry
from .results import highlight
from .search.bm25 import BM25Field, Vocab, count_matrix, query_vector
from .search.bridge import Lexicon
from .search.segment import Segmenter, iter_spans

# Field weights: a title match says more than a body match; bigrams back up segmentation mistakes.
WEIGHTS = {"tw": 2.0, "tb": 1.0, "bw": 1.0, "bb": 0.5}
FIELDS = tuple(WEIGHTS)


@dataclass
class EntryHit:
    entry: KnowledgeEntry
    snippet: SafeString
    score: float
    why: list[str] = field(default_factory=list)  # “工钱 → 劳动报酬” and the question's words found


class EntryIndex:
    def __init__(
        self, entries: list[KnowledgeEntry], segmenter: Segmenter, lexicon: Lexicon | None = None
    ) -> None:
        self.entries = entries
        self.seg = segmenter
        self.lexicon = lexicon
        self.vocab = {"w": Vocab(), "b": Vocab()}
        streams: dict[str, list[list[str]]] = {f: [] for f in FIELDS}
        for e in entries:
            streams["tw"].append(segmenter.words(e.title))
            streams["tb"].append(segmenter.bigrams(e.title))
            streams["bw"].append(segmenter.words(e.body))
            streams["bb"].append(segmenter.bigrams(e.body))
        counts = {f: count_matrix(streams[f], self.vocab[f[1]]) for f in FIELDS}
        self.fields: dict[str, BM25Field] = {}
        for f, tf in counts.items():
            tf.resize((len(entries), max(len(self.vocab[f[1]]), 1)))  # title and body share a vocabulary
            self.fields[f] = BM25Field.from_counts(tf)

    def search(self, query: str, *, kinds: set[str] | None = None, k: int = 50) -> list[EntryHit]:
        if not self.entries:
            return []
        words, bigrams = self.seg.words(query), self.seg.bigrams(query)
        # Everyday words bridged to the words a guide or FAQ may use instead (劳动报酬 for 工钱).
        bridged = self.lexicon.bridge(query) if self.lexicon is not None else []
        extra = [w for b in bridged for phrase in b.statute for w in self.seg.words(phrase) if w not in words]
        q = {"w": query_vector(words + extra, self.vocab["w"]), "b": query_vector(bigrams, self.vocab["b"])}
        scores = np.zeros(len(self.entries), dtype=np.float32)
        for f, weight in WEIGHTS.items():
            ids, qtf = q[f[1]]
            scores += weight * self.fields[f].score(ids, qtf)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        hits = []
        for i in order:
            e = self.entries[i]
            if kinds and e.kind not in kinds:
                continue
            place = e.title + " " + e.body
            why = []
            for b in bridged:
                found = [w for w in b.statute if w in place and w not in b.lay]
                if found:
                    why.append(f"{b.lay} → {'、'.join(found)}")
            terms = [w for w in dict.fromkeys(words + extra) if w in e.body]
            why += [w for w in dict.fromkeys(words) if w in place and len(w) >= 2][:6]
            covered = "".join(terms)
            terms += [b for b in dict.fromkeys(bigrams) if b in e.body and b not in covered]
            hits.append(
                EntryHit(e, highlight(e.body, list(iter_spans(e.body, terms))), float(scores[i]), why)
            )
            if len(hits) >= k:
                break
        return hits


_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None, "segmenter": None, "lexicon": None}


def _segmenter() -> Segmenter:
    if _cache["segmenter"] is None:
        _cache["segmenter"] = Segmenter()
        _cache["lexicon"] = Lexicon.load()
    return _cache["segmenter"]


def get_index() -> EntryIndex:
    """The index of published entries, rebuilt when they change (thread-safe)."""
    stats = KnowledgeEntry.objects.published().aggregate(
        n=Count("id"), latest=Max("updated_at"), top=Max("id")
    )
    key = (stats["n"], stats["latest"], stats["top"])
    with _lock:
        if _cache["key"] != key or _cache["index"] is None:
            entries = list(
                KnowledgeEntry.objects.published().select_related("unit", "region", "topic").order_by("pk")
            )
            _cache["index"] = EntryIndex(entries, _segmenter(), _cache["lexicon"])
            _cache["key"] = key
        return _cache["index"]


def search(query: str, *, kinds: set[str] | None = None, k: int = 50) -> list[EntryHit]:
    return get_index().search(query, kinds=kinds, k=k)
