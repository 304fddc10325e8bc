"""Consultation's registration on the business-line seam (fawang.matters.lines)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fawang.catalog.models import BusinessLine
from fawang.matters import pdf
from fawang.matters.lines import Board, Line, Panel
from fawang.matters.models import Matter, MatterArticle

from .hotspots import board_context
from .legal_basis import article_label
from .threads import is_consultation, thread
from .views import panel_context

# Answering a consultation is taking it in (咨询答复即受理): the note of that acceptance.
ANSWER_ACCEPTS = gettext_noop("答复咨询，即予受理。")


def answer_notes(template: str, matter: Matter) -> list[str]:
    """The 办结告知书 of a consultation carries each answer the person was given, beyond the result text itself."""
    if template != pdf.RESULT:
        return []
    result = matter.result.strip()
    answers: list[str] = []
    for row in thread(matter).answers:
        text = row.note.strip()
        if text and text != result and text not in answers and text not in result:
            answers.append(text)
    return [_("答复内容：%(answer)s") % {"answer": text} for text in answers]


LINE = Line(
    BusinessLine.CONSULTATION,
    is_consultation,
    answer_accepts=ANSWER_ACCEPTS,
    notice_notes=answer_notes,
    auto_topic=True,
    supervision=Board("consult/_hotspots.html", board_context),
)


def every_matter(matter: object) -> bool:
    return True


# The 法律依据 card and the suggested articles are on every matter's page (a legal-aid application cites its law
# too): a second registration of this app, for all matters.
def basis_notes(template: str, matter: Matter) -> list[str]:
    """The 办结告知书 names the legal basis staff cited (the accepted articles, 法律依据)."""
    if template != pdf.RESULT:
        return []
    cited = (
        MatterArticle.objects.filter(matter=matter, decision=MatterArticle.Decision.ACCEPTED)
        .select_related("article__law")
        .order_by("decided_at", "pk")
    )
    labels = [article_label(row.article) for row in cited]
    return [_("法律依据：%(articles)s") % {"articles": "；".join(labels)}] if labels else []


LEGAL_BASIS = Line(
    "legal_basis", every_matter, panel=Panel("consult/_panel.html", panel_context), notice_notes=basis_notes
)
