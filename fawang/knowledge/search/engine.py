"""Article-level statute search: build an index directory once, load it in the web process, search.

Scoring is a weighted sum of per-query max-normalised feature vectors over *all* articles:
BM25 on words and on character bigrams of the article text, BM25 on the context (law title, subtitle,
section headings), plus whatever a learned model adds (law prior, article prior, lay-question
expansion field, translation-model expansion, neighbours among past questions).  Every feature is a
dense numpy vector of n_docs floats, so a feature costs ~1 ms and filters are boolean masks.
Without a model the ranking is a fixed linear fusion of the lexical features; with one, the union of
a few fixed fusions (FIRST_STAGE, ~400 provisions) is reranked by the model's quadratic weights.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .bm25 import BM25Field, Vocab, count_matrix, query_vector
from .bridge import DEFAULT_LEXICON, Bridged, Lexicon
from .segment import Segmenter, iter_spans, mine_legal_terms, normalize_title

if TYPE_CHECKING:
    from .model import LearnedModel

INDEX_VERSION = 1
FIELDS = ("w", "b", "cw", "cb")  # body words, body bigrams, context words, context bigrams
DEFAULT_WEIGHTS: dict[str, float] = {"w": 1.0, "b": 1.0, "cw": 0.25, "cb": 0.25}
# First stage when a learned model is attached: the union of a few fixed rankings (lexical, lexical
# plus learned evidence, and each learned signal alone), collapsed to provisions.  The model's
# reranker is trained on exactly these candidates (train.py), so both sides must use this list.
PROBE_WEIGHTS: dict[str, float] = {**DEFAULT_WEIGHTS, "e": 0.6, "t": 0.3, "p_law": 0.2, "p_art": 0.2}
FIRST_STAGE: tuple[tuple[dict[str, float], int], ...] = (
    (DEFAULT_WEIGHTS, 200),
    (PROBE_WEIGHTS, 200),
    ({"e": 1.0}, 50),
    ({"n": 1.0}, 50),
    ({"t": 1.0}, 50),
    ({"x": 1.0, "xc": 0.5, "p_law": 0.5}, 100),
)
N_CANDIDATES = 400
# Features that tie a question to one article (not priors, not scores pooled over a law or a section).
EVIDENCE = ("w", "b", "cw", "cb", "x", "xc", "e", "n", "t")
Progress = Callable[[str, int, int], None]


def _product(parts: list[np.ndarray]) -> np.ndarray:
    """Elementwise product, left to right: what np.prod(parts, axis=0) gives, without stacking the parts first."""
    out = parts[0] * parts[1]
    for p in parts[2:]:
        out *= p
    return out


@dataclass(frozen=True)
class Filters:
    """Result filters.  national: True = national set only, False = local only, None = both.
    levels: allowed level names (e.g. {"法律", "司法解释"}); include_expired: keep expired versions;
    title_only: match law titles only and return one hit (the first article) per law."""

    national: bool | None = None
    levels: frozenset[str] | None = None
    include_expired: bool = True
    title_only: bool = False


@dataclass
class Hit:
    """One search result.  key = "law_path#seq" is stable across rebuilds of the same data."""

    key: str
    law_path: str
    law_title: str
    article: str
    seq: int
    score: float
    doc: int = -1  # row in this index (not stable across rebuilds; use key for that)
    provision: tuple[str, str] = ("", "")  # (normalised law title, article label): same in every version
    terms: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # character spans in the article text
    # Why it matched: (everyday word of the question, statute words it stands for found in this article or its
    # headings), e.g. ("工钱", ["劳动报酬"]).
    bridges: list[tuple[str, list[str]]] = field(default_factory=list)


def _doc_context(a: dict) -> str:
    return " ".join(x for x in (a.get("law_title"), a.get("law_subtitle"), a.get("section")) if x)


def build_index(
    articles: Iterable[dict],
    out_dir: str | Path,
    *,
    progress: Progress | None = None,
    k1: float = 1.2,
    b: float = 0.75,
    min_compound_freq: int = 5,
) -> dict[str, Any]:
    """Build the index files into out_dir from article dicts (the articles.jsonl.xz schema).

    案例 (case write-up) documents are skipped: they are not statutes and some name real parties.
    Returns the metadata written to meta.json (including build_seconds).
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    note = progress or (lambda stage, i, n: None)
    docs = [a for a in articles if a.get("level") != "案例"]
    n = len(docs)
    note("mine-terms", 0, n)
    terms = mine_legal_terms(docs, min_compound_freq=min_compound_freq)
    (out / "legal_terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    seg = Segmenter(terms)

    streams: dict[str, list[list[str]]] = {f: [] for f in FIELDS}
    for i, a in enumerate(docs):
        text, ctx = a.get("text") or "", _doc_context(a)
        streams["w"].append(seg.words(text))
        streams["b"].append(seg.bigrams(text))
        streams["cw"].append(seg.words(ctx))
        streams["cb"].append(seg.bigrams(ctx))
        if i % 20000 == 0:
            note("segment", i, n)
    note("segment", n, n)
    vocab = {"words": Vocab(), "bigrams": Vocab()}
    counts = {
        f: count_matrix(streams.pop(f), vocab["bigrams" if f.endswith("b") else "words"]) for f in FIELDS
    }
    for f, tf in counts.items():
        tf.resize((n, len(vocab["bigrams" if f.endswith("b") else "words"])))  # fields share a vocabulary
        BM25Field.from_counts(tf, k1=k1, b=b).save(out / f"field_{f}")
        note(f"field-{f}", n, n)
    # Law-level title index for title-only mode.
    law_paths: list[str] = []
    law_first: list[int] = []
    law_titles: list[str] = []
    for i, a in enumerate(docs):
        if not law_paths or law_paths[-1] != a["law_path"]:
            law_paths.append(a["law_path"])
            law_first.append(i)
            law_titles.append(" ".join(x for x in (a.get("law_title"), a.get("law_subtitle")) if x))
    title_tokens = [seg.words(t) + seg.bigrams(t) for t in law_titles]
    tv = Vocab()
    BM25Field.from_counts(count_matrix(title_tokens, tv), k1=k1, b=0.3).save(out / "titles")
    tv.save(out / "titles.vocab.txt")
    for name, v in vocab.items():
        v.save(out / f"{name}.vocab.txt")

    levels = sorted({a.get("level") or "" for a in docs})
    level_code = {lv: j for j, lv in enumerate(levels)}
    columns = {
        "law_path": [a["law_path"] for a in docs],
        "law_title": [a.get("law_title") or "" for a in docs],
        "article": [a.get("article") or "" for a in docs],
        "section": [a.get("section") or "" for a in docs],
    }
    (out / "docs.json").write_text(json.dumps(columns, ensure_ascii=False), encoding="utf-8")
    np.save(out / "seq.npy", np.asarray([a.get("seq") or 0 for a in docs], dtype=np.int32))
    np.save(out / "level.npy", np.asarray([level_code[a.get("level") or ""] for a in docs], dtype=np.int16))
    np.save(out / "expired.npy", np.asarray([bool(a.get("expired")) for a in docs], dtype=bool))
    np.save(
        out / "national.npy", np.asarray([not a["law_path"].startswith("DLC/") for a in docs], dtype=bool)
    )
    np.save(out / "law_first.npy", np.asarray(law_first, dtype=np.int64))
    blob = [(a.get("text") or "").encode("utf-8") for a in docs]
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(x) for x in blob])
    (out / "texts.bin").write_bytes(b"".join(blob))
    np.save(out / "texts.offsets.npy", offsets)
    meta = {
        "version": INDEX_VERSION,
        "n_docs": n,
        "n_laws": len(law_paths),
        "levels": levels,
        "k1": k1,
        "b": b,
        "vocab_words": len(vocab["words"]),
        "vocab_bigrams": len(vocab["bigrams"]),
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    note("done", n, n)
    return meta


@dataclass
class Query:
    """A segmented query, computed once and shared by all features."""

    text: str
    words: list[str]
    bigrams: list[str]
    word_ids: tuple[np.ndarray, np.ndarray]
    bigram_ids: tuple[np.ndarray, np.ndarray]
    # Everyday words bridged to statute words (bridge.py) and the statute words' ids in the word vocabulary.
    bridged: list[Bridged] = field(default_factory=list)
    bridge_words: list[str] = field(default_factory=list)
    bridge_ids: tuple[np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
    # The words SearchIndex.explain looks for in a hit (the question's words and the model's expansions, then the
    # question's bigrams): the same for every hit, so worked out once, on the first hit explained.
    highlight_words: tuple[list[str], list[str]] | None = None


class Features(dict[str, np.ndarray]):
    """Feature vectors of one query, with their max-normalised versions computed once and shared by every
    fusion of the first stage and by the reranker."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.normed: dict[str, np.ndarray] = {}

    def norm(self, name: str) -> np.ndarray | None:
        v = self.normed.get(name)
        if v is None:
            raw = self.get(name)
            if raw is None:
                return None
            v = self.normed[name] = raw if name.startswith("p_") else SearchIndex.normalise(raw)
        return v


class SearchIndex:
    """A loaded index.  Load once per process (SearchIndex.load) and call search() from any request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta: dict[str, Any] = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        if self.meta.get("version") != INDEX_VERSION:
            raise ValueError(f"index version {self.meta.get('version')} != {INDEX_VERSION}; rebuild it")
        terms = json.loads((root / "legal_terms.json").read_text(encoding="utf-8"))
        self.segmenter = Segmenter(terms)
        self.words = Vocab.load(root / "words.vocab.txt")
        self.bigrams = Vocab.load(root / "bigrams.vocab.txt")
        self.fields = {f: BM25Field.load(root / f"field_{f}") for f in FIELDS}
        self.titles = BM25Field.load(root / "titles")
        self.title_vocab = Vocab.load(root / "titles.vocab.txt")
        cols = json.loads((root / "docs.json").read_text(encoding="utf-8"))
        self.law_path: list[str] = cols["law_path"]
        self.law_title: list[str] = cols["law_title"]
        self.article: list[str] = cols["article"]
        self.section: list[str] = cols["section"]
        self.seq = np.load(root / "seq.npy")
        self.level = np.load(root / "level.npy")
        self.expired = np.load(root / "expired.npy")
        self.national = np.load(root / "national.npy")
        self.law_first = np.load(root / "law_first.npy")
        self._law_sizes = np.diff(np.append(self.law_first, len(self.seq)))
        self.law_of_doc = np.repeat(np.arange(len(self.law_first)), self._law_sizes)
        self.levels: list[str] = self.meta["levels"]
        self._offsets = np.load(root / "texts.offsets.npy")
        self._texts = np.memmap(root / "texts.bin", dtype=np.uint8, mode="r") if self._offsets[-1] else None
        # Version-collapsing key: same normalised title + article label = same provision.
        key_ids: dict[tuple[str, str], int] = {}
        titles = {t: normalize_title(t) for t in set(self.law_title)}
        self.norm_title = [titles[t] for t in self.law_title]
        self.provision = np.asarray(
            [
                key_ids.setdefault((t, a), len(key_ids))
                for t, a in zip(self.norm_title, self.article, strict=True)
            ],
            dtype=np.int64,
        )
        self.provision_keys = list(key_ids)
        self.lexicon = Lexicon.load(DEFAULT_LEXICON)
        self.weights: dict[str, float] = dict(DEFAULT_WEIGHTS)
        self.model: LearnedModel | None = None
        self._mask_cache: dict[Filters, np.ndarray | None] = {}

    @classmethod
    def load(cls, directory: str | Path, *, model_dir: str | Path | None = None) -> SearchIndex:
        idx = cls(Path(directory))
        if model_dir is not None:
            from .model import LearnedModel

            idx.attach(LearnedModel.load(Path(model_dir)))
        return idx

    def __len__(self) -> int:
        return len(self.law_path)

    def attach(self, model: LearnedModel | None) -> None:
        """Use a learned model (its features and fusion weights); None returns to the lexical default."""
        self.model = model
        self.weights = dict(DEFAULT_WEIGHTS)
        if model is not None:
            model.prepare(self)
            self.weights = dict(model.weights)

    def text(self, i: int) -> str:
        if self._texts is None:
            return ""
        return bytes(self._texts[self._offsets[i] : self._offsets[i + 1]]).decode("utf-8")

    def key(self, i: int) -> str:
        return f"{self.law_path[i]}#{int(self.seq[i])}"

    def parse(self, text: str) -> Query:
        words = self.segmenter.words(text)
        bigrams = self.segmenter.bigrams(text)
        bridged = self.lexicon.bridge(text)
        present = set(words)
        bridge_words = [
            w
            for b in bridged
            for phrase in b.statute
            for w in self.segmenter.words(phrase)
            if w not in present
        ]
        return Query(
            text,
            words,
            bigrams,
            query_vector(words, self.words),
            query_vector(bigrams, self.bigrams),
            bridged,
            bridge_words,
            query_vector(bridge_words, self.words),
        )

    def features(self, q: Query) -> Features:
        """Raw feature vectors (n_docs,) for a parsed query: lexical fields plus learned ones."""
        feats = Features(
            {
                "w": self.fields["w"].score(*q.word_ids),
                "b": self.fields["b"].score(*q.bigram_ids),
                "cw": self.fields["cw"].score(*q.word_ids),
                "cb": self.fields["cb"].score(*q.bigram_ids),
            }
        )
        # Query-dependent law relevance: the best lexical match anywhere in the same law.  Helps pick
        # the right law when the answering article itself shares few words with the question.
        lex = feats.norm("w") + feats.norm("b")  # type: ignore[operator]
        feats["L"] = self.per_law(np.maximum.reduceat(lex, self.law_first))
        # Bridged statute words on the article text and on the headings (饲养动物损害责任, 租赁合同 ...).
        if len(q.bridge_ids[0]):
            feats["x"] = self.fields["w"].score(*q.bridge_ids)
            feats["xc"] = self.fields["cw"].score(*q.bridge_ids)
            feats["Lx"] = self.per_law(
                np.maximum.reduceat(self.normalise(feats["x"] + feats["xc"]), self.law_first)
            )
        if self.model is not None:
            feats.update(self.model.features(self, q))
        return feats

    def per_law(self, values: np.ndarray) -> np.ndarray:
        """A value per law, given to each of its docs (docs are stored law by law): ``values[self.law_of_doc]``
        without the gather."""
        return np.repeat(values, self._law_sizes)

    @staticmethod
    def normalise(v: np.ndarray) -> np.ndarray:
        """Per-query max normalisation, so fusion weights mean the same for short and long queries."""
        m = float(v.max()) if v.size else 0.0
        return v / m if m > 0 else v

    def combine(self, feats: dict[str, np.ndarray], weights: dict[str, float] | None = None) -> np.ndarray:
        """Weighted sum of normalised features; a name "a*b" is the product of features a and b
        (lets a linear model express e.g. "lexical match counts more inside a popular law")."""
        weights = self.weights if weights is None else weights
        total = np.zeros(len(self), dtype=np.float32)
        term = np.empty_like(total)  # one scratch vector for every weighted term, not a new one per term
        shared = feats if isinstance(feats, Features) else Features(feats)
        get = shared.norm

        for name, wt in weights.items():
            if wt == 0.0:
                continue
            names = name.split("*")
            parts = [a for a in (get(x) for x in names) if a is not None]
            if len(parts) < len(names):
                continue
            v = parts[0] if len(parts) == 1 else _product(parts)
            np.multiply(np.float32(wt), v, out=term)
            total += term
        return total

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask of allowed docs (None = all), cached per filter set."""
        if filters in self._mask_cache:
            return self._mask_cache[filters]
        m = np.ones(len(self), dtype=bool)
        if filters.national is not None:
            m &= self.national if filters.national else ~self.national
        if filters.levels is not None:
            codes = [i for i, lv in enumerate(self.levels) if lv in filters.levels]
            m &= np.isin(self.level, codes)
        if not filters.include_expired:
            m &= ~self.expired
        out = None if m.all() else m
        self._mask_cache[filters] = out
        return out

    def rank(
        self, scores: np.ndarray, k: int, mask: np.ndarray | None, *, collapse: bool = True
    ) -> list[int]:
        """Top-k doc indices by score among allowed docs; collapse keeps one version per provision.

        Only docs with some evidence (score > 0) are ranked, and they are selected first: a partial sort over
        all 147,000 scores, most of them equal, costs several milliseconds; over the few with evidence, little."""
        positive = scores > 0
        if mask is not None:
            positive &= mask
        ids = np.flatnonzero(positive)
        vals = scores[ids]
        want = min(len(ids), max(k * 3 + 20, k))
        if want < len(ids):
            part = np.argpartition(-vals, want - 1)[:want]
            part = part[np.argsort(-vals[part], kind="stable")]
        else:
            part = np.argsort(-vals, kind="stable")
        out = self._first_k(ids[part], k, collapse)
        if len(out) < k and want < len(ids):  # many duplicates: fall back to a full sort of the evidence
            out = self._first_k(ids[np.argsort(-vals, kind="stable")], k, collapse)
        return out

    def _first_k(self, ranked: np.ndarray, k: int, collapse: bool) -> list[int]:
        """The first k of ranked docs, with collapse only the first of each provision."""
        if not collapse:
            return [int(i) for i in ranked[:k]]
        out: list[int] = []
        seen: set[int] = set()
        for i, p in zip(ranked.tolist(), self.provision[ranked].tolist(), strict=True):
            if p in seen:
                continue
            seen.add(p)
            out.append(i)
            if len(out) >= k:
                break
        return out

    def candidates(
        self, feats: dict[str, np.ndarray], mask: np.ndarray | None, *, collapse: bool = True
    ) -> np.ndarray:
        """First-stage candidate docs (see FIRST_STAGE), best-first and unique per provision."""
        seen: set[int] = set()
        out: list[int] = []
        for wts, n in FIRST_STAGE:
            for i in self.rank(self.combine(feats, wts), n, mask, collapse=collapse):
                key = int(self.provision[i]) if collapse else i
                if key not in seen:
                    seen.add(key)
                    out.append(i)
        return np.asarray(out[:N_CANDIDATES], dtype=np.int64)

    def feature_matrix(
        self, feats: dict[str, np.ndarray], docs: np.ndarray, names: Iterable[str]
    ) -> np.ndarray:
        """(len(docs) x len(names)) normalised features; "a*b" names are products."""
        cols: dict[str, np.ndarray] = {}
        zero = np.zeros(len(docs), dtype=np.float32)
        shared = feats if isinstance(feats, Features) else Features(feats)
        out = []
        for name in names:
            parts = []
            for x in name.split("*"):
                if x not in cols:
                    v = shared.norm(x)
                    cols[x] = zero if v is None else v[docs]
                parts.append(cols[x])
            out.append(parts[0] if len(parts) == 1 else _product(parts))
        return np.stack(out, axis=1) if out else np.zeros((len(docs), 0), dtype=np.float32)

    def retrieve(
        self, q: Query, k: int, mask: np.ndarray | None, *, collapse: bool = True
    ) -> tuple[list[int], list[float]]:
        """Ranked doc indices and scores: lexical fusion, or first stage + learned reranker."""
        feats = self.features(q)
        if self.model is None:
            scores = self.combine(feats)
            idx = self.rank(scores, k, mask, collapse=collapse)
            return idx, [float(scores[i]) for i in idx]
        cand = self.candidates(feats, mask, collapse=collapse)
        # Priors (and pooled law or section scores) alone are no answer: keep candidates that match the question
        # by its words, its bridged words, its past neighbours or the learned expansions.
        evidence = np.zeros(len(cand), dtype=bool)
        for name in EVIDENCE:
            v = feats.get(name)
            if v is not None:
                evidence |= v[cand] > 0
        cand = cand[evidence]
        names = list(self.weights)
        w = np.asarray([self.weights[n] for n in names], dtype=np.float32)
        sc = self.feature_matrix(feats, cand, names) @ w
        order = np.argsort(-sc, kind="stable")[:k]
        return [int(cand[j]) for j in order], [float(sc[j]) for j in order]

    def search(
        self,
        query: str | Query,
        *,
        k: int = 10,
        filters: Filters | None = None,
        collapse_versions: bool = True,
        highlight: bool = True,
    ) -> list[Hit]:
        """Search articles.  Returns up to k hits, best first, with matched terms and highlight spans.

        ``query`` may be already parsed (``parse``).  With ``highlight=False`` the hits carry no terms, spans or
        bridges; ``explain`` adds them later to the few hits a page shows."""
        filters = filters or Filters()
        q = self.parse(query) if isinstance(query, str) else query
        if filters.title_only:
            return self._search_titles(q, k, filters)
        idx, scores = self.retrieve(q, k, self.mask(filters), collapse=collapse_versions)
        hits = [self._hit(i, s) for i, s in zip(idx, scores, strict=True)]
        if highlight:
            self.explain(q, hits)
        return hits

    def _search_titles(self, q: Query, k: int, filters: Filters) -> list[Hit]:
        ids, tf = query_vector(q.words + q.bigrams, self.title_vocab)
        law_scores = self.titles.score(ids, tf)
        scores = np.full(len(self), -np.inf, dtype=np.float32)
        scores[self.law_first] = np.where(law_scores > 0, law_scores, -np.inf)
        idx = self.rank(scores, k, self.mask(filters), collapse=False)
        hits = []
        for i in idx:
            h = self._hit(i, float(scores[i]))
            h.terms = [t for t in q.words + q.bigrams if t in self.law_title[i]]
            hits.append(h)
        return hits

    def _hit(self, i: int, score: float) -> Hit:
        return Hit(
            self.key(i),
            self.law_path[i],
            self.law_title[i],
            self.article[i],
            int(self.seq[i]),
            score,
            i,
            self.provision_keys[int(self.provision[i])],
        )

    def explain(self, q: Query, hits: Iterable[Hit]) -> None:
        """Fill in why each hit matched: the question's words found in its text (``terms``), their character
        ``spans`` for highlighting, and the everyday words bridged to statute words in its text or headings."""
        if q.highlight_words is None:
            # Query words, plus the statute words the learned model expanded them to (that is often why a lay
            # question found this article).
            expanded = list(self.model.expand(q.words)) if self.model is not None else []
            q.highlight_words = list(dict.fromkeys(q.words + expanded)), list(dict.fromkeys(q.bigrams))
        wanted, bigrams = q.highlight_words
        for h in hits:
            text = self.text(h.doc)
            place = text + " " + self.section[h.doc]
            reasons: dict[str, list[str]] = {}  # a lay word in two lexicon entries is one reason
            for b in q.bridged:
                found = [w for w in b.statute if w in place and w not in b.lay]
                if found:
                    words = reasons.setdefault(b.lay, [])
                    words.extend(w for w in found if w not in words)
            h.bridges = list(reasons.items())
            # Highlights stay on the question's own words (and the model's expansions); the bridged statute
            # words are shown apart, as the reason the article matched.
            words = [w for w in wanted if w in text]
            covered = "".join(words)
            extra = [bg for bg in bigrams if bg in text and bg not in covered]
            h.terms = words + extra
            h.spans = list(iter_spans(text, h.terms))
