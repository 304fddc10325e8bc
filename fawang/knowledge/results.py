"""Run a search on the loaded index and turn engine hits into Article rows with highlighted snippets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Law
from .search import Filters, Hit, SearchIndex
from .search.engine import Query

MAX_QUERY = 200
# Engine hits fetched per search; filters the engine cannot apply (region, dates) and date order work
# on these, so a few more are fetched when they are used.
TOP_K = 100
TOP_K_FILTERED = 300
SNIPPET = 160


@dataclass(frozen=True)
class SearchParams:
    query: str
    levels: frozenset[str] | None = None
    current_only: bool = False
    scope: str = ""  # "" all, "national", "local", or a region name of local regulations (上海, 山东 …)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    order: str = "relevance"  # or "date": newest publication first
    title_only: bool = False

    def post_filtered(self) -> bool:
        return bool(self.scope not in ("", "national", "local") or self.date_from or self.date_to)


class Result:
    """One article found, with why it matched: the question's words found in the article (``matched``, also
    highlighted in ``snippet``), and each everyday word with the statute words it was bridged to (``bridges``,
    “工钱 → 劳动报酬”).

    A search keeps up to a hundred results so that its pages can be counted and turned, but a page shows ten: the
    article's row (its text), the explanation and the snippet are worked out on first use, for the results someone
    looks at (``load_articles`` fetches the rows of a page in one query)."""

    def __init__(
        self,
        law: Law,
        article_pk: int,
        hit: Hit,
        score: float,
        explain: tuple[SearchIndex, Query] | None,
    ) -> None:
        """``explain``: the index and the parsed question that explain the hit on first use; None when the hit
        says all there is (a law title match carries its matched words and no highlights)."""
        self.law = law
        self.article_pk = article_pk
        self.hit = hit
        self.score = score
        self._explain = explain
        self._article: Article | None = None

    @property
    def article(self) -> Article:
        if self._article is None:
            load_articles([self])
        assert self._article is not None
        return self._article

    def _explained(self) -> Hit:
        if self._explain is not None:
            index, query = self._explain
            index.explain(query, [self.hit])
            self._explain = None
        return self.hit

    @cached_property
    def snippet(self) -> SafeString:
        return highlight(self.article.text, self._explained().spans)

    @property
    def matched(self) -> list[str]:
        return list(self._explained().terms)

    @property
    def bridges(self) -> list[tuple[str, list[str]]]:
        return list(self._explained().bridges)

    @property
    def why(self) -> list[str]:
        bridges = self.bridges
        bridged = [f"{lay} → {'、'.join(words)}" for lay, words in bridges]
        seen = {lay for lay, _ in bridges} | {w for _, words in bridges for w in words}
        plain = [w for w in self.matched if w not in seen and len(w) >= 2][:6]
        return bridged + plain


@dataclass
class SearchResults:
    results: list[Result] = field(default_factory=list)


def engine_filters(p: SearchParams) -> Filters:
    national = {"national": True, "local": False}.get(p.scope)
    if p.scope not in ("", "national", "local"):
        national = False
    return Filters(
        national=national, levels=p.levels, include_expired=not p.current_only, title_only=p.title_only
    )


def highlight(text: str, spans: list[tuple[int, int]], *, width: int = SNIPPET) -> SafeString:
    """An escaped excerpt of text around the first match, matched spans in <mark>."""
    start = 0
    if len(text) > width and spans:
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
    end = min(len(text), start + width)
    parts = ["…" if start else ""]
    pos = start
    for a, b in sorted(spans):
        a, b = max(a, pos), min(b, end)
        if a >= b:
            continue
        parts.append(escape(text[pos:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    parts.append(escape(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _rows_for(hits: list[Hit]) -> dict[tuple[str, str], tuple[Law, int]]:
    """The law row and the article's id of engine hits, by (law source id, article label): two queries.  The
    articles' rows (their text) are fetched later, for the results shown (``load_articles``)."""
    if not hits:
        return {}
    # The results show the law's region_name, never its region row: no join.
    laws = Law.objects.in_bulk({h.law_path for h in hits}, field_name="source_id")
    wanted = {(laws[h.law_path].pk, h.article) for h in hits if h.law_path in laws}
    if not wanted:
        return {}
    by_id = {law.pk: law for law in laws.values()}
    # Every article of these laws with one of these labels, as plain tuples, then the pairs asked for: one short
    # query instead of an OR of a hundred (law, labels) conditions, which costs more to compile than to run.
    rows = (
        Article.objects.filter(
            law_id__in={law for law, _ in wanted}, label__in={label for _, label in wanted}
        )
        .order_by()
        .values_list("pk", "law_id", "label")
    )
    return {
        (by_id[law_id].source_id, label): (by_id[law_id], pk)
        for pk, law_id, label in rows
        if (law_id, label) in wanted
    }


def load_articles(found: Iterable[Result]) -> None:
    """Fetch the article rows of results that have none yet (one query), with their law already known."""
    todo = [r for r in found if r._article is None]
    if not todo:
        return
    rows = Article.objects.in_bulk([r.article_pk for r in todo])
    for r in todo:
        # A row deleted since the search (a re-import) still shows as its law and label.
        a = rows.get(r.article_pk) or Article(pk=r.article_pk, law=r.law, label=r.hit.article, text="")
        a.law = r.law
        r._article = a


def search(index: SearchIndex, p: SearchParams) -> SearchResults:
    out = SearchResults()
    q = index.parse(p.query)
    if not len(q.word_ids[0]) and not len(q.bigram_ids[0]) and not len(q.bridge_ids[0]):
        return out  # no word of the query, nor a statute word it bridges to, occurs in any statute
    k = TOP_K_FILTERED if p.post_filtered() or p.order == "date" else TOP_K
    # Versions are collapsed here rather than in the engine, after the filters, so that the version shown
    # is the one in force when there is one, and a date range finds the versions published in it.
    hits = index.search(q, k=k, filters=engine_filters(p), collapse_versions=False, highlight=False)
    rows = _rows_for(hits)
    explain = None if p.title_only else (index, q)
    by_provision: dict[tuple[str, str], int] = {}
    for h in hits:
        row = rows.get((h.law_path, h.article))
        if row is None:  # index older than the database: skip what no longer exists
            continue
        law, article_pk = row
        if p.current_only and law.status != Law.Status.IN_FORCE:
            continue
        if p.scope not in ("", "national", "local") and law.region_name != p.scope:
            continue
        if p.date_from and (law.publish_date is None or law.publish_date < p.date_from):
            continue
        if p.date_to and (law.publish_date is None or law.publish_date > p.date_to):
            continue
        result = Result(law, article_pk, h, h.score, explain)
        seen = by_provision.get(h.provision)
        if seen is None:
            by_provision[h.provision] = len(out.results)
            out.results.append(result)
        elif law.status == Law.Status.IN_FORCE and out.results[seen].law.status != Law.Status.IN_FORCE:
            result.score = out.results[seen].score
            out.results[seen] = result
    if p.order == "date":
        out.results.sort(key=lambda r: r.law.publish_date or dt.date.min, reverse=True)
    return out
