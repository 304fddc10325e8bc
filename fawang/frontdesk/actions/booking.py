"""Booking by the person: book, cancel, reschedule, and the pause after repeated no-shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fawang.catalog.models import BusinessLine, Channel, ServiceItem
from fawang.lib.validators import validate_id_number
from fawang.matters.workflow import InvalidTransition
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability

from .. import conf, slots, video
from ..models import (
    Appointment,
    AppointmentEvent,
    RemoteVisit,
    Schedule,
    Slot,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

from .base import (
    NUMBER_ATTEMPTS,
    ONLINE_CHANNELS,
    REASON_MAX,
    REMOTE_VISIT_FUNCTION,
    _event,
    _field_error,
    _is_public,
    _lock,
    _lock_slots,
    _new_number,
    _notify,
    _now,
    _release_place,
    _require_public,
    _take_place,
    check_transition,
)


@dataclass(frozen=True)
class VisitData:
    """监所远程探视: who is visited, where, by whom (the account holder, whose ID number this is)."""

    prison: Unit | None
    inmate_name: str
    relation: str
    id_number: str


@dataclass
class BookResult:
    appointment: Appointment
    created: bool = True  # False when an idempotent resend returned the booking made the first time


def _check_slot(slot: Slot, item: ServiceItem, now: dt.datetime, *, full: str | None = None) -> None:
    """Whether ``item`` can be booked in ``slot`` at ``now`` (places are checked by _take_place)."""
    schedule = slot.schedule
    if not (slot.is_open and schedule.is_active and slot.unit.is_active):
        raise ValidationError(_("该时段已停止预约，请选择其他时段。"), code="slot_closed")
    if not schedule.service_items.filter(pk=item.pk).exists():
        raise ValidationError(
            _("该时段不接受“%(item)s”的预约，请选择其他时段。") % {"item": item.name}, code="item_not_offered"
        )
    if not item.is_active:
        raise ValidationError(_("“%(item)s”已停止受理。") % {"item": item.name}, code="item_inactive")
    if slot.starts_at <= now:
        raise ValidationError(_("该时段已过，请选择其他时段。"), code="slot_past")
    if slot.starts_at < now + dt.timedelta(hours=schedule.min_notice_hours):
        raise ValidationError(
            _("“%(name)s”须至少提前 %(hours)s 小时预约，请选择更晚的时段。")
            % {"name": schedule.name, "hours": schedule.min_notice_hours},
            code="too_late",
        )
    _first, last = slots.horizon(schedule, timezone.localtime(now).date())
    if slot.date > last:
        raise ValidationError(
            _("只能预约 %(days)s 天内的时段。") % {"days": schedule.days_ahead}, code="too_far"
        )
    if slot.booked >= slot.capacity:
        raise ValidationError(full or _("该时段已约满，请选择其他时段。"), code="slot_full")


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("请填写预约事由，如要咨询或办理的事情。"), "no_reason")
    if len(reason) > REASON_MAX:
        raise _field_error("reason", _("预约事由不能超过 1000 个字。"), "reason_too_long")
    return reason


def _clean_visit(visit: VisitData | None) -> dict[str, Any]:
    if visit is None:
        raise ValidationError(_("请填写被探视人、监所和与被探视人的关系。"), code="no_visit")
    errors: dict[str, list[Any]] = {}
    inmate = (visit.inmate_name or "").strip()
    if not inmate:
        errors["inmate_name"] = [_("请填写被探视人姓名。")]
    elif len(inmate) > 32:
        errors["inmate_name"] = [_("被探视人姓名不能超过 32 个字。")]
    prison = visit.prison
    if prison is None or prison.kind != Unit.Kind.PRISON or not prison.is_active:
        errors["prison"] = [_("请选择被探视人所在的监所。")]
    elif not prison.functions.filter(code=REMOTE_VISIT_FUNCTION).exists():
        errors["prison"] = [_("该监所未开通远程探视。")]
    if visit.relation not in RemoteVisit.Relation.values:
        errors["relation"] = [_("请选择与被探视人的关系（须为近亲属或监护人）。")]
    id_number = (visit.id_number or "").strip().upper()
    if not id_number:
        errors["id_number"] = [_("请填写探视人的身份证号码。")]
    else:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.error_list  # keeps the codes (invalid_id_checksum ...) for the API
    if errors:
        raise ValidationError(errors)
    return {"prison": prison, "inmate_name": inmate, "relation": visit.relation, "id_number": id_number}


def _check_limits(user: User, slot: Slot, now: dt.datetime, *, exclude: int | None = None) -> None:
    mine = Appointment.objects.filter(user=user, status__in=Appointment.ACTIVE_STATUSES)
    if exclude is not None:
        mine = mine.exclude(pk=exclude)
    if mine.filter(slot=slot).exists():
        raise ValidationError(_("您已预约了该时段，请勿重复预约。"), code="same_slot")
    if exclude is None:
        limit = conf.max_active_bookings()
        if mine.filter(slot__ends_at__gt=now).count() >= limit:
            raise ValidationError(
                _("您已有 %(n)s 个未完成的预约，请先办理或取消后再预约。") % {"n": limit}, code="too_many"
            )


@dataclass(frozen=True)
class BookingPause:
    """爽约 pause: ``count`` no-shows within the last ``window_days`` days; online booking reopens on ``until``."""

    count: int
    window_days: int
    until: dt.date

    @property
    def message(self) -> str:
        return _(
            "您近 %(days)s 天内有 %(n)s 次预约未按时到场（爽约），网上预约暂停至 %(date)s（当天起可重新预约）。"
            "如需办理，请直接到服务窗口或拨打 12348 公共法律服务热线。"
        ) % {
            "days": self.window_days,
            "n": self.count,
            "date": date_format(self.until),
        }


def booking_pause(user: User, now: dt.datetime | None = None) -> BookingPause | None:
    """The pause of ``user``'s online booking, or None: FRONTDESK_NO_SHOW_LIMIT no-shows whose slot fell within the
    last FRONTDESK_NO_SHOW_WINDOW_DAYS days. It lasts until the oldest of the last LIMIT no-shows leaves the
    window. Rescheduling or cancelling a booking already made is not paused, nor is anything at the window."""
    limit = conf.no_show_limit()
    if limit == 0:
        return None
    window = conf.no_show_window_days()
    today = timezone.localtime(_now(now)).date()
    dates = list(
        Appointment.objects.filter(
            user=user, status=Appointment.Status.NO_SHOW, slot__date__gt=today - dt.timedelta(days=window)
        )
        .order_by("-slot__date")
        .values_list("slot__date", flat=True)
    )
    if len(dates) < limit:
        return None
    return BookingPause(
        count=len(dates), window_days=window, until=dates[limit - 1] + dt.timedelta(days=window)
    )


@transaction.atomic
def do_book(
    *,
    actor: User,
    slot_id: int,
    service_item: ServiceItem,
    reason: str,
    visit: VisitData | None = None,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> BookResult:
    """预约办理: a signed-in person with real-name details takes a place in a slot for a service item.

    A remote visit (the 监所远程探视 item) also needs ``visit`` and waits for review (待审核) holding its place;
    anything else stands at once (已预约). ``idempotency_key`` (the form's, or the API's): a resend returns the
    first booking (``created=False``) and changes nothing.
    """
    from fawang.accounts.models import User as UserModel
    from fawang.citizens.actions import has_real_name

    now = _now(now)
    _require_public(actor)
    if channel not in ONLINE_CHANNELS:
        raise ValidationError(_("网上预约只能通过网站、APP 或微信提交。"), code="bad_channel")
    # The person's row lock serialises their own bookings, so the limits below hold under double clicks.
    user = UserModel.objects.select_for_update().get(pk=actor.pk)
    if idempotency_key:
        again = Appointment.objects.filter(idempotency_key=idempotency_key, user=user).first()
        if again is not None:
            return BookResult(again, created=False)
    if not has_real_name(user):
        raise ValidationError(_("预约前请先填写实名信息（姓名和身份证号码）。"), code="no_real_name")
    pause = booking_pause(user, now)
    if pause is not None:
        raise ValidationError(pause.message, code="no_show_pause")
    slot = Slot.objects.select_related("schedule", "unit").filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError(_("该时段不存在，请重新选择。"), code="no_slot")
    _check_slot(slot, service_item, now)
    reason = _clean_reason(reason)
    is_visit = service_item.business_line == BusinessLine.REMOTE_VISIT
    visit_fields = _clean_visit(visit) if is_visit else None
    _check_limits(user, slot, now)
    if not _take_place(slot.pk):
        raise ValidationError(_("该时段已约满，请选择其他时段。"), code="slot_full")
    appointment = Appointment(
        user=user,
        name=user.display_name,
        phone=user.phone,
        unit=slot.unit,
        slot=slot,
        service_item=service_item,
        reason=reason,
        status=Appointment.Status.PENDING if is_visit else Appointment.Status.BOOKED,
        channel=channel,
        idempotency_key=idempotency_key or None,
        # 视频咨询: one unguessable room for both sides, kept through reschedules.
        meeting_room=video.new_room_name() if slot.schedule.mode == Schedule.Mode.VIDEO else "",
    )
    for attempt in range(NUMBER_ATTEMPTS):
        appointment.number = _new_number(now)
        try:
            with transaction.atomic():  # a savepoint: a clash of numbers leaves the transaction usable
                appointment.save(force_insert=True)
            break
        except IntegrityError:
            appointment.pk = None
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    if visit_fields is not None:
        RemoteVisit.objects.create(appointment=appointment, **visit_fields)
    event = _event(
        appointment,
        AppointmentEvent.Action.BOOK,
        actor=user,
        now=now,
        old_status="",
        note=f"{slot.schedule.name} {slot.label}",
    )
    _notify(appointment, "appointment.pending" if is_visit else "appointment.booked", event)
    return BookResult(appointment)


def _check_cutoff(appointment: Appointment, now: dt.datetime, verb: str) -> None:
    hours = appointment.slot.schedule.cancel_cutoff_hours
    if now > appointment.slot.starts_at - dt.timedelta(hours=hours):
        raise ValidationError(
            _("距预约时段开始已不足 %(hours)s 小时，不能%(verb)s。如不能前来，请致电 %(phone)s。")
            % {"hours": hours, "verb": verb, "phone": appointment.unit.phone or "12348"},
            code="past_cutoff",
        )


def _own(actor: User, appointment: Appointment) -> None:
    if appointment.user_id != actor.pk:
        raise PermissionDenied(_("您只能办理本人的预约。"))


def _cancel(
    appointment_id: int, *, actor: User | None, reason: str, now: dt.datetime, system: bool = False
) -> Appointment:
    appointment = _lock(appointment_id)
    reason = (reason or "").strip()[:200]
    if system:
        pass  # a closed day set by staff who may manage the schedule (checked by the caller)
    elif _is_public(actor):
        assert actor is not None
        _own(actor, appointment)
        if appointment.is_active:
            _check_cutoff(appointment, now, _("取消"))
    elif actor is not None:
        require_capability(actor, "frontdesk.desk", appointment.unit)
        if not reason:
            raise _field_error("reason", _("请填写取消原因，将告知预约人。"), "no_reason")
    old = check_transition(appointment, Appointment.Status.CANCELLED, _("取消"))
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now
    appointment.cancel_reason = reason
    appointment.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _release_place(appointment.slot_id)
    event = _event(
        appointment, AppointmentEvent.Action.CANCEL, actor=actor, now=now, old_status=old, note=reason
    )
    _notify(appointment, "appointment.cancelled", event)
    return appointment


@transaction.atomic
def do_cancel(
    appointment_id: int, *, actor: User | None, reason: str = "", now: dt.datetime | None = None
) -> Appointment:
    """Cancel a booking: the person until the schedule's cutoff before the slot; staff of the point at the
    person's request (with a reason); the system. The place is released at once."""
    return _cancel(appointment_id, actor=actor, reason=reason, now=_now(now))


