"""The front desk on the matter page: the window and the clerk that took the matter in (岗位责任制), and the
queue ticket it came with (number, waiting and service time)."""

from __future__ import annotations

from typing import Any

from fawang.matters import lines
from fawang.matters.models import Matter

from .models import MatterDesk
from .models.queue import seconds_label


def _taken_at_window(matter: Matter) -> bool:
    return matter.channel == "window"


def _panel(user: Any, matter: Matter) -> dict[str, Any]:
    record = MatterDesk.objects.filter(matter=matter).select_related("window", "clerk", "ticket").first()
    if record is None:
        return {}
    ticket = record.ticket
    return {
        "desk": record,
        "ticket": ticket,
        "wait": seconds_label(ticket.wait_seconds) if ticket else "",
    }


DESK_LINE = lines.Line(
    code="frontdesk.desk",
    applies=_taken_at_window,
    panel=lines.Panel("frontdesk/_matter_desk.html", _panel),
)
