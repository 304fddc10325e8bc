"""联动: hand-overs to 12345, 12315 and 110 and what their systems post back.

A hand-over is the matters app's own record (``matters.OutsideHandover``, made by ``do_hand_over`` when a matter is
sent to a unit of kind 外部热线): which hotline, why, when, their ticket number and outcome; our clock stops at
the hand-over. What this module adds: the outside hotline's ticket system posting its ticket number and outcome
through the same signed API as the PBX (``/api/v1/hotline/link/<token>/``), and the follow-up clock that watches
for their reply (``REPLY_WORKDAYS``; the hand-overs past it are listed for the hotline's supervisors).

    {"event": "ticket",  "trackingNo": "FW…", "ticketNo": "12345-2025-000123"}
    {"event": "outcome", "trackingNo": "FW…", "ticketNo": "12345-2025-000123", "outcome": "已协调退还押金。"}

A resent ticket or outcome that is already recorded answers 200 with ``duplicate`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fawang.calendar import workdays
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, OutsideHandover

from .models import CtiSystem

# Their reply is expected within 5 working days of the hand-over (12345 平台 办理时限 常见为 5 个工作日).
REPLY_WORKDAYS = 5


@dataclass(frozen=True)
class LinkEvent:
    kind: str
    tracking_no: str
    ticket_no: str
    outcome: str


def parse(data: Mapping[str, Any]) -> LinkEvent:
    def text(key: str, limit: int) -> str:
        return str(data.get(key, "") or "").strip()[:limit]

    kind = text("event", 10)
    if kind not in ("ticket", "outcome"):
        raise ValidationError(_("未知的事件类型（应为 ticket 或 outcome）。"), code="bad_event")
    event = LinkEvent(kind, text("trackingNo", 16).upper(), text("ticketNo", 40), text("outcome", 4000))
    if not event.tracking_no:
        raise ValidationError(_("缺少 trackingNo（本平台的受理编号）。"), code="no_tracking_no")
    if kind == "ticket" and not event.ticket_no:
        raise ValidationError(_("缺少 ticketNo（外部工单号）。"), code="no_ticket")
    if kind == "outcome" and not event.outcome:
        raise ValidationError(_("缺少 outcome（办理结果）。"), code="no_outcome")
    return event


def reply_due(handover: OutsideHandover) -> dt.datetime:
    return workdays.add_workdays(handover.handed_at, REPLY_WORKDAYS)


@transaction.atomic
def apply(system: CtiSystem, event: LinkEvent) -> tuple[OutsideHandover, bool]:
    """Record the hotline's ticket number or outcome on the hand-over of ``trackingNo`` to this system's hotline.
    Returns (hand-over, False) for a resend of what is recorded already. A matter not handed over to this hotline
    is the same "not found" whether it exists or not."""
    handovers = OutsideHandover.objects.filter(
        matter__tracking_no=event.tracking_no, hotline_id=system.unit_id
    )
    handover = handovers.order_by("-handed_at", "-pk").select_related("matter").first()
    if handover is None:
        raise LookupError(_("没有转交本热线的该受理编号。"))
    if not handover.is_open:
        same = event.kind == "outcome" and handover.outcome == event.outcome
        same = same or (event.kind == "ticket" and handover.ticket_no == event.ticket_no)
        if same:
            return handover, False
        raise ValidationError(_("该转交已有办理结果，不能再次登记。"), code="closed")
    matter_id = handover.matter_id
    if event.ticket_no and handover.ticket_no != event.ticket_no:
        matter_actions.do_record_outside_ticket(matter_id, actor=None, ticket_no=event.ticket_no)
    elif event.kind == "ticket":
        return handover, False
    if event.kind == "outcome":
        matter_actions.do_record_outside_outcome(matter_id, actor=None, outcome=event.outcome)
    handover.refresh_from_db()
    return handover, True


def waiting(matters: QuerySet[Matter]) -> list[tuple[OutsideHandover, dt.datetime]]:
    """Open hand-overs of the given matters with the time their reply is due, the most overdue first."""
    rows = OutsideHandover.objects.filter(outcome_at__isnull=True, matter__in=matters).select_related(
        "matter", "hotline", "handed_by"
    )
    return sorted(((h, reply_due(h)) for h in rows[:500]), key=lambda pair: pair[1])
