"""What the front desk's actions share: constants, the appointment's transition check, row locks, events and
places in a slot (on the shared helpers of fawang.matters.workflow)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.catalog.models import Channel
from fawang.matters import workflow

from .. import notices
from ..models import (
    Appointment,
    AppointmentEvent,
    Slot,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User


ONLINE_CHANNELS = (Channel.WEB, Channel.APP, Channel.WECHAT)
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_ATTEMPTS = 5
REASON_MAX = 1000
REMOTE_VISIT_FUNCTION = "remote_visit"
# What the audit trail keeps of a schedule, a weekly rule and an exception.
SCHEDULE_AUDITED = (
    "name",
    "mode",
    "window",
    "service_items",
    "slot_minutes",
    "capacity",
    "days_ahead",
    "min_notice_hours",
    "cancel_cutoff_hours",
    "makeup_weekday",
    "is_active",
)
RULE_AUDITED = ("weekday", "start_time", "end_time")
EXCEPTION_AUDITED = ("date", "kind", "start_time", "end_time", "note")


_now = workflow.now
_is_public = workflow.is_public
_staff = workflow.staff_actor


def _require_public(actor: User | None) -> User:
    from fawang.accounts.models import User as UserModel

    if actor is None or not actor.is_authenticated or getattr(actor, "kind", "") != UserModel.Kind.PUBLIC:
        raise PermissionDenied(_("请用公众账号登录后预约。"))
    return actor


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """An error about one input field that keeps its code (the API reports it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _refusal() -> str:
    return _("该预约当前状态为“%(status)s”，不能%(verb)s。")


def check_transition(appointment: Appointment, new_status: str, verb: str) -> str:
    """The old status, if the appointment may move to ``new_status`` (Appointment.TRANSITIONS)."""
    return workflow.check_table(
        Appointment.TRANSITIONS,
        appointment.status,
        new_status,
        verb=verb,
        status_label=Appointment.Status(appointment.status).label,
        message=_refusal(),
    )


def _lock(appointment_id: int) -> Appointment:
    return workflow.lock(
        Appointment.objects.select_related("slot__schedule__window", "unit", "service_item", "user"),
        appointment_id,
        _("预约不存在或已被删除。"),
        "no_appointment",
    )


def _event(
    appointment: Appointment,
    action: str,
    *,
    actor: User | None,
    now: dt.datetime,
    old_status: str,
    old_slot: Slot | None = None,
    note: str = "",
) -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        actor=workflow.event_actor(actor),
        old_status=old_status,
        new_status=appointment.status,
        old_slot=old_slot,
        new_slot=appointment.slot,
        note=note[:500],
        created_at=now,
    )


def _notify(appointment: Appointment, kind: str, event: AppointmentEvent) -> None:
    notices.to_person(appointment, kind, event, key=f"appointment:{appointment.pk}:{kind}:{event.pk}")


def _take_place(slot_id: int) -> bool:
    """One place in the slot, if it is open and not full: decided by the database in one statement."""
    return (
        Slot.objects.filter(pk=slot_id, is_open=True, booked__lt=F("capacity")).update(booked=F("booked") + 1)
        == 1
    )


def _release_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _lock_slots(*slot_ids: int) -> dict[int, Slot]:
    rows = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("schedule", "unit")
        .filter(pk__in=slot_ids)
    )
    return {slot.pk: slot for slot in rows.order_by("pk")}


def _new_number(now: dt.datetime) -> str:
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _i in range(6))
    return f"YY{timezone.localtime(now):%y%m%d}{tail}"
