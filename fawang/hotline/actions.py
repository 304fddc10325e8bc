"""The only writers of the hotline's rows. CTI events are kept as ``CallEvent`` rows (their own record); every
write by staff leaves an audit row (fawang.audit) or, through the matters actions, a MatterEvent, in the same
transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.calendar import workdays
from fawang.catalog.models import Channel
from fawang.matters import actions as matter_actions
from fawang.matters.actions.base import lock as lock_matter
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Speciality, Unit
from fawang.orgs.roles import has_capability, require_capability

from . import cti, hotpath
from .models import (
    DIAL_PREFIX,
    FOLLOW_UP_PREFIX,
    Call,
    CallbackAttempt,
    CallbackTask,
    CallEvent,
    CentreSettings,
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


# The columns an event may change (the caller's number is written only when first learnt: re-encrypting it on every
# event would cost a Fernet token each time and change nothing).
RECONCILED = [
    "direction",
    "callee",
    "queue",
    "rang_at",
    "answered_at",
    "ended_at",
    "extension",
    "agent",
    "cause",
    "recording_url",
    "satisfaction",
    "wait_seconds",
    "talk_seconds",
    "status",
]
_RECONCILED_ATTS = [hotpath.attname(Call, name) for name in RECONCILED]
_STATUS = RECONCILED.index("status")


def _loaded(call: Call) -> list[object]:
    """The call's RECONCILED columns as they stand, to write only those an event changes."""
    return [getattr(call, att) for att in _RECONCILED_ATTS]


def _take_event(call: Call, event: cti.Event) -> bool:
    """What the event says about the call beyond its times: direction, numbers, queue. True when it gave the
    caller's number (first learnt)."""
    ours_dialled = event.call_id.startswith((DIAL_PREFIX, FOLLOW_UP_PREFIX))
    direction = Call.Direction.OUT if ours_dialled else (event.direction or call.direction)
    if ours_dialled:
        # A callback or 回访 we dialled: outbound whichever of its events comes first (a hang-up before its newCall
        # must not look like a missed inbound call).
        call.direction = Call.Direction.OUT
    elif event.direction and event.kind == CallEvent.Kind.NEW_CALL:
        call.direction = event.direction
    learnt = False
    number = normalize_number(_remote_number(event, direction))
    if number and not call.caller_hash:
        call.caller = number
        call.caller_hash = number_hash(number)
        learnt = True
    ours = event.number_from if direction == Call.Direction.OUT else event.number_to
    if ours and not call.callee:
        call.callee = normalize_number(ours)
    if event.queue and (event.kind == CallEvent.Kind.NEW_CALL or not call.queue):
        call.queue = event.queue
    return learnt


def _make_call(system: CtiSystem, event: cti.Event) -> Call | None:
    """The call's first event makes it, computed before the insert (one INSERT, no UPDATE after it). None when
    another event of the same call made it first (hotpath.insert_call: nothing written)."""
    call = Call(system=system, unit_id=system.unit_id, call_id=event.call_id, rang_at=event.occurred_at)
    first = CallEvent(kind=event.kind, occurred_at=event.occurred_at, payload=event.payload())
    _take_event(call, event)
    before = call.status
    _compute(call, {event.kind: first})
    if not hotpath.insert_call(call, first):
        return None
    if call.status in (Call.Status.MISSED, Call.Status.ABANDONED) and before != call.status:
        _sync_callback(call, fresh=True)
    return call


def _outbound(call: Call) -> None:
    if call.call_id.startswith(DIAL_PREFIX):
        _outbound_reported(call)
    elif call.call_id.startswith(FOLLOW_UP_PREFIX):
        from .followups import outbound_reported

        outbound_reported(call)


