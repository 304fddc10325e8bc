"""Consultation's registration on the business-line seam (fawang.matters.lines)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from fawang.catalog.models import BusinessLine
from fawang.matters.lines import Board, Line, Panel

from .hotspots import board_context
from .threads import is_consultation
from .views import panel_context

# Answering a consultation is taking it in (咨询答复即受理): the note of that acceptance.
ANSWER_ACCEPTS = gettext_noop("答复咨询，即予受理。")

LINE = Line(
    BusinessLine.CONSULTATION,
    is_consultation,
    answer_accepts=ANSWER_ACCEPTS,
    auto_topic=True,
    supervision=Board("consult/_hotspots.html", board_context),
)


def every_matter(matter: object) -> bool:
    return True


# The 法律依据 card and the suggested articles are on every matter's page (a legal-aid application cites its law
# too): a second registration of this app, for all matters.
LEGAL_BASIS = Line("legal_basis", every_matter, panel=Panel("consult/_panel.html", panel_context))
