"""转外部热线: handing a matter to an outside hotline (12345, 12315, 110) that is not on this platform.

The hand-over ends our clock (no warning, overdue or escalation here: the matter is the hotline's to answer) and
waits for the hotline's ticket number (工单号) and outcome, which our unit records; the outcome completes the
matter, its recorder becoming the handler of record. ``do_transfer`` to a unit of kind 外部热线 comes here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fawang.lib import codes
from fawang.orgs.models import Unit

from .. import deadlines, notices
from ..models import Matter, MatterEvent, OutsideHandover
from .base import _event, _lock, _now, _require, _required_text, _staff, check_transition, complete_locked

if TYPE_CHECKING:
    from fawang.accounts.models import User


def outside_hotlines(region_code: str) -> QuerySet[Unit]:
    """The active outside hotlines serving ``region_code`` (those of its own region and the regions above it):
    what an agent of any level may hand a matter of that region to."""
    ancestors = [region_code[:n] for n in codes.CODE_LENGTHS if n <= len(region_code)]
    return Unit.objects.active().filter(kind=Unit.Kind.HOTLINE, region_id__in=ancestors)


def open_handover(matter: Matter) -> OutsideHandover | None:
    return matter.handovers.filter(outcome_at__isnull=True).select_related("hotline").first()


def _awaited_handover(matter: Matter) -> OutsideHandover:
    """The hand-over whose ticket or outcome is being recorded; refused when none is open."""
    handover = open_handover(matter)
    if handover is None:
        raise ValidationError(_("该事项没有待反馈的外部热线转交。"), code="no_handover")
    return handover


def _hotline_label(hotline: Unit) -> str:
    return hotline.name


@transaction.atomic
def do_hand_over(
    matter_id: int, *, actor: User | None, hotline: Unit, reason: str, now: dt.datetime | None = None
) -> Matter:
    now = _now(now)
    reason = _required_text(reason, _("转办须说明理由。"), "no_reason")
    matter = _lock(matter_id)
    _require(actor, "matters.transfer", matter)
    check_transition(matter, None, _("转外部热线"), action="hand_over")
    if hotline.kind != Unit.Kind.HOTLINE:
        raise ValidationError(_("只能转交外部热线。"), code="not_hotline")
    if not outside_hotlines(matter.region_id).filter(pk=hotline.pk).exists():
        raise ValidationError(_("该外部热线不服务本事项所在地区。"), code="hotline_elsewhere")
    if open_handover(matter) is not None:
        raise ValidationError(_("该事项已转交外部热线，正在等待其办理结果。"), code="handover_open")
    OutsideHandover.objects.create(
        matter=matter, hotline=hotline, reason=reason, handed_by=_staff(actor), handed_at=now
    )
    deadlines.stop_clock(matter)
    matter.save()
    event = _event(
        matter,
        MatterEvent.Action.HAND_OVER,
        actor=actor,
        now=now,
        note=reason,
        visible=True,
        payload={
            "hotline": hotline.pk,
            "hotline_name": _hotline_label(hotline),
            "number": hotline.hotline_number,
        },
    )
    notices.to_person(matter, "matter.transferred", event)
    return matter


@transaction.atomic
def do_record_outside_ticket(
    matter_id: int, *, actor: User | None, ticket_no: str, now: dt.datetime | None = None
) -> OutsideHandover:
    """The hotline's ticket number (工单号), as they gave it."""
    now = _now(now)
    ticket_no = _required_text(ticket_no, _("请填写外部热线的工单号。"), "no_ticket")[:40]
    matter = _lock(matter_id)
    _require(actor, "matters.transfer", matter)
    handover = _awaited_handover(matter)
    handover.ticket_no = ticket_no
    handover.ticket_at = now
    handover.save(update_fields=["ticket_no", "ticket_at"])
    _event(
        matter,
        MatterEvent.Action.OUTSIDE_REPLY,
        actor=actor,
        now=now,
        note=_("%(hotline)s工单号：%(no)s") % {"hotline": handover.hotline.name, "no": ticket_no},
        visible=True,
        payload={"hotline": handover.hotline_id, "ticket_no": ticket_no},
    )
    return handover


@transaction.atomic
def do_record_outside_outcome(
    matter_id: int, *, actor: User | None, outcome: str, now: dt.datetime | None = None
) -> Matter:
    """The hotline's outcome: it completes the matter (its result names the hotline and the ticket)."""
    now = _now(now)
    outcome = _required_text(outcome, _("请填写外部热线的办理结果。"), "no_outcome")
    matter = _lock(matter_id)
    _require(actor, "matters.transfer", matter)
    handover = _awaited_handover(matter)
    old = check_transition(matter, Matter.Status.COMPLETED, _("办结"), action="outside_outcome")
    handover.outcome = outcome
    handover.outcome_at = now
    handover.save(update_fields=["outcome", "outcome_at"])
    ticket = _("（工单号 %(no)s）") % {"no": handover.ticket_no} if handover.ticket_no else ""
    result = _("已由%(hotline)s办理%(ticket)s：%(outcome)s") % {
        "hotline": handover.hotline.name,
        "ticket": ticket,
        "outcome": outcome,
    }
    complete_locked(
        matter,
        actor=actor,
        now=now,
        result=result,
        old_status=old,
        handler=_staff(actor),
        handler_in_payload=False,
        payload={"outside": handover.pk},
    )
    return matter