def ingest(system: CtiSystem, event: cti.Event) -> tuple[Call, bool]:
    """Store one event and bring its call up to date. Returns (call, False) for a resent event: the first copy
    stands and nothing changes.

    This is the CTI endpoint's hot path (bench/bench_hotline.py), in SQL written for it (hotpath.py): a fixed
    handful of statements per event, whatever the call. A call's first event: the call inserted already computed
    with its event (no savepoint: the insert does nothing if another event of the call made it first). A later
    one: the call locked and its events read, the event inserted and the call's changed columns updated (plus the
    seat of the answering extension, looked up once per call)."""
    if (
        event.kind == CallEvent.Kind.NEW_CALL
        and hotpath.single_statement_insert()
        and not event.call_id.startswith((DIAL_PREFIX, FOLLOW_UP_PREFIX))
    ):
        # An inbound call's newCall, nearly always its first event, makes a ringing call and nothing else (no
        # callback task, no dialled call to report): on PostgreSQL the call and its event are one statement,
        # atomic by itself, so no transaction is opened for it (two round trips fewer).
        made = _make_call(system, event)
        if made is not None:
            return made, True
        return _ingest(system, event, made_already=True)
    return _ingest(system, event)


@transaction.atomic
def _ingest(system: CtiSystem, event: cti.Event, *, made_already: bool = False) -> tuple[Call, bool]:
    """``made_already``: ingest tried the call's insert and found the call made."""
    # A newCall is nearly always its call's first event: try the insert at once (a late newCall pays one
    # statement more); any other event, or a newCall whose call is known to exist, locks the call first.
    first_try = event.kind == CallEvent.Kind.NEW_CALL and not made_already
    found = None if first_try else hotpath.lock_call(system.pk, event.call_id)
    if found is None:
        made = _make_call(system, event)
        if made is not None:
            _outbound(made)
            return made, True
        found = hotpath.lock_call(system.pk, event.call_id)
        assert found is not None
    # Under the call's lock no other event of this call is being written, so its events (read after the lock)
    # decide a resend (the unique constraint on (call, kind) stays as the last guard).
    call, events = found
    if event.kind in events:
        return call, False
    new = events[event.kind] = CallEvent(
        call=call, kind=event.kind, occurred_at=event.occurred_at, payload=event.payload()
    )
    loaded = _loaded(call)
    learnt = _take_event(call, event)
    changed = reconcile(call, events, loaded, caller_learnt=learnt)
    hotpath.insert_event_and_update(new, call, changed)
    # Only a call that is or was unanswered can have a callback task to make or withdraw (after the call's row
    # is written: the task is made from it).
    if {loaded[_STATUS], call.status} & {Call.Status.MISSED, Call.Status.ABANDONED}:
        _sync_callback(call)
    _outbound(call)
    return call, True


def _agent_for(call: Call, payload: dict[str, object]) -> tuple[str, int | None]:
    """(the answering extension, the id of its agent: the seat's, else the first agent account the PBX named).
    Ids only: the call keeps the agent's id, and the user's row is not needed on the CTI path."""
    from fawang.accounts.models import User

    extension = str(payload.get("answeringNumber", "") or "")
    if extension:
        seat_agent = (
            Seat.objects.filter(unit_id=call.unit_id, extension=extension, agent__isnull=False)
            .order_by()
            .values_list("agent_id", flat=True)[:1]
        )
        for agent_id in seat_agent:
            return extension, agent_id
    users = payload.get("user") or []
    if isinstance(users, list) and users:
        found = User.objects.filter(username=str(users[0])).order_by().values_list("pk", flat=True)[:1]
        return extension, next(iter(found), None)
    return extension, None


def _resolved(call: Call, payload: dict[str, object]) -> bool:
    """Whether the payload's answering extension is the one the call has already: its agent was looked up when it
    was first named (the seat's agent at that time), so it is not looked up again for every later event."""
    extension = str(payload.get("answeringNumber", "") or "")
    return bool(extension) and extension == call.extension


def reconcile(
    call: Call, events: dict[str, CallEvent], loaded: list[object], *, caller_learnt: bool
) -> list[str]:
    """Recompute the call from all its events, whatever order they came in (each kind at most once): the
    columns that changed since ``loaded`` (``_loaded`` before the event was taken), to be written."""
    _compute(call, events)
    fields = [
        name
        for name, att, old in zip(RECONCILED, _RECONCILED_ATTS, loaded, strict=True)
        if getattr(call, att) != old
    ]
    if caller_learnt:
        fields += ["caller", "caller_hash"]
    return fields


