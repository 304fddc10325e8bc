"""联动: hand-overs to 12345, 12315 and 110 and what their systems post back.

A hand-over is the matters app's own record (``matters.OutsideHandover``, made by ``do_hand_over`` when a matter is
sent to a unit of kind 外部热线): which hotline, why, when, their ticket number and outcome; our clock stops at
the hand-over. What this module adds: the outside hotline's ticket system posting its ticket number and outcome
through the same signed API as the PBX (``/api/v1/hotline/link/<token>/``), and the follow-up clock that watches
for their reply (``REPLY_WORKDAYS``; the hand-overs past it are listed for the hotline's supervisors).

    {"event": "ticket",  "trackingNo": "FW…", "ticketNo": "12345-2025-000123"}
    {"event": "outcome", "trackingNo": "FW…", "ticketNo": "12345-2025-000123", "outcome": "已协调退还押金。"}

A resent ticket or outcome that is already recorded answers 200 with ``duplicate`` and changes nothing.

派单 the other way: 12345 dispatches a ticket to us, which becomes a matter routed like any other (channel 热线),
once per (hotline, ticket number); their system reads our reply (办结反馈) with a GET of the same URL:

    {"event": "dispatch", "ticketNo": "12345-2026-000200", "name": "…", "phone": "…", "description": "…",
     "region": "350203001", "item": "consultation"}
    GET /api/v1/hotline/link/<token>/?ticketNo=12345-2026-000200  ->  {"trackingNo", "status", "result", …}
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

from .models import CtiSystem, DispatchTicket

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
        raise ValidationError(_("未知的事件类型（应为 ticket、outcome 或 dispatch）。"), code="bad_event")
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


@dataclass(frozen=True)
class Dispatch:
    ticket_no: str
    name: str
    phone: str
    description: str
    region: str
    item: str


def parse_dispatch(data: Mapping[str, Any]) -> Dispatch:
    def text(key: str, limit: int) -> str:
        return str(data.get(key, "") or "").strip()[:limit]

    d = Dispatch(
        text("ticketNo", 40),
        text("name", 32),
        text("phone", 20),
        text("description", 4000),
        text("region", 12),
        text("item", 40) or "consultation",
    )
    missing = [
        k for k, v in (("ticketNo", d.ticket_no), ("name", d.name), ("description", d.description)) if not v
    ]
    if missing:
        raise ValidationError(_("派单缺少必填字段：%(f)s。") % {"f": "、".join(missing)}, code="missing")
    return d


@transaction.atomic
def dispatch(system: CtiSystem, d: Dispatch) -> tuple[DispatchTicket, bool]:
    """A ticket dispatched by the outside hotline becomes a matter (once per ticket number)."""
    from fawang.catalog.models import Channel, ServiceItem
    from fawang.regions.models import Region

    known = DispatchTicket.objects.filter(hotline_id=system.unit_id, ticket_no=d.ticket_no).first()
    if known is not None:
        return known, False
    item = ServiceItem.objects.active().filter(code=d.item).first()
    if item is None:
        raise ValidationError(_("未知的服务事项“%(item)s”。") % {"item": d.item}, code="bad_item")
    region = Region.objects.filter(code=d.region).first() if d.region else system.unit.region
    if region is None:
        raise ValidationError(_("未知的行政区划代码。"), code="bad_region")
    result = matter_actions.do_submit(
        actor=None,
        person=matter_actions.PersonData(name=d.name, phone=d.phone),
        requests=[
            matter_actions.MatterRequest(
                service_item=item,
                description=_("【%(hotline)s派单 %(no)s】%(text)s")
                % {"hotline": system.unit.name, "no": d.ticket_no, "text": d.description},
                region=region,
            )
        ],
        channel=Channel.HOTLINE,
        idempotency_key=f"link:{system.pk}:{d.ticket_no}",
    )
    ticket = DispatchTicket.objects.create(
        hotline_id=system.unit_id, ticket_no=d.ticket_no, matter=result.matters[0]
    )
    return ticket, True


def reply(system: CtiSystem, ticket_no: str) -> dict[str, Any] | None:
    """办结反馈: what we say back about a ticket they dispatched (None: not theirs or unknown)."""
    ticket = (
        DispatchTicket.objects.filter(hotline_id=system.unit_id, ticket_no=ticket_no)
        .select_related("matter")
        .first()
    )
    if ticket is None:
        return None
    m = ticket.matter
    return {
        "ticketNo": ticket.ticket_no,
        "trackingNo": m.tracking_no,
        "status": m.status,
        "statusLabel": str(m.get_status_display()),
        "result": m.result if m.status in Matter.DONE_STATUSES else "",
        "completedAt": m.completed_at.isoformat() if m.completed_at else None,
    }
