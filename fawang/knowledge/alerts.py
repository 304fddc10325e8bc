"""Law-change alerts: when a re-import marks a law 已修改 or 已废止, whatever cites one of its articles is
flagged for review (待复核).

Knowledge entries are handled here. Other apps register their own citing objects (e.g. the articles a
consultation answer relied on) in ``CITATION_SOURCES`` without this module importing them:

    from fawang.knowledge.alerts import register_citation_source

    @register_citation_source
    def flag_answers(law_ids: Sequence[int]) -> int:
        ...  # flag what cites articles of these laws; return how many objects were flagged
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from .models import EntryCitation, KnowledgeEntry, Law

CitationSource = Callable[[Sequence[int]], int]
# Callables given the ids of laws newly no longer in force; each flags its own objects and returns a count.
CITATION_SOURCES: list[CitationSource] = []


def register_citation_source(source: CitationSource) -> CitationSource:
    """Add a citing-object hook (usable as a decorator); registering the same callable twice is a no-op."""
    if source not in CITATION_SOURCES:
        CITATION_SOURCES.append(source)
    return source


def change_note(law: Law) -> str:
    """The review note for one law, e.g. 所引用的《中华人民共和国法律援助法》（2021-08-20 公布）已标为“已修改”。"""
    published = _("（%(date)s 公布）") % {"date": law.publish_date.isoformat()} if law.publish_date else ""
    return _("所引用的《%(title)s》%(published)s已标为“%(status)s”，请核对引用的条文是否仍然适用。") % {
        "title": law.full_title,
        "published": published,
        "status": law.status,
    }


def flag_entries(law_ids: Sequence[int]) -> int:
    """Flag every knowledge entry citing an article of these laws; the number of entries flagged."""
    laws = Law.objects.in_bulk(list(law_ids))
    if not laws:
        return 0
    cited: dict[int, set[int]] = defaultdict(set)
    rows = EntryCitation.objects.filter(article__law_id__in=list(laws)).values_list(
        "entry_id", "article__law_id"
    )
    for entry_id, law_id in rows:
        cited[entry_id].add(law_id)
    if not cited:
        return 0
    with transaction.atomic():
        entries = KnowledgeEntry.objects.select_for_update().filter(pk__in=list(cited)).order_by("pk")
        for entry in entries:
            notes = (
                [line for line in entry.review_note.splitlines() if line.strip()]
                if entry.needs_review
                else []
            )
            for law_id in sorted(cited[entry.pk]):
                note = change_note(laws[law_id])
                if note not in notes:
                    notes.append(note)
            # update(), not save(): an alert is not an edit, so updated_at (and the search cache key) stay.
            KnowledgeEntry.objects.filter(pk=entry.pk).update(
                needs_review=True, review_note="\n".join(notes), reviewed_at=None
            )
    return len(cited)


def flag_citing(law_ids: Iterable[int]) -> int:
    """Flag everything citing articles of these laws (knowledge entries, then the registered sources);
    the total number of objects flagged."""
    ids = sorted(set(law_ids))
    if not ids:
        return 0
    return flag_entries(ids) + sum(source(ids) for source in CITATION_SOURCES)