def _compute(call: Call, events: dict[str, CallEvent]) -> None:
    ring, answer, hangup, rating = (
        events.get(k)
        for k in (
            CallEvent.Kind.NEW_CALL,
            CallEvent.Kind.ANSWER,
            CallEvent.Kind.HANGUP,
            CallEvent.Kind.RATING,
        )
    )
    times = [e.occurred_at for e in events.values() if e.kind != CallEvent.Kind.RATING]
    call.rang_at = ring.occurred_at if ring else (min(times) if times else call.rang_at)
    call.answered_at = answer.occurred_at if answer else None
    call.ended_at = hangup.occurred_at if hangup else None
    if answer is not None and not _resolved(call, answer.payload):
        extension, agent_id = _agent_for(call, answer.payload)
        call.extension = extension or call.extension
        if agent_id is not None:
            call.agent_id = agent_id
    if hangup is not None:
        call.cause = str(hangup.payload.get("cause", ""))[:20]
        if answer is None and hangup.payload.get("answeringNumber") and not _resolved(call, hangup.payload):
            # Some PBXs post the answering extension only on hang-up.
            extension, agent_id = _agent_for(call, hangup.payload)
            call.extension, call.agent_id = extension, agent_id
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
        call.status = Call.Status.ENDED
    elif call.answered_at:
        call.status = Call.Status.ANSWERED
    elif call.ended_at:
        call.status = Call.Status.ABANDONED if call.cause in cti.ABANDON_CAUSES else Call.Status.MISSED
    else:
        call.status = Call.Status.RINGING


def _queue_agents(call: Call) -> list[int]:
    seats = Seat.objects.filter(unit_id=call.unit_id, agent__isnull=False)
    if call.queue:
        seats = seats.filter(Q(queue="") | Q(queue=call.queue))
    return list(seats.values_list("agent_id", flat=True))


