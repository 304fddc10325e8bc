"""The guide, FAQ or 以案释法 case that answers a question, shown above the articles (issue 15, item 4).

Words alone are weak evidence that a staff-written entry answers a question: “工资” matches the wage FAQ and the
legal-aid guide alike.  So an entry is put forward as *the* answer only when two independent searches agree:

- it is among the best word matches of the entry search (``entry_search``, everyday words bridged to statute words);
- it cites (``EntryCitation``) one of the articles the statute search ranks at the top for the same question.

The first entry in word-match order that passes both is the answer; when none does, nothing is put forward and the
page shows the articles (and the plain list of entries) as before.  An entry that cites no article can never be the
answer: the citation is what ties it to the law the question is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .entry_search import EntryHit
from .models import Article, EntryCitation, KnowledgeEntry
from .results import Result

ANSWER_KINDS = frozenset({KnowledgeEntry.Kind.GUIDE, KnowledgeEntry.Kind.FAQ, KnowledgeEntry.Kind.CASE})
TOP_ENTRIES = 3  # only the best word matches are considered ...
TOP_ARTICLES = 5  # ... and one of them must cite an article the statute search ranks this high
SUMMARY = 160  # characters of the entry's opening shown in the card


@dataclass
class CitedResult:
    rank: int  # 1-based place among the statute search's results
    article: Article


@dataclass
class Answer:
    entry: KnowledgeEntry
    summary: str  # the entry's opening, in its own plain words (not escaped: templates escape it)
    cited: list[CitedResult]
    bridges: list[str] = field(default_factory=list)  # the entry search's reasons (“工钱 → 劳动报酬”, words)

    @property
    def why(self) -> list[str]:
        cites = [
            _("引用了检索结果第 %(rank)s 条《%(law)s》%(label)s")
            % {"rank": c.rank, "law": c.article.law.full_title, "label": c.article.label}
            for c in self.cited
        ]
        return cites + self.bridges


def plain_summary(body: str, limit: int = SUMMARY) -> str:
    """The first paragraph of an entry, cut at the last full sentence within ``limit`` characters.  In a FAQ
    written as 问：… 答：… the question is skipped: the card shows the answer."""
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    if len(paragraphs) > 1 and paragraphs[0].startswith(("问：", "问:")):
        paragraphs = paragraphs[1:]
    paragraph = paragraphs[0] if paragraphs else ""
    if paragraph.startswith(("答：", "答:")):
        paragraph = paragraph[2:].strip()
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit]
    end = max(cut.rfind(mark) for mark in "。！？；")
    return cut[: end + 1] if end >= limit // 3 else cut + "…"


def _provision(article: Article) -> tuple[str, str]:
    """Versions of a law share its title and article labels: a citation of any version matches."""
    return article.law.title, article.label


def best_answer(entry_hits: list[EntryHit], articles: list[Result]) -> Answer | None:
    """The first of the best entry matches that cites one of the top statute results, or None."""
    candidates = [h for h in entry_hits if h.entry.kind in ANSWER_KINDS][:TOP_ENTRIES]
    if not candidates or not articles:
        return None
    top: dict[tuple[str, str], CitedResult] = {}
    for rank, r in enumerate(articles[:TOP_ARTICLES], 1):
        top.setdefault(_provision(r.article), CitedResult(rank, r.article))
    cites: dict[int, set[tuple[str, str]]] = {}
    for c in EntryCitation.objects.filter(entry__in=[h.entry for h in candidates]).select_related(
        "article__law"
    ):
        cites.setdefault(c.entry_id, set()).add(_provision(c.article))
    for h in candidates:
        agreed = sorted((top[p] for p in cites.get(h.entry.pk, ()) if p in top), key=lambda c: c.rank)
        if agreed:
            return Answer(h.entry, plain_summary(h.entry.body), agreed, list(h.why))
    return None


def answer_for(question: str) -> Answer | None:
    """Both searches for one question, as the search page runs them (articles in force), then ``best_answer``.
    None also when the statute index has not been built."""
    from . import entry_search, searching

    articles = searching.articles_for_question(question, k=TOP_ARTICLES)
    if not articles:
        return None
    return best_answer(entry_search.search(question, kinds=set(ANSWER_KINDS), k=TOP_ENTRIES), articles)
