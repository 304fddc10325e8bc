"""Shared by the action modules: the matter's transition check, actor checks, row locking and event writing, on
the shared helpers of fawang.matters.workflow; and the moves more than one action makes, written once: 受理
(``accept_locked``), 办结 (``complete_locked``) and 关闭 (``close_locked``) of a matter already locked, which
the business lines' own actions (fawang.consult, fawang.legalaid) use as well."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from fawang.catalog.models import Channel
from fawang.lib import inserts
from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import has_capability, require_capability

from .. import deadlines, notices, workflow
from ..models import (
    Matter,
    MatterEvent,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User


# Roles that can be made a matter's handler (承办人).
HANDLER_ROLES = (
    Membership.Role.HANDLER,
    Membership.Role.LEGAL_ADVISOR,
    Membership.Role.CORRECTIONS_OFFICER,
    Membership.Role.SUPERVISOR,
    Membership.Role.UNIT_ADMIN,
)

ONLINE_CHANNELS = (Channel.WEB, Channel.APP, Channel.WECHAT)

TRACKING_ATTEMPTS = 5


def check_transition(matter: Matter, new_status: str | None, verb: str, *, action: str) -> str:
    """The old status, if ``action`` may move ``matter`` to ``new_status`` (None: leave it as it is) by the
    one table of moves (Matter.MOVES); ``verb`` names the action in the refusal (受理, 办结 ...)."""
    return workflow.check_move(
        Matter.MOVES,
        action,
        matter.status,
        new_status,
        verb=verb,
        status_label=Matter.Status(matter.status).label,
    )


_now = workflow.now
_is_public = workflow.is_public


def _owns(actor: User, matter: Matter) -> bool:
    return matter.submitted_by_id == actor.pk or (
        matter.person.user_id is not None and matter.person.user_id == actor.pk
    )


def _require(
    actor: User | None,
    capabilities: str | Sequence[str],
    where: Unit | Matter | None,
    *,
    person_matter: Matter | None = None,
) -> None:
    """Staff need one of ``capabilities`` over ``where`` (a unit, or a matter: its current unit, and for the front
    desk's capabilities the unit that took it in, orgs.authority.has_matter_capability); the public may act only
    on their own ``person_matter`` (when the action allows the person at all); ``None`` is the system."""
    if actor is None:
        return
    if _is_public(actor):
        if person_matter is not None and _owns(actor, person_matter):
            return
        raise PermissionDenied(_("您只能办理本人的事项。"))
    caps = (capabilities,) if isinstance(capabilities, str) else tuple(capabilities)
    if isinstance(where, Matter):
        if not any(has_matter_capability(actor, cap, where.unit, where.intake_unit) for cap in caps):
            require_capability(actor, caps[0], where.unit)  # raises with the standard message
    elif not any(has_capability(actor, cap, where) for cap in caps):
        require_capability(actor, caps[0], where)


_staff = workflow.staff_actor


def _lock(matter_id: int) -> Matter:
    """The matter, locked for this transaction (PostgreSQL row lock; SQLite serialises writers anyway)."""
    return workflow.lock(
        Matter.objects.select_related("service_item", "unit", "person"),
        matter_id,
        _("事项不存在或已被删除。"),
        "no_matter",
    )


def _required_text(value: str, message: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=code)
    return value


# "Unchanged" for _event's old_status/old_unit: the matter's current value.
SAME: Any = object()


def _event(
    matter: Matter,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    old_status: Any = SAME,
    old_unit: Any = SAME,
    note: str = "",
    visible: bool = False,
    payload: dict[str, Any] | None = None,
) -> MatterEvent:
    event = MatterEvent(
        matter=matter,
        actor=workflow.event_actor(actor),
        action=action,
        old_status=matter.status if old_status is SAME else old_status,
        new_status=matter.status,
        old_unit=matter.unit if old_unit is SAME else old_unit,
        new_unit=matter.unit,
        note=note,
        visible_to_person=visible,
        payload=payload or {},
        created_at=now,
    )
    inserts.insert(event)  # as save() does it, with the statement made once (fawang/lib/inserts.py)
    return event


def _notify_unit(matter: Matter, kind: str, body: str, event: MatterEvent) -> None:
    """Tell the handler, or the unit's staff when there is none yet."""
    notices.to_staff(
        notices.handler_or_unit_staff(matter), matter, kind, body, key=f"matter:{matter.pk}:{kind}:{event.pk}"
    )


def accept_locked(
    matter: Matter,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str,
    tell: bool = True,
    clock: bool = True,
    payload: dict[str, Any] | None = None,
) -> MatterEvent:
    """受理 of the locked ``matter``: the move checked, the staff actor recorded as first responder if nobody is
    yet, the next step's clock started (``clock`` False: no clock runs, as after an answer), the ACCEPT event
    (visible, with ``note`` and ``payload``) and, if ``tell``, the person's notice."""
    old = check_transition(matter, Matter.Status.ACCEPTED, _("受理"), action="accept")
    matter.status = Matter.Status.ACCEPTED
    matter.accepted_at = now
    if matter.first_responder_id is None:
        matter.first_responder = _staff(actor)
    if clock:
        deadlines.start_step(matter, deadlines.next_step_after_accept(matter), now)
    else:
        deadlines.stop_clock(matter)
    matter.save()
    row = _event(
        matter,
        MatterEvent.Action.ACCEPT,
        actor=actor,
        now=now,
        old_status=old,
        note=note,
        visible=True,
        payload=payload,
    )
    if tell:
        notices.to_person(matter, "matter.accepted", row)
    return row


def complete_locked(
    matter: Matter,
    *,
    actor: User | None,
    now: dt.datetime,
    result: str,
    action: str = "complete",
    verb: str = "",
    old_status: str = "",
    note: str | None = None,
    handler: User | None = None,
    handler_in_payload: bool = True,
    payload: dict[str, Any] | None = None,
    notice: str | None = "matter.completed",
) -> MatterEvent:
    """办结 of the locked ``matter``, the one way every action that completes a matter does it (staff's 办结, the
    answer at intake, an outside hotline's outcome, the person's 已解决, the end of legal aid):

    - the move is checked against ``action``'s row of Matter.MOVES (refused as ``verb``, 办结 unless given), or
      the caller gives the ``old_status`` it checked itself;
    - the matter takes ``result`` (what the person is told) and its completion time, and its clock stops;
    - ``handler`` becomes the handler of record (承办人) of a matter nobody was assigned to, which the event's
      payload says (handler, handler_of_record) unless ``handler_in_payload`` is False;
    - the COMPLETE event, visible to the person, carries ``note`` (the result unless given) and ``payload``;
    - the person gets ``notice`` (None: the caller tells whom it must)."""
    if not old_status:
        old_status = check_transition(matter, Matter.Status.COMPLETED, verb or _("办结"), action=action)
    matter.status = Matter.Status.COMPLETED
    matter.result = result
    matter.completed_at = now
    payload = dict(payload or {})
    if handler is not None and matter.handler_id is None:
        matter.handler = handler
        if handler_in_payload:
            payload.update(handler=handler.pk, handler_of_record=True)
    deadlines.stop_clock(matter)
    matter.save()
    row = _event(
        matter,
        MatterEvent.Action.COMPLETE,
        actor=actor,
        now=now,
        old_status=old_status,
        note=result if note is None else note,
        visible=True,
        payload=payload,
    )
    if notice:
        notices.to_person(matter, notice, row)
    return row


def close_locked(
    matter: Matter,
    *,
    actor: User | None,
    now: dt.datetime,
    note: str,
    action: str = "close",
    verb: str = "",
    payload: dict[str, Any] | None = None,
) -> MatterEvent:
    """关闭 of the locked, completed ``matter`` (by staff, after its rating or callbacks, or by the person's 已解决):
    the move checked against ``action``'s row of Matter.MOVES (refused as ``verb``, 关闭 unless given), the time
    of closing, and the CLOSE event, visible to the person, with ``note`` and ``payload``."""
    old = check_transition(matter, Matter.Status.CLOSED, verb or _("关闭"), action=action)
    matter.status = Matter.Status.CLOSED
    matter.closed_at = now
    matter.save(update_fields=["status", "closed_at", "updated_at"])
    return _event(
        matter,
        MatterEvent.Action.CLOSE,
        actor=actor,
        now=now,
        old_status=old,
        note=note,
        visible=True,
        payload=payload,
    )


# The helpers a business line's own actions use (fawang.consult): the same functions under public names.
lock = _lock
require = _require
event = _event
notify_unit = _notify_unit
