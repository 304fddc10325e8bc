"""The only writers of knowledge entries: create, edit, publish, unpublish, confirm a review.

Citations are re-extracted from the body on every save (citations.resolve picks the version in force), so a
confirmed review after a law change moves the entry's citations to the new version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .citations import CITATION_RE, resolve
from .models import Article, EntryCitation, KnowledgeEntry, SearchFeedback

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.catalog.models import ServiceItem

EDITABLE = ("kind", "title", "body", "topic", "region")
# A manual citation: 《中华人民共和国劳动合同法》第三十条, or without the book-title marks.
MANUAL_RE = re.compile(
    r"《?(?P<title>[^《》\n]{2,80}?)》?\s*(?P<label>第[〇零一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?)"
)


def cited_articles(text: str) -> list[Article]:
    """Articles cited in text (《…》第…条), in order of first citation; unresolvable citations are skipped."""
    found: dict[int, Article] = {}
    seen: set[tuple[str, str]] = set()
    for m in CITATION_RE.finditer(text):
        title, label = m.group("title"), m.group("label")
        if not label or (title, label) in seen:
            continue
        seen.add((title, label))
        target = resolve(title, label)
        if isinstance(target, Article):
            found.setdefault(target.pk, target)
    return list(found.values())


def parse_manual_citations(text: str) -> list[Article]:
    """One citation per line, e.g. 《中华人民共和国劳动合同法》第三十条; a clear error for any that is not
    found."""
    out: dict[int, Article] = {}
    bad: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        m = MANUAL_RE.fullmatch(line)
        target = resolve(m.group("title"), m.group("label")) if m else None
        if isinstance(target, Article):
            out.setdefault(target.pk, target)
        else:
            bad.append(line)
    if bad:
        raise ValidationError(
            _("找不到这些条文：%(lines)s。请按《法律名称》第几条的格式填写，每行一条。")
            % {"lines": "、".join(bad)}
        )
    return list(out.values())


def sync_citations(entry: KnowledgeEntry, manual: list[Article] | None = None) -> None:
    """Make the entry's citations the body's (auto) plus ``manual``; None keeps the current manual ones,
    re-resolved like the body's so that they too move to the version in force."""
    auto = {a.pk for a in cited_articles(entry.title + "\n" + entry.body)}
    if manual is None:
        manual_ids = set()
        for c in entry.citations.filter(source=EntryCitation.Source.MANUAL).select_related("article__law"):
            target = resolve(c.article.law.title, c.article.label)
            manual_ids.add(target.pk if isinstance(target, Article) else c.article_id)
    else:
        manual_ids = {a.pk for a in manual}
    wanted = {pk: EntryCitation.Source.AUTO for pk in auto}
    for pk in manual_ids:
        wanted.setdefault(pk, EntryCitation.Source.MANUAL)
    current = dict(entry.citations.values_list("article_id", "source"))
    entry.citations.exclude(article_id__in=list(wanted)).delete()
    for pk, source in wanted.items():
        if pk not in current:
            EntryCitation.objects.create(entry=entry, article_id=pk, source=source)
        elif current[pk] != source:
            entry.citations.filter(article_id=pk).update(source=source)


@transaction.atomic
def create_entry(
    *,
    actor: User | None,
    unit_id: int,
    manual: list[Article] | None = None,
    service_items: Iterable[ServiceItem] | None = None,
    **fields: Any,
) -> KnowledgeEntry:
    entry = KnowledgeEntry.objects.create(
        unit_id=unit_id, created_by=actor, updated_by=actor, **{k: fields[k] for k in EDITABLE if k in fields}
    )
    sync_citations(entry, manual or [])
    if service_items is not None:
        entry.service_items.set(service_items)
    return entry


@transaction.atomic
def update_entry(
    entry_id: int,
    *,
    actor: User | None,
    manual: list[Article] | None = None,
    reviewed: bool = False,
    service_items: Iterable[ServiceItem] | None = None,
    **fields: Any,
) -> KnowledgeEntry:
    """Change the EDITABLE fields given; ``service_items`` None keeps the entry's links to service items."""
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry_id)
    for name in EDITABLE:
        if name in fields:
            setattr(entry, name, fields[name])
    entry.updated_by = actor
    if reviewed and entry.needs_review:
        _clear_review(entry)
    entry.save()
    sync_citations(entry, manual)
    if service_items is not None:
        entry.service_items.set(service_items)
    return entry


def _clear_review(entry: KnowledgeEntry) -> None:
    entry.needs_review = False
    entry.review_note = ""
    entry.reviewed_at = timezone.now()


@transaction.atomic
def mark_reviewed(entry_id: int, *, actor: User | None) -> KnowledgeEntry:
    """已复核: the editor checked the cited articles after a law change; citations move to the version in
    force."""
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry_id)
    if not entry.needs_review:
        raise ValidationError(_("该条目没有待复核的提示。"))
    _clear_review(entry)
    entry.updated_by = actor
    entry.save()
    sync_citations(entry)
    return entry


@transaction.atomic
def publish(entry_id: int, *, actor: User | None) -> KnowledgeEntry:
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry_id)
    if entry.is_published:
        raise ValidationError(_("该条目已经发布。"))
    if not entry.title.strip() or not entry.body.strip():
        raise ValidationError(_("标题和正文不能为空，补全后再发布。"))
    entry.status = KnowledgeEntry.Status.PUBLISHED
    entry.published_at = timezone.now()
    entry.updated_by = actor
    entry.save()
    return entry


@transaction.atomic
def unpublish(entry_id: int, *, actor: User | None) -> KnowledgeEntry:
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry_id)
    if not entry.is_published:
        raise ValidationError(_("该条目尚未发布。"))
    entry.status = KnowledgeEntry.Status.DRAFT
    entry.updated_by = actor
    entry.save()
    return entry


# ---- “这条有帮助吗” -------------------------------------------------------------------------------------


@transaction.atomic
def record_search_feedback(
    question: str,
    *,
    helpful: bool,
    actor: User | None,
    article_id: int | None = None,
    entry_id: int | None = None,
) -> SearchFeedback:
    """Keep one answer to “这条有帮助吗” about a search result.  Staff answers (a signed-in staff user) and the
    public's are kept apart (``source``); both become training questions (``learning.feedback_questions``)."""
    text = " ".join((question or "").split())[:200]
    if not text:
        raise ValidationError(_("缺少检索的问题，无法记录反馈。"))
    if (article_id is None) == (entry_id is None):
        raise ValidationError(_("请指明是哪一条结果。"))
    article = entry = None
    if article_id is not None:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise ValidationError(_("这条条文不存在，可能已被更新，请重新检索。"))
    elif entry_id is not None:
        entry = KnowledgeEntry.objects.published().filter(pk=entry_id).first()
        if entry is None:
            raise ValidationError(_("这篇指南问答案例不存在或已撤回，请重新检索。"))
    staff = actor is not None and actor.is_authenticated and actor.kind == actor.Kind.STAFF
    return SearchFeedback.objects.create(
        question=text,
        article=article,
        entry=entry,
        helpful=helpful,
        source=SearchFeedback.Source.STAFF if staff else SearchFeedback.Source.PUBLIC,
        user=actor if actor is not None and actor.is_authenticated else None,
    )
