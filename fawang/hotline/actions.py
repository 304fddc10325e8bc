"""The only writers of the hotline's rows. CTI events are kept as ``CallEvent`` rows (their own record); every
write by staff leaves an audit row (fawang.audit) or, through the matters actions, a MatterEvent, in the same
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar import workdays
from fawang.catalog.models import Channel
from fawang.matters import actions as matter_actions
from fawang.orgs.models import Speciality, Unit
from fawang.orgs.roles import has_capability, require_capability

from . import conf, cti
from .models import (
    Call,
    CallbackTask,
    CallEvent,
    CtiSystem,
    Dialect,
    DutyReferral,
    DutyShift,
    DutySlot,
    Seat,
    normalize_number,
    number_hash,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

S = Call.Status
K = CallEvent.Kind


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --------------------------------------------------------------------------------------------- systems


@transaction.atomic
def do_create_system(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    signed: bool = True,
    token: str | None = None,
    purpose: str = CtiSystem.Purpose.CTI,
) -> tuple[CtiSystem, str, str]:
    """A telephone system of a hotline centre, or (``purpose`` link) the ticket system of an outside hotline:
    (system, its push token, its signing secret or "")."""
    if actor is not None:
        require_capability(actor, "hotline.manage", unit)
    if purpose == CtiSystem.Purpose.LINK and unit.kind != Unit.Kind.HOTLINE:
        raise ValidationError(
            _("联动工单系统只能登记在外部热线（12345、12315、110）下。"), code="not_hotline"
        )
    token = token or cti.new_token()
    secret = cti.new_token() if signed else ""
    system = CtiSystem.objects.create(
        unit=unit, name=name[:60], token_hash=cti.token_hash(token), secret=secret, purpose=purpose
    )
    audit.record(
        "hotline.create_system",
        actor=actor,
        target=system,
        unit=unit,
        diff=audit.created({"name": system.name, "unit": unit.name}),
    )
    return system, token, secret


# --------------------------------------------------------------------------------------------- CTI events


def _remote_number(event: cti.Event, direction: str) -> str:
    """The other party: who called us, or whom we called."""
    return event.number_to if direction == Call.Direction.OUT else event.number_from


@transaction.atomic
def ingest(system: CtiSystem, event: cti.Event) -> tuple[Call, bool]:
    """Store one event and bring its call up to date. Returns (call, False) for a resent event: the first copy
    stands and nothing changes."""
    call, _made = Call.objects.get_or_create(
        system=system,
        call_id=event.call_id,
        defaults={"unit_id": system.unit_id, "rang_at": event.occurred_at},
    )
    # Events of one call are applied one at a time (a PBX may post answer and hangup at the same instant).
    call = Call.objects.select_for_update().get(pk=call.pk)
    try:
        with transaction.atomic():
            CallEvent.objects.create(
                call=call, kind=event.kind, occurred_at=event.occurred_at, payload=event.payload()
            )
    except IntegrityError:
        return call, False
    direction = event.direction or call.direction
    if event.direction and event.kind == K.NEW_CALL:
        call.direction = event.direction
    number = normalize_number(_remote_number(event, direction))
    if number and not call.caller:
        call.caller = number
        call.caller_hash = number_hash(number)
    ours = event.number_from if direction == Call.Direction.OUT else event.number_to
    if ours and not call.callee:
        call.callee = normalize_number(ours)
    if event.queue and (event.kind == K.NEW_CALL or not call.queue):
        call.queue = event.queue
    reconcile(call)
    return call, True


def _agent_for(call: Call, payload: dict[str, object]) -> tuple[str, User | None]:
    from fawang.accounts.models import User

    extension = str(payload.get("answeringNumber", "") or "")
    if extension:
        seat = Seat.objects.filter(unit_id=call.unit_id, extension=extension).select_related("agent").first()
        if seat is not None and seat.agent is not None:
            return extension, seat.agent
    users = payload.get("user") or []
    if isinstance(users, list) and users:
        return extension, User.objects.filter(username=str(users[0])).first()
    return extension, None


def reconcile(call: Call) -> None:
    """Recompute the call from all its events, whatever order they came in (each kind at most once)."""
    events = {e.kind: e for e in call.events.all()}
    ring, answer, hangup, rating = (events.get(k) for k in (K.NEW_CALL, K.ANSWER, K.HANGUP, K.RATING))
    times = [e.occurred_at for e in events.values() if e.kind != K.RATING]
    call.rang_at = ring.occurred_at if ring else (min(times) if times else call.rang_at)
    call.answered_at = answer.occurred_at if answer else None
    call.ended_at = hangup.occurred_at if hangup else None
    if answer is not None:
        extension, agent = _agent_for(call, answer.payload)
        call.extension = extension or call.extension
        call.agent = agent or call.agent
    if hangup is not None:
        call.cause = str(hangup.payload.get("cause", ""))[:20]
        if answer is None and hangup.payload.get("answeringNumber"):
            # Some PBXs post the answering extension only on hang-up.
            extension, agent = _agent_for(call, hangup.payload)
            call.extension, call.agent = extension, agent
    urls = [str(e.payload.get("recordingUrl")) for e in events.values() if e.payload.get("recordingUrl")]
    call.recording_url = urls[0] if urls else ""
    call.satisfaction = int(rating.payload["digit"]) if rating and rating.payload.get("digit") else None
    start = call.rang_at
    if call.answered_at and start:
        call.wait_seconds = max(0, int((call.answered_at - start).total_seconds()))
    elif call.ended_at and start:
        call.wait_seconds = max(0, int((call.ended_at - start).total_seconds()))
    else:
        call.wait_seconds = None
    if call.answered_at and call.ended_at:
        call.talk_seconds = max(0, int((call.ended_at - call.answered_at).total_seconds()))
    else:
        call.talk_seconds = None
    if call.answered_at and call.ended_at:
        call.status = S.ENDED
    elif call.answered_at:
        call.status = S.ANSWERED
    elif call.ended_at:
        call.status = S.ABANDONED if call.cause in cti.ABANDON_CAUSES else S.MISSED
    else:
        call.status = S.RINGING
    call.save()
    _sync_callback(call)


def _queue_agents(call: Call) -> list[int]:
    seats = Seat.objects.filter(unit_id=call.unit_id, agent__isnull=False)
    if call.queue:
        seats = seats.filter(Q(queue="") | Q(queue=call.queue))
    return list(seats.values_list("agent_id", flat=True))


def _sync_callback(call: Call) -> None:
    """A missed or abandoned call with a known number gets one callback task (not one the PBX forwarded to
    another line, which answered it there); a call that turns out answered
    (its answer event came late) has its open task withdrawn."""
    task = CallbackTask.objects.filter(call=call).first()
    missed = (
        call.direction == Call.Direction.IN
        and call.status in (S.MISSED, S.ABANDONED)
        and bool(call.caller)
        and call.ended_at is not None
        and call.cause not in cti.NO_CALLBACK_CAUSES
    )
    if missed and task is None:
        agents = _queue_agents(call)
        assigned = None
        if agents:
            load = dict(
                CallbackTask.objects.filter(status=CallbackTask.Status.OPEN, assigned_to__in=agents)
                .values_list("assigned_to")
                .annotate(n=Count("pk"))
            )
            assigned = min(agents, key=lambda pk: (load.get(pk, 0), pk))
        assert call.ended_at is not None
        CallbackTask.objects.create(
            call=call,
            unit_id=call.unit_id,
            queue=call.queue,
            assigned_to_id=assigned,
            due_at=workdays.add_workhours(call.ended_at, conf.CALLBACK_WORK_HOURS),
        )
    elif not missed and task is not None and task.status == CallbackTask.Status.OPEN:
        task.status = CallbackTask.Status.CANCELLED
        task.note = _("来电已接通（接听事件晚到），无需回拨。")
        task.save(update_fields=["status", "note"])


# --------------------------------------------------------------------------------------------- the desk


def _require_desk(actor: User, unit: Unit) -> None:
    require_capability(actor, "hotline.desk", unit)


@transaction.atomic
def do_sign_in(*, actor: User, unit: Unit, extension: str, queue: str = "") -> Seat:
    """签入坐席: the agent takes the extension (leaving any other seat); someone else signed in there is
    signed out of it."""
    _require_desk(actor, unit)
    extension = "".join(ch for ch in (extension or "") if ch.isdigit())
    if not 2 <= len(extension) <= 10:
        raise ValidationError({"extension": _("分机号应为 2 至 10 位数字。")}, code="bad_extension")
    Seat.objects.filter(agent=actor).exclude(unit=unit, extension=extension).update(
        agent=None, signed_in_at=None
    )
    seat, _made = Seat.objects.select_for_update().get_or_create(unit=unit, extension=extension)
    before = audit.snapshot(seat, ["agent", "queue"])
    seat.agent = actor
    seat.queue = (queue or "").strip()[:40]
    seat.signed_in_at = timezone.now()
    seat.save()
    audit.record(
        "hotline.sign_in",
        actor=actor,
        target=seat,
        unit=unit,
        diff=audit.changes(before, audit.snapshot(seat, ["agent", "queue"])),
    )
    return seat


@transaction.atomic
def do_sign_out(*, actor: User) -> None:
    seat = Seat.objects.select_for_update().filter(agent=actor).first()
    if seat is None:
        return
    seat.agent = None
    seat.signed_in_at = None
    seat.save(update_fields=["agent", "signed_in_at"])
    audit.record("hotline.sign_out", actor=actor, target=seat, unit=seat.unit_id)


def _lock_call(call_id: int) -> Call:
    return Call.objects.select_for_update().select_related("unit").get(pk=call_id)


@transaction.atomic
def do_wrap_up(
    call_id: int, *, actor: User, code: str, notes: str = "", now: dt.datetime | None = None
) -> Call:
    """小结: the wrap-up code and notes of a call, by the agent at hang-up (or a colleague after)."""
    call = _lock_call(call_id)
    _require_desk(actor, call.unit)
    if code not in Call.Wrap.values:
        raise ValidationError({"code": _("请选择小结类型。")}, code="bad_wrap")
    if call.direction == Call.Direction.IN and call.answered_at is None:
        raise ValidationError(_("该来电未接通，无需小结；请处理其回拨任务。"), code="not_answered")
    before = audit.snapshot(call, ["wrap_code", "wrap_notes"])
    call.wrap_code = code
    call.wrap_notes = (notes or "").strip()[:2000]
    call.wrapped_at = _now(now)
    call.save(update_fields=["wrap_code", "wrap_notes", "wrapped_at"])
    audit.record(
        "hotline.wrap_up",
        actor=actor,
        target=call,
        unit=call.unit,
        diff=audit.changes(before, audit.snapshot(call, ["wrap_code", "wrap_notes"])),
    )
    return call


@transaction.atomic
def do_show_number(call_id: int, *, actor: User) -> str:
    """The caller's full number, for the intake form (the person's phone): every showing leaves an audit row."""
    call = Call.objects.select_related("unit").get(pk=call_id)
    _require_desk(actor, call.unit)
    audit.record(
        "hotline.show_number", actor=actor, target=call, unit=call.unit, note=_("受理登记预填来电号码")
    )
    return call.caller


@transaction.atomic
def do_take_in(
    call_id: int,
    *,
    actor: User,
    person: matter_actions.PersonData,
    requests: Sequence[matter_actions.MatterRequest],
    intake_unit: Unit,
    idempotency_key: str | None = None,
) -> matter_actions.SubmitResult:
    """受理 from a call: the matters' own intake (channel 热线), linked to the call in the same transaction."""
    call = _lock_call(call_id)
    _require_desk(actor, call.unit)
    result = matter_actions.do_submit(
        actor=actor,
        person=person,
        requests=requests,
        channel=Channel.HOTLINE,
        intake_unit=intake_unit,
        idempotency_key=idempotency_key,
    )
    if result.created:
        call.matters.add(*result.matters)
        audit.record(
            "hotline.take_in",
            actor=actor,
            target=call,
            unit=call.unit,
            note=", ".join(m.tracking_no for m in result.matters),
        )
    return result