def _sync_callback(call: Call, *, fresh: bool = False) -> None:
    """A missed or abandoned call with a known number gets one callback task (not one the PBX forwarded to
    another line, which answered it there); a call that turns out answered
    (its answer event came late) has its open task withdrawn."""
    # A call made in this transaction has no task yet: not looked up.
    task = None if fresh else CallbackTask.objects.filter(call=call).first()
    missed = (
        call.direction == Call.Direction.IN
        and call.status in (Call.Status.MISSED, Call.Status.ABANDONED)
        and bool(call.caller_hash)
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
            due_at=workdays.add_workhours(call.ended_at, centre_settings(call.unit_id).callback_hours),
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


def centre_settings(unit_id: int) -> CentreSettings:
    """The centre's own settings, or the defaults (unsaved) if its admin never changed them."""
    found = CentreSettings.objects.filter(unit_id=unit_id).first()
    return found or CentreSettings(unit_id=unit_id)


def _lock_task(task_id: int) -> CallbackTask:
    return CallbackTask.objects.select_for_update().select_related("unit", "call__system").get(pk=task_id)


@transaction.atomic
def do_dial_callback(task_id: int, *, actor: User, now: dt.datetime | None = None) -> CallbackAttempt:
    """外呼回拨 from the desk: a click-to-dial request for the agent's extension to the telephone system that
    reported the missed call (dialer.py). The attempt is counted when the request is recorded or sent; a request
    the telephone system refused is kept (with its reason) but not counted. The outcome is recorded afterwards
    (``do_complete_callback``), or comes from the PBX when the outbound call ends unanswered. The order is sent
    while the task is locked (at most ``conf.DIAL_TIMEOUT_SECONDS``), so two agents never ring the same caller at
    once."""
    from . import dialer

    now = _now(now)
    task = _lock_task(task_id)
    _require_desk(actor, task.unit)
    if task.status != CallbackTask.Status.OPEN:
        raise ValidationError(_("该回拨任务已处理。"), code="not_open")
    seat = Seat.objects.filter(agent=actor).first()
    if seat is None:
        raise ValidationError(_("请先签入坐席：外呼需要您的分机号。"), code="no_seat")
    system = task.call.system
    if not system.is_active:
        raise ValidationError(
            _("该来电的电话系统已停用，无法外呼；请用话机拨打后登记结果。"), code="inactive"
        )
    pending = task.tries.filter(outcome="").exclude(dial=CallbackAttempt.Dial.FAILED).first()
    if pending is not None:
        raise ValidationError(
            _("第 %(n)s 次外呼尚未登记结果，请先登记。") % {"n": pending.seq}, code="pending"
        )
    seq = task.tries.count() + 1
    attempt = CallbackAttempt(
        task=task,
        seq=seq,
        dial_id=f"{DIAL_PREFIX}{task.pk}-{seq}-{uuid.uuid4().hex[:8]}",
        agent=actor,
        extension=seat.extension,
        requested_at=now,
    )
    result = dialer.for_system(system).dial(
        system,
        dialer.DialOrder(
            call_id=attempt.dial_id, extension=seat.extension, number=task.call.caller, queue=task.queue
        ),
    )
    attempt.dial, attempt.dial_detail = result.state, result.detail[:200]
    attempt.save()
    if result.state != CallbackAttempt.Dial.FAILED:
        task.attempts += 1
        task.save(update_fields=["attempts"])
    audit.record(
        "hotline.callback_dial",
        actor=actor,
        target=task,
        unit=task.unit,
        note=_("第 %(n)s 次外呼，分机 %(ext)s：%(detail)s")
        % {"n": seq, "ext": seat.extension, "detail": result.detail},
    )
    return attempt


def _close_rule(task: CallbackTask, outcome: str) -> str:
    """What an attempt's outcome does to its task: reached or a wrong number closes it; no answer closes it only
    after the centre's maximum number of tries (多次未接通)."""
    if outcome == CallbackTask.Outcome.NO_ANSWER:
        limit = centre_settings(task.unit_id).callback_max_attempts
        return CallbackTask.Status.UNREACHED if task.attempts >= limit else CallbackTask.Status.OPEN
    return CallbackTask.Status.DONE


def _record_outcome(
    task: CallbackTask,
    attempt: CallbackAttempt,
    *,
    actor: User | None,
    outcome: str,
    note: str,
    now: dt.datetime,
) -> CallbackTask:
    attempt.outcome = outcome
    attempt.note = note
    attempt.recorded_at = now
    attempt.save(update_fields=["outcome", "note", "recorded_at"])
    status = _close_rule(task, outcome)
    task.note = note or task.note
    if status != CallbackTask.Status.OPEN:
        task.status = status
        task.outcome = outcome
        task.done_at = now
        task.done_by = actor or attempt.agent
    task.save()
    audit.record(
        "hotline.callback_done",
        actor=actor,
        target=task,
        unit=task.unit,
        diff=({"status": "open"}, {"status": task.status, "outcome": outcome, "attempts": task.attempts}),
    )
    return task


@transaction.atomic
def do_complete_callback(
    task_id: int, *, actor: User, outcome: str, note: str = "", now: dt.datetime | None = None
) -> CallbackTask:
    """回拨结果: the outcome of the pending dialled attempt, or of a call the agent made by hand on the desk phone
    (recorded as an attempt of its own). Reached or a wrong number closes the task; no answer closes it after
    the centre's maximum number of tries."""
    now = _now(now)
    task = _lock_task(task_id)
    if not has_capability(actor, "hotline.desk", task.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    if task.status != CallbackTask.Status.OPEN:
        raise ValidationError(_("该回拨任务已处理。"), code="not_open")
    if outcome not in CallbackTask.Outcome.values:
        raise ValidationError({"outcome": _("请选择回拨结果。")}, code="bad_outcome")
    attempt = task.tries.filter(outcome="").exclude(dial=CallbackAttempt.Dial.FAILED).order_by("-seq").first()
    if attempt is None:
        seq = task.tries.count() + 1
        seat = Seat.objects.filter(agent=actor).first()
        attempt = CallbackAttempt.objects.create(
            task=task,
            seq=seq,
            dial_id=f"{DIAL_PREFIX}{task.pk}-{seq}-{uuid.uuid4().hex[:8]}",
            agent=actor,
            extension=seat.extension if seat else "",
            dial=CallbackAttempt.Dial.MANUAL,
            requested_at=now,
        )
        task.attempts += 1
    return _record_outcome(
        task, attempt, actor=actor, outcome=outcome, note=(note or "").strip()[:2000], now=now
    )


def _outbound_reported(call: Call) -> None:
    """The PBX reported an outbound callback call (its callId names our attempt): link it, and if it ended
    unanswered and the agent has not recorded an outcome yet, record 无人接听 for them."""
    attempt = (
        CallbackAttempt.objects.select_related("task__call")
        .filter(dial_id=call.call_id, task__unit_id=call.unit_id)
        .first()
    )
    if attempt is None:
        return
    if not call.caller_hash:
        # The PBX may omit the number on the events of a call we asked it to place: it is the callback's.
        caller = attempt.task.call.caller
        Call.objects.filter(pk=call.pk).update(caller=caller, caller_hash=number_hash(caller))
        call.caller, call.caller_hash = caller, number_hash(caller)
    if attempt.call is None:
        attempt.call = call
        attempt.save(update_fields=["call"])
    if call.ended_at is not None and call.answered_at is None and not attempt.outcome:
        task = _lock_task(attempt.task_id)
        if task.status == CallbackTask.Status.OPEN:
            _record_outcome(
                task,
                attempt,
                actor=None,
                outcome=CallbackTask.Outcome.NO_ANSWER,
                note=_("电话系统报告：外呼未接通（%(cause)s）。") % {"cause": call.cause or "—"},
                now=call.ended_at,
            )


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


def _shift_name(shift: DutyShift) -> str:
    return shift.person.display_name or shift.person.username


def _note_on_matter(matter_id: int, *, actor: User | None, text: str, now: dt.datetime) -> None:
    """An internal note on the matter (its timeline, staff only): by the actor where they may write one there,
    else by the system naming them (an on-duty lawyer of the centre that took the matter in may not reach the
    unit it went to)."""
    if actor is not None:
        matter = Matter.objects.select_related("unit", "intake_unit").get(pk=matter_id)
        if not has_matter_capability(actor, "matters.comment", matter.unit, matter.intake_unit):
            actor = None
    matter_actions.do_comment(matter_id, actor=actor, text=text, now=now)


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
    """转值班律师 of a live call: hand it to the person on duty for its topic now (duty.pick: topic and dialect, else
    topic, else anyone on duty); a call cannot wait, so with nobody on duty it is refused. When the call has
    produced a matter, the referral names the latest one and leaves a note on its timeline."""
    from . import duty

    now = _now(now)
    call = _lock_call(call_id)
    _require_desk(actor, call.unit)
    if dialect and dialect not in Dialect.values:
        raise ValidationError({"dialect": _("未知的方言。")}, code="bad_dialect")
    shift, rule = duty.pick(call.unit, now, topic, dialect)
    if shift is None:
        raise ValidationError(_("当前时段没有值班人员，请登记事项或转入回拨。"), code="nobody_on_duty")
    matter_id = call.matters.order_by("-pk").values_list("pk", flat=True).first()
    referral = DutyReferral.objects.create(
        unit=call.unit,
        call=call,
        matter_id=matter_id,
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
    text = _("转值班：%(who)s（%(rule)s）") % {"who": _shift_name(shift), "rule": rule}
    audit.record("hotline.refer", actor=actor, target=call, unit=call.unit, note=text)
    if matter_id is not None:
        _note_on_matter(matter_id, actor=actor, text=_("来电%(text)s") % {"text": text}, now=now)
    return referral


# Who may refer a matter to the duty lawyer: the front desk that took it in (受理点) or its unit, as for its
# materials and messages (orgs.authority.FRONT_DESK_CAPABILITIES).
REFER_CAPABILITY = "matters.intake"


@transaction.atomic
def do_refer_matter_to_duty(
    matter_id: int,
    *,
    actor: User,
    topic: Speciality | None = None,
    dialect: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> DutyReferral:
    """转值班律师 of a matter (its page, the API, or the desk): to the person on duty now at the centre that took it
    in (its 受理点; else its own unit) by the same rule as a call (duty.pick), for the matter's topic unless
    another is given. A matter can wait: with nobody on duty it waits at the centre, and the next person on duty
    finds it in their queue. A note on the matter's timeline says to whom or that it waits."""
    from . import duty

    now = _now(now)
    matter = lock_matter(matter_id)
    if not has_matter_capability(actor, REFER_CAPABILITY, matter.unit, matter.intake_unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    if dialect and dialect not in Dialect.values:
        raise ValidationError({"dialect": _("未知的方言。")}, code="bad_dialect")
    if DutyReferral.objects.filter(
        matter=matter, call__isnull=True, status=DutyReferral.Status.OPEN
    ).exists():
        raise ValidationError(_("该事项已转值班律师，尚待处理。"), code="already_referred")
    centre = matter.intake_unit or matter.unit
    topic = topic or matter.topic
    shift, rule = duty.pick(centre, now, topic, dialect)
    if shift is None:
        rule = str(_("当前无人值班，待下一位值班人员接手"))
    referral = DutyReferral.objects.create(
        unit=centre,
        matter=matter,
        call=matter.calls.order_by("-rang_at", "-pk").first(),
        shift=shift,
        topic=topic,
        dialect=dialect,
        rule=rule[:60],
        note=(note or "").strip()[:2000],
        referred_by=actor,
        referred_at=now,
    )
    if shift is not None:
        text = _("转值班律师：%(who)s（%(rule)s）") % {"who": _shift_name(shift), "rule": rule}
    else:
        text = _("转值班律师：%(unit)s当前无人值班，已排入值班待办，由下一位值班人员接手。") % {
            "unit": centre.name
        }
    if referral.note:
        text = f"{text}\n{referral.note}"
    audit.record("hotline.refer", actor=actor, target=referral, unit=centre, note=text)
    _note_on_matter(matter.pk, actor=actor, text=text, now=now)
    return referral


@transaction.atomic
def do_close_referral(
    referral_id: int, *, actor: User, note: str, now: dt.datetime | None = None
) -> DutyReferral:
    """值班处理: the on-duty person records what they did with a referral in their queue (one waiting at their
    centre becomes theirs, on their shift now). A referred matter gets the note on its timeline."""
    from . import duty

    now = _now(now)
    referral = DutyReferral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise ValidationError(_("转值班记录不存在。"), code="no_referral")
    if referral.status != DutyReferral.Status.OPEN:
        raise ValidationError(_("该转值班已处理。"), code="done")
    note = (note or "").strip()[:2000]
    if not note:
        raise ValidationError({"note": _("请填写处理情况。")}, code="no_note")
    if referral.shift is None:
        assert referral.unit is not None
        shift = duty.on_duty(referral.unit, now).filter(person=actor).first()
        if shift is None:
            raise PermissionDenied(_("只有当前值班人员可以接手待处理的转值班。"))
        referral.shift = shift
    elif referral.shift.person_id != actor.pk:
        raise PermissionDenied(_("只有被转接的值班人员可以登记处理情况。"))
    referral.status = DutyReferral.Status.DONE
    referral.handled_at = now
    referral.handled_note = note
    referral.save(update_fields=["shift", "status", "handled_at", "handled_note"])
    who = actor.display_name or actor.username
    audit.record(
        "hotline.referral_done", actor=actor, target=referral, unit=referral.unit_id, note=note[:200]
    )
    if referral.matter_id is not None:
        _note_on_matter(
            referral.matter_id,
            actor=actor,
            text=_("值班律师%(who)s处理情况：%(note)s") % {"who": who, "note": note},
            now=now,
        )
    return referral
