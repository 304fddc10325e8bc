"""What the queue looks like from outside a window: the hall display's board (current number per window, the
next ones, the latest calls to announce) and a ticket's place in its queue. Read-only; no personal data."""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import qrcode
from django.db.models import Q
from django.utils import timezone

from fawang.orgs.models import Unit

from .actions.queue import calls_today, eligible, queue_order
from .models import Posting, Service, Ticket, TicketEvent

NEXT_SHOWN = 6
ANNOUNCED = 5


@dataclass(frozen=True)
class WindowRow:
    number: int
    label: str
    staffed: bool
    current: str


def board(unit: Unit, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    staffed = set(Posting.objects.open().filter(unit=unit).values_list("window_id", flat=True))
    current = {
        t.window_id: t.code
        for t in Ticket.objects.filter(unit=unit, date=day, status=Ticket.Status.CALLED).select_related(
            "window"
        )
    }
    windows = [
        WindowRow(w.number, str(w.get_kind_display()), w.pk in staffed, current.get(w.pk, ""))
        for w in unit.windows.filter(is_active=True).order_by("number")
    ]
    upcoming = []
    for service in Service.values:
        rows = Ticket.objects.filter(eligible(unit.pk, service, day)).order_by(*queue_order())
        upcoming.append((Service(service).label, [t.code for t in rows[:NEXT_SHOWN]], rows.count()))
    calls = list(
        TicketEvent.objects.filter(
            ticket__unit=unit,
            ticket__date=day,
            action__in=(TicketEvent.Action.CALL, TicketEvent.Action.RECALL),
        )
        .select_related("ticket", "window")
        .order_by("-created_at", "-pk")[:ANNOUNCED]
    )
    return {"unit": unit, "windows": windows, "upcoming": upcoming, "calls": calls, "now": now}


def people_ahead(ticket: Ticket, now: dt.datetime | None = None) -> int | None:
    """How many will be called before this ticket in its queue (None: it is not waiting)."""
    if ticket.status not in (Ticket.Status.WAITING, Ticket.Status.SKIPPED):
        return None
    day = ticket.date
    if ticket.status == Ticket.Status.SKIPPED and (ticket.returns_at or 0) > calls_today(
        ticket.unit_id, ticket.service, day
    ):
        return None
    rows = Ticket.objects.filter(eligible(ticket.unit_id, ticket.service, day)).exclude(pk=ticket.pk)
    earlier = Q(issued_at__lt=ticket.issued_at) | Q(issued_at=ticket.issued_at, pk__lt=ticket.pk)
    if ticket.priority:
        rows = rows.filter(~Q(priority="") & earlier)
    else:
        rows = rows.filter(~Q(priority="") | earlier)
    return rows.count()


def calls_until_back(ticket: Ticket) -> int:
    """A skipped ticket: how many more calls of its service before it is back in the queue."""
    if ticket.status != Ticket.Status.SKIPPED or ticket.returns_at is None:
        return 0
    return max(ticket.returns_at - calls_today(ticket.unit_id, ticket.service, ticket.date), 0)


def qr_data_uri(data: str) -> str:
    """A QR code as a PNG data URI: a thermal printer prints the bitmap as it is (CSP allows data: images)."""
    image = qrcode.make(data, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