@transaction.atomic
def do_reschedule(
    appointment_id: int, *, actor: User, slot_id: int, now: dt.datetime | None = None
) -> Appointment:
    """改约 to another slot of the same point: the new place is taken first and the old one released only
    then, in one transaction, so a full slot leaves the booking exactly as it was. A remote visit goes back to
    review for its new time."""
    from fawang.accounts.models import User as UserModel

    now = _now(now)
    _require_public(actor)
    user = UserModel.objects.select_for_update().get(pk=actor.pk)
    appointment = _lock(appointment_id)
    _own(user, appointment)
    if not appointment.is_active:
        raise InvalidTransition(
            _("该预约当前状态为“%(status)s”，不能改约。")
            % {"status": Appointment.Status(appointment.status).label},
            code="invalid_transition",
        )
    _check_cutoff(appointment, now, _("改约"))
    if slot_id == appointment.slot_id:
        raise ValidationError(_("请选择与原预约不同的时段。"), code="same_slot")
    locked = _lock_slots(appointment.slot_id, slot_id)
    new = locked.get(slot_id)
    if new is None:
        raise ValidationError(_("该时段不存在，请重新选择。"), code="no_slot")
    if new.unit_id != appointment.unit_id:
        raise ValidationError(
            _("只能改约到同一服务点的其他时段；要去其他服务点，请取消后重新预约。"), code="other_unit"
        )
    full = _("该时段已约满，请选择其他时段。原预约保持不变。")
    _check_slot(new, appointment.service_item, now, full=full)
    _check_limits(user, new, now, exclude=appointment.pk)
    if not _take_place(new.pk):
        raise ValidationError(full, code="slot_full")
    old_slot = appointment.slot
    _release_place(old_slot.pk)
    old = appointment.status
    appointment.slot = new
    appointment.reminder_sent_at = None
    if appointment.is_remote_visit:
        check_transition(appointment, Appointment.Status.PENDING, _("改约"))
        appointment.status = Appointment.Status.PENDING
        RemoteVisit.objects.filter(appointment=appointment).update(
            reviewed_by=None, reviewed_at=None, review_note=""
        )
    appointment.save(update_fields=["slot", "status", "reminder_sent_at", "updated_at"])
    event = _event(
        appointment,
        AppointmentEvent.Action.RESCHEDULE,
        actor=user,
        now=now,
        old_status=old,
        old_slot=old_slot,
        note=f"{old_slot.label} → {new.label}",
    )
    _notify(appointment, "appointment.rescheduled", event)
    return appointment
