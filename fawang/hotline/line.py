"""The hotline on the shared matter (the business-line seam): on the staff page of a matter taken in by telephone,
the calls it came from (number masked, agent, times, the recording link) and, for a ticket 12345 dispatched to us,
its ticket number."""

from __future__ import annotations

from typing import Any

from fawang.catalog.models import Channel
from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter

from .models import Call, DispatchTicket


def is_hotline(matter: Matter) -> bool:
    return matter.channel == Channel.HOTLINE


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    """Two queries whatever the matter's history: its calls the user may see (at most 10), its dispatch ticket."""
    calls = list(
        Call.objects.visible_to(user)
        .filter(matters=matter)
        .select_related("agent")
        .order_by("-rang_at", "-pk")[:10]
    )
    ticket = DispatchTicket.objects.filter(matter=matter).select_related("hotline").first()
    if not calls and ticket is None:
        return {}
    return {"hotline_calls": calls, "hotline_ticket": ticket}


LINE = Line("hotline", is_hotline, panel=Panel("hotline/_matter_panel.html", panel_context))
