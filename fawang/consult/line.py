"""Consultation's registration on the business-line seam (fawang.matters.lines)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from fawang.catalog.models import BusinessLine
from fawang.matters.lines import Board, Line

from .hotspots import board_context
from .threads import is_consultation

# Answering a consultation is taking it in (咨询答复即受理): the note of that acceptance.
ANSWER_ACCEPTS = gettext_noop("答复咨询，即予受理。")

LINE = Line(
    BusinessLine.CONSULTATION,
    is_consultation,
    answer_accepts=ANSWER_ACCEPTS,
    supervision=Board("consult/_hotspots.html", board_context),
)
