"""回访 from the desk: the matters' callback tasks (``matters.Callback``: after a bad rating, or sampled) dialled from
the agent's desk through the same click-to-dial path and CTI reporting as the callbacks of missed calls (dialer.py),
their outcome recorded on the matter.

The writers here are the only ones of ``FollowUpDial``. A reached person's 回访 result and satisfaction go where the
matter's 回访 lives, through ``matters.do_complete_callback`` (its CALLBACK event, and the matter closes when its
last 回访 is done); an unanswered try or a wrong number is an internal note on the matter's timeline. Who may do a
回访 is the matters' rule (``matters.callback`` over the task's unit, the supervising 司法局); dialling also needs a
seat (the agent's extension) at a hotline centre with an active telephone system.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.matters import actions as matter_actions
from fawang.matters.models import Callback
from fawang.orgs.roles import has_capability

from .models import (
    FOLLOW_UP_PREFIX,
    Call,
    CallbackAttempt,
    CtiSystem,
    FollowUpDial,
    Seat,
    mask_number,
    number_hash,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

CAPABILITY = "matters.callback"


def may_follow_up(user: User, task: Callback) -> bool:
    return has_capability(user, CAPABILITY, task.unit)


def desk_tasks(user: User, limit: int = 20) -> list[Callback]:
    """The open 回访 tasks the agent may do, soonest due first, each with its tries (``dials``): two queries plus
    the capability check in memory."""
    rows = [
        task
        for task in Callback.objects.visible_to(user)
        .open()
        .select_related("matter__person", "matter__service_item", "unit")
        .order_by("due_at", "pk")[: limit * 3]
        if may_follow_up(user, task)
    ][:limit]
    dials: dict[int, list[FollowUpDial]] = {}
    for dial in FollowUpDial.objects.filter(followup__in=rows).order_by("seq"):
        dials.setdefault(dial.followup_id, []).append(dial)
    for task in rows:
        task.dials = dials.get(task.pk, [])
        task.phone_masked = mask_number(task.matter.person.phone)
    return rows


def _lock(task_id: int, actor: User) -> Callback:
    task = (
        Callback.objects.select_for_update(of=("self",))
        .select_related("unit", "matter__person")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise ValidationError(_("回访任务不存在。"), code="no_callback")
    if not may_follow_up(actor, task):
        raise PermissionDenied(_("您的岗位无权办理该回访任务。"))
    if task.done_at is not None:
        raise ValidationError(_("该回访任务已经完成。"), code="callback_done")
    return task


def _pending(task: Callback) -> FollowUpDial | None:
    return (
        FollowUpDial.objects.filter(followup=task, outcome="")
        .exclude(dial=CallbackAttempt.Dial.FAILED)
        .order_by("-seq")
        .first()
    )


def _new_dial(task: Callback, actor: User, seat: Seat | None, now: dt.datetime) -> FollowUpDial:
    seq = FollowUpDial.objects.filter(followup=task).count() + 1
    return FollowUpDial(
        followup=task,
        matter_id=task.matter_id,
        seq=seq,
        dial_id=f"{FOLLOW_UP_PREFIX}{task.pk}-{seq}-{uuid.uuid4().hex[:8]}",
        agent=actor,
        extension=seat.extension if seat else "",
        requested_at=now,
    )


@transaction.atomic
def do_dial_followup(task_id: int, *, actor: User, now: dt.datetime | None = None) -> FollowUpDial:
    """回访外呼: a click-to-dial order for the agent's extension to the person's phone on the matter, sent to the
    telephone system of the agent's hotline centre (the PBX then reports the outbound call under the order's
    callId). The task stays locked while the order is sent, so two agents never ring the same person at once."""
    from . import dialer

    now = now or timezone.now()
    task = _lock(task_id, actor)
    seat = Seat.objects.filter(agent=actor).select_related("unit").first()
    if seat is None:
        raise ValidationError(_("请先签入坐席：外呼需要您的分机号。"), code="no_seat")
    system = (
        CtiSystem.objects.filter(unit=seat.unit, purpose=CtiSystem.Purpose.CTI, is_active=True)
        .order_by("pk")
        .first()
    )
    if system is None:
        raise ValidationError(
            _("本热线中心没有启用的电话系统，无法外呼；请用话机拨打后登记结果。"), code="no_system"
        )
    number = task.matter.person.phone
    if not number:
        raise ValidationError(_("该事项的服务对象没有联系电话，无法回访外呼。"), code="no_phone")
    pending = _pending(task)
    if pending is not None:
        raise ValidationError(
            _("第 %(n)s 次回访外呼尚未登记结果，请先登记。") % {"n": pending.seq}, code="pending"
        )
    dial = _new_dial(task, actor, seat, now)
    dial.system = system
    result = dialer.for_system(system).dial(
        system, dialer.DialOrder(call_id=dial.dial_id, extension=seat.extension, number=number)
    )
    dial.dial, dial.dial_detail = result.state, result.detail[:200]
    dial.save()
    audit.record(
        "hotline.followup_dial",
        actor=actor,
        target=task,
        unit=task.unit,
        note=_("第 %(n)s 次回访外呼，分机 %(ext)s：%(detail)s")
        % {"n": dial.seq, "ext": seat.extension, "detail": result.detail},
    )
    return dial


@transaction.atomic
def do_record_followup(
    task_id: int,
    *,
    actor: User,
    outcome: str,
    text: str = "",
    satisfied: bool | None = None,
    now: dt.datetime | None = None,
) -> FollowUpDial:
    """回访结果 of the pending dialled try, or of a call made by hand on the desk phone (a try of its own). Reached:
    the 回访 is done on the matter (``matters.do_complete_callback`` with what the person said and whether they
    are satisfied). No answer or a wrong number: a note on the matter's timeline; the task stays open."""
    now = now or timezone.now()
    task = _lock(task_id, actor)
    if outcome not in FollowUpDial.Outcome.values:
        raise ValidationError({"outcome": _("请选择回访结果。")}, code="bad_outcome")
    text = (text or "").strip()[:5000]
    if outcome == FollowUpDial.Outcome.REACHED and not text:
        raise ValidationError({"text": _("请填写回访情况。")}, code="no_outcome")
    dial = _pending(task)
    if dial is None:
        dial = _new_dial(task, actor, Seat.objects.filter(agent=actor).first(), now)
        dial.dial = CallbackAttempt.Dial.MANUAL
    dial.outcome = outcome
    dial.recorded_at = now
    dial.save()
    _apply(task, dial, actor=actor, text=text, satisfied=satisfied, now=now)
    return dial


