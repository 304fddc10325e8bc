"""What people tell the search, turned into training questions for the learned layer.

Two kinds of judgement count: “这条有帮助吗” answers on search results (``SearchFeedback``, public and staff), and
the choices other apps record about suggested articles — the consultation workbench's 采纳 / 不采纳 — which those
apps hand over through ``register_feedback_source`` without this module importing them:

    from fawang.knowledge.learning import register_feedback_source

    @register_feedback_source
    def adopted_articles() -> Iterable[Judgement]:
        ...  # (question, article id, helpful) for each decision

``feedback_questions()`` folds the judgements into rows in the format of data/lawsearch/train.jsonl (one row per
question, its helpful articles as ``relevant``; an article judged unhelpful more often than helpful is left out),
which ``manage.py export_search_feedback`` writes and ``python -m fawang.knowledge.search.train --extra FILE``
learns from together with the STARD and everyday questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .models import Article, SearchFeedback


class Judgement(NamedTuple):
    question: str
    article_id: int
    helpful: bool


FeedbackSource = Callable[[], Iterable[Judgement]]
FEEDBACK_SOURCES: list[FeedbackSource] = []


def register_feedback_source(source: FeedbackSource) -> FeedbackSource:
    """Add a source of judgements (usable as a decorator); registering the same callable twice is a no-op."""
    if source not in FEEDBACK_SOURCES:
        FEEDBACK_SOURCES.append(source)
    return source


def search_judgements() -> Iterator[Judgement]:
    """“这条有帮助吗” on articles, and on guides/FAQs/cases through the articles each entry cites."""
    rows = SearchFeedback.objects.order_by("pk").values_list("question", "article_id", "entry_id", "helpful")
    cited: dict[int, list[int]] = defaultdict(list)
    entry_ids = {e for _, _, e, _ in rows if e is not None}
    if entry_ids:
        from .models import EntryCitation

        for entry_id, article_id in EntryCitation.objects.filter(entry_id__in=entry_ids).values_list(
            "entry_id", "article_id"
        ):
            cited[entry_id].append(article_id)
    for question, article_id, entry_id, helpful in rows:
        if article_id is not None:
            yield Judgement(question, article_id, helpful)
        elif entry_id is not None and helpful:  # an unhelpful entry says little about the articles it cites
            for a in cited.get(entry_id, []):
                yield Judgement(question, a, True)


def all_judgements() -> Iterator[Judgement]:
    yield from search_judgements()
    for source in FEEDBACK_SOURCES:
        yield from source()


def feedback_questions(judgements: Iterable[Judgement] | None = None) -> list[dict]:
    """Training rows (train.jsonl format, ``source: "feedback"``) from judgements, in first-seen order."""
    votes: dict[str, dict[int, int]] = {}
    for j in all_judgements() if judgements is None else judgements:
        text = " ".join(j.question.split())
        if text:
            per = votes.setdefault(text, {})
            per[j.article_id] = per.get(j.article_id, 0) + (1 if j.helpful else -1)
    wanted = {a for per in votes.values() for a, v in per.items() if v > 0}
    articles = {
        a.pk: a
        for a in Article.objects.filter(pk__in=wanted).select_related("law").only("label", "law__title")
    }
    out: list[dict] = []
    for text, per in votes.items():
        relevant = [
            {"law": articles[a].law.title, "article": articles[a].label}
            for a, v in per.items()
            if v > 0 and a in articles
        ]
        if relevant:
            out.append(
                {
                    "qid": f"feedback-{len(out) + 1}",
                    "question": text,
                    "relevant": relevant,
                    "source": "feedback",
                }
            )
    return out
