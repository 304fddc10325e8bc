"""普法: publicity articles and 以案释法 cases, the knowledge entries the console publishes, by category.

The category is the entry's 业务领域 (``topic``, the same legal areas as practitioners' specialities and the
topic classification of consultations), so an article on 婚姻家庭 sits beside the 婚姻家庭 lawyers and answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Speciality

KIND = KnowledgeEntry.Kind
PUBLICITY_KINDS: tuple[str, ...] = (KIND.PUBLICITY, KIND.CASE)
RELATED = 5


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    count: int


def articles() -> QuerySet[KnowledgeEntry]:
    return (
        KnowledgeEntry.objects.published()
        .filter(kind__in=PUBLICITY_KINDS)
        .select_related("unit", "topic", "region")
        .order_by("-published_at", "-pk")
    )


def filter_articles(kind: str = "", category: Speciality | None = None) -> QuerySet[KnowledgeEntry]:
    qs = articles()
    if kind:
        qs = qs.filter(kind=kind)
    if category is not None:
        qs = qs.filter(topic=category)
    return qs


def categories(kind: str = "") -> list[Category]:
    """The category facet: the legal areas that have published articles (of ``kind``), with their counts."""
    qs = KnowledgeEntry.objects.published().filter(kind__in=[kind] if kind else PUBLICITY_KINDS)
    rows = (
        qs.filter(topic__isnull=False)
        .values("topic__code", "topic__name", "topic__order")
        .annotate(n=Count("pk"))
        .order_by("topic__order", "topic__code")
    )
    return [Category(r["topic__code"], r["topic__name"], r["n"]) for r in rows]


def get_article(pk: int) -> KnowledgeEntry:
    """A published article or case; a draft, another kind of entry or a missing one is the same 404."""
    return get_object_or_404(articles(), pk=pk)


def related(entry: KnowledgeEntry) -> list[KnowledgeEntry]:
    if entry.topic_id is None:
        return []
    return list(articles().filter(topic_id=entry.topic_id).exclude(pk=entry.pk)[:RELATED])
