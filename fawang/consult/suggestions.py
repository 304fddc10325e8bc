"""Help beside a matter (issue 5): law articles for its description and similar completed consultations.

Articles come from the law search (``knowledge.searching.articles_for_question``), then staff feedback moves
them: for the NEIGHBOURS past matters most similar to the question (TF-IDF cosine over character bigrams of
the descriptions, at least MIN_SIMILARITY), every article staff accepted there votes +similarity and every
article rejected there votes -similarity. The final score is the search score (scaled so the best is 1) plus
FEEDBACK_WEIGHT times the votes, so a clear accept on a near-identical question lifts an article over the
search's first answer, and a reject pushes it down. Votes come from decisions in all regions: which article
fits a question is not personal data. The similar consultations *shown* are only the user's visible ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from fawang.catalog.models import BusinessLine
from fawang.knowledge import searching
from fawang.knowledge.models import Article
from fawang.matters.models import Matter, MatterArticle

if TYPE_CHECKING:
    from fawang.accounts.models import User

SUGGESTED = 5  # articles shown
CANDIDATES = 20  # search hits re-ranked
NEIGHBOURS = 20  # similar past matters whose decisions vote
POOL = 2000  # most recent matters compared with the question (bounded work per request)
MIN_SIMILARITY = 0.2
FEEDBACK_WEIGHT = 1.0
SIMILAR_SHOWN = 3
SNIPPET = 120

_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z0-9]+")


def grams(text: str) -> Counter[str]:
    """Character bigrams of the Chinese runs plus ASCII words: no segmenter needed for lay questions."""
    out: Counter[str] = Counter()
    for run in _CJK.findall(text or ""):
        if len(run) == 1:
            out[run] += 1
        for i in range(len(run) - 1):
            out[run[i : i + 2]] += 1
    for w in _WORD.findall(text or ""):
        out[w.lower()] += 1
    return out


def similar(
    text: str, docs: Iterable[tuple[int, str]], *, minimum: float = MIN_SIMILARITY
) -> list[tuple[int, float]]:
    """(id, cosine similarity) of the docs like ``text``, most similar first; idf over the docs and the text."""
    query = grams(text)
    if not query:
        return []
    bags = [(pk, grams(body)) for pk, body in docs]
    df: Counter[str] = Counter(query.keys())
    for _pk, bag in bags:
        df.update(bag.keys())
    n = len(bags) + 1

    def vector(bag: Counter[str]) -> dict[str, float]:
        return {g: (1 + math.log(c)) * (math.log((n + 1) / (df[g] + 1)) + 1) for g, c in bag.items()}

    qv = vector(query)
    qn = math.sqrt(sum(v * v for v in qv.values()))
    out: list[tuple[int, float]] = []
    for pk, bag in bags:
        if not bag:
            continue
        dv = vector(bag)
        dot = sum(w * dv[g] for g, w in qv.items() if g in dv)
        if not dot:
            continue
        sim = dot / (qn * math.sqrt(sum(v * v for v in dv.values())))
        if sim >= minimum:
            out.append((pk, sim))
    out.sort(key=lambda x: (-x[1], -x[0]))
    return out


def feedback_votes(text: str, *, exclude: int | None = None) -> dict[int, float]:
    """Article id -> votes from staff decisions on the past matters most similar to ``text``."""
    decided = MatterArticle.objects.exclude(decision=MatterArticle.Decision.PENDING)
    if exclude is not None:
        decided = decided.exclude(matter_id=exclude)
    pool = (
        Matter.objects.filter(pk__in=decided.values("matter_id"))
        .order_by("-pk")
        .values_list("pk", "description")
    )
    neighbours = dict(similar(text, pool[:POOL])[:NEIGHBOURS])
    votes: dict[int, float] = {}
    rows = decided.filter(matter_id__in=neighbours).values_list("matter_id", "article_id", "decision")
    for matter_id, article_id, decision in rows:
        sign = 1.0 if decision == MatterArticle.Decision.ACCEPTED else -1.0
        votes[article_id] = votes.get(article_id, 0.0) + sign * neighbours[matter_id]
    return votes


@dataclass
class Suggestion:
    article: Article
    snippet: SafeString
    score: float
    decision: str = ""  # this matter's decision on the article, if any


def _plain_snippet(text: str) -> SafeString:
    return mark_safe(escape(Truncator(text).chars(SNIPPET)))  # noqa: S308 - escaped


def suggest_articles(matter: Matter, *, k: int = SUGGESTED) -> list[Suggestion] | None:
    """The top ``k`` articles for the matter's description, feedback applied; None when no index exists."""
    found = searching.articles_for_question(matter.description, k=CANDIDATES)
    if found is None:
        return None
    votes = feedback_votes(matter.description, exclude=matter.pk)
    top = max((r.score for r in found), default=0.0) or 1.0
    by_id = {r.article.pk: Suggestion(r.article, r.snippet, r.score / top) for r in found}
    wanted = [pk for pk, v in votes.items() if v > 0 and pk not in by_id]
    for a in Article.objects.select_related("law").filter(pk__in=wanted):
        by_id[a.pk] = Suggestion(a, _plain_snippet(a.text), 0.0)
    for pk, s in by_id.items():
        s.score += FEEDBACK_WEIGHT * votes.get(pk, 0.0)
    ranked = sorted(by_id.values(), key=lambda s: (-s.score, s.article.pk))[:k]
    decisions = dict(
        matter.legal_articles.filter(article_id__in=[s.article.pk for s in ranked]).values_list(
            "article_id", "decision"
        )
    )
    for s in ranked:
        s.decision = decisions.get(s.article.pk, "")
    return ranked


def similar_consultations(matter: Matter, user: User, *, n: int = SIMILAR_SHOWN) -> list[Matter]:
    """Completed consultations within the user's regions most like this matter, with their results."""
    pool = (
        Matter.objects.visible_to(user)
        .filter(
            service_item__business_line=BusinessLine.CONSULTATION,
            status__in=Matter.DONE_STATUSES,
        )
        .exclude(pk=matter.pk)
        .exclude(result="")
        .order_by("-completed_at", "-pk")
        .values_list("pk", "description")
    )
    order = [pk for pk, _sim in similar(matter.description, pool[:POOL])[:n]]
    rows = Matter.objects.visible_to(user).select_related("service_item").in_bulk(order)
    return [rows[pk] for pk in order if pk in rows]