def _apply(
    task: Callback,
    dial: FollowUpDial,
    *,
    actor: User | None,
    text: str,
    satisfied: bool | None,
    now: dt.datetime,
) -> None:
    if dial.outcome == FollowUpDial.Outcome.REACHED:
        matter_actions.do_complete_callback(task.pk, actor=actor, outcome=text, satisfied=satisfied, now=now)
        return
    note = _("回访电话第 %(n)s 次：%(outcome)s。") % {
        "n": dial.seq,
        "outcome": FollowUpDial.Outcome(dial.outcome).label,
    }
    if text:
        note = f"{note}{text}"
    matter_actions.do_comment(task.matter_id, actor=actor, text=note, now=now)


def outbound_reported(call: Call) -> None:
    """The PBX reported an outbound 回访 call (its callId names our try): link the call to the try and to the
    matter; if it ended unanswered and the agent has recorded nothing yet, record 无人接听 on the matter."""
    dial = (
        FollowUpDial.objects.select_related("matter__person")
        .filter(dial_id=call.call_id, system__unit_id=call.unit_id)
        .first()
    )
    if dial is None:
        return
    if not call.caller_hash and dial.matter.person.phone:
        phone = dial.matter.person.phone
        Call.objects.filter(pk=call.pk).update(caller=phone, caller_hash=number_hash(phone))
        call.caller, call.caller_hash = phone, number_hash(phone)
    if dial.call_id is None:
        dial.call = call
        dial.save(update_fields=["call"])
        call.matters.add(dial.matter_id)
    if call.ended_at is not None and call.answered_at is None and not dial.outcome:
        task = Callback.objects.select_for_update(of=("self",)).filter(pk=dial.followup_id).first()
        if task is not None and task.done_at is None:
            dial.outcome = FollowUpDial.Outcome.NO_ANSWER
            dial.recorded_at = call.ended_at
            dial.save(update_fields=["outcome", "recorded_at"])
            _apply(
                task,
                dial,
                actor=None,
                text=_("电话系统报告：外呼未接通（%(cause)s）。") % {"cause": call.cause or "—"},
                satisfied=None,
                now=call.ended_at,
            )