# --------------------------------------------------------------------------------------------- callbacks


def may_complete_callback(actor: User, task: CallbackTask) -> bool:
    return has_capability(actor, "hotline.desk", task.unit) or has_capability(
        actor, "hotline.supervise", task.unit
    )


@transaction.atomic
def do_complete_callback(
    task_id: int, *, actor: User, outcome: str, note: str = "", now: dt.datetime | None = None
) -> CallbackTask:
    """回拨: the agent rang the caller back; the outcome and a note close the task."""
    task = CallbackTask.objects.select_for_update().select_related("unit").get(pk=task_id)
    if not has_capability(actor, "hotline.desk", task.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    if task.status != CallbackTask.Status.OPEN:
        raise ValidationError(_("该回拨任务已处理。"), code="not_open")
    if outcome not in CallbackTask.Outcome.values:
        raise ValidationError({"outcome": _("请选择回拨结果。")}, code="bad_outcome")
    task.status = CallbackTask.Status.DONE
    task.outcome = outcome
    task.note = (note or "").strip()[:2000]
    task.done_at = _now(now)
    task.done_by = actor
    task.save()
    audit.record(
        "hotline.callback_done",
        actor=actor,
        target=task,
        unit=task.unit,
        diff=({"status": "open"}, {"status": "done", "outcome": outcome}),
    )
    return task


# --------------------------------------------------------------------------------------------- duty (值班)


@transaction.atomic
def do_add_shift(
    *,
    actor: User,
    unit: Unit,
    person: User,
    day: dt.date,
    slot: str,
    topics: Sequence[Speciality] = (),
    dialects: Sequence[str] = (),
) -> DutyShift:
    """排班: the centre's admin puts a lawyer or legal-service worker of the centre on duty."""
    require_capability(actor, "hotline.manage", unit)
    if slot not in DutySlot.values:
        raise ValidationError({"slot": _("请选择值班时段。")}, code="bad_slot")
    if not person.memberships.active().filter(unit=unit).exists():
        raise ValidationError({"person": _("值班人员须为本中心的工作人员。")}, code="not_staff")
    unknown = set(dialects) - set(Dialect.values)
    if unknown:
        raise ValidationError({"dialects": _("未知的方言。")}, code="bad_dialect")
    if DutyShift.objects.filter(unit=unit, person=person, day=day, slot=slot).exists():
        raise ValidationError(_("该人员在这一时段已有值班。"), code="duplicate")
    shift = DutyShift.objects.create(
        unit=unit, person=person, day=day, slot=slot, dialects=sorted(set(dialects))
    )
    shift.topics.set(topics)
    audit.record(
        "hotline.add_shift",
        actor=actor,
        target=shift,
        unit=unit,
        diff=audit.created(
            {
                "person": person.display_name or person.username,
                "day": day,
                "slot": slot,
                "topics": [t.name for t in topics],
                "dialects": sorted(set(dialects)),
            }
        ),
    )
    return shift


@transaction.atomic
def do_remove_shift(shift_id: int, *, actor: User) -> None:
    shift = DutyShift.objects.select_for_update().select_related("unit").get(pk=shift_id)
    require_capability(actor, "hotline.manage", shift.unit)
    if shift.referrals.exists():
        raise ValidationError(_("该值班已有转接记录，不能删除。"), code="has_referrals")
    audit.record(
        "hotline.remove_shift",
        actor=actor,
        target=shift,
        unit=shift.unit,
        diff=({"day": shift.day, "slot": shift.slot, "person": str(shift.person)}, {}),
    )
    shift.delete()


@transaction.atomic
def do_refer_to_duty(
    call_id: int,
    *,
    actor: User,
    topic: Speciality | None,
    dialect: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> DutyReferral:
    """转值班律师: hand the call to the person on duty for its topic (duty.pick: topic and dialect, else topic,
    else anyone on duty)."""
    from . import duty

    now = _now(now)
    call = _lock_call(call_id)
    _require_desk(actor, call.unit)
    if dialect and dialect not in Dialect.values:
        raise ValidationError({"dialect": _("未知的方言。")}, code="bad_dialect")
    shift, rule = duty.pick(call.unit, now, topic, dialect)
    if shift is None:
        raise ValidationError(_("当前时段没有值班人员，请登记事项或转入回拨。"), code="nobody_on_duty")
    referral = DutyReferral.objects.create(
        call=call,
        shift=shift,
        topic=topic,
        dialect=dialect,
        rule=rule[:60],
        note=(note or "").strip()[:2000],
        referred_by=actor,
        referred_at=now,
    )
    if not call.wrap_code:
        call.wrap_code = Call.Wrap.REFERRED
        call.wrapped_at = now
        call.save(update_fields=["wrap_code", "wrapped_at"])
    audit.record(
        "hotline.refer",
        actor=actor,
        target=call,
        unit=call.unit,
        note=_("转值班：%(who)s（%(rule)s）")
        % {"who": shift.person.display_name or shift.person.username, "rule": rule},
    )
    return referral
