"""The desk: review of remote visits, check-in, no-show, taking an appointment in as a Matter, and the
reminders of the day before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.matters import workflow
from fawang.matters.workflow import InvalidTransition
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability

from .. import conf, notices
from ..models import (
    Appointment,
    AppointmentEvent,
    RemoteVisit,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.actions import MatterRequest, PersonData
    from fawang.matters.models import Matter

from .base import (
    _event,
    _field_error,
    _is_public,
    _lock,
    _notify,
    _now,
    _refusal,
    _release_place,
    _staff,
    check_transition,
)
from .queue import take_in_at_window


@transaction.atomic
def do_review(
    appointment_id: int, *, actor: User | None, approve: bool, note: str = "", now: dt.datetime | None = None
) -> Appointment:
    """审核 a remote visit: approved, it stands (已预约); refused (with a reason, told to the person), its place
    is released."""
    now = _now(now)
    appointment = _lock(appointment_id)
    if actor is not None:
        if _is_public(actor):
            raise PermissionDenied(_("您的岗位无权执行此操作。"))
        require_capability(actor, "frontdesk.review", appointment.unit)
    if not appointment.is_remote_visit:
        raise ValidationError(_("只有监所远程探视预约需要审核。"), code="not_a_visit")
    note = (note or "").strip()[:500]
    old = appointment.status
    if old != Appointment.Status.PENDING:
        raise workflow.refuse(Appointment.Status(old).label, _("审核"), message=_refusal())
    if approve:
        if appointment.slot.ends_at <= now:
            raise ValidationError(_("该预约时段已过，不能审核通过。"), code="slot_past")
        appointment.status = Appointment.Status.BOOKED
    else:
        if not note:
            raise _field_error("note", _("请填写未通过审核的理由，将告知预约人。"), "no_note")
        appointment.status = Appointment.Status.REFUSED
        _release_place(appointment.slot_id)
    appointment.save(update_fields=["status", "updated_at"])
    RemoteVisit.objects.filter(appointment=appointment).update(
        reviewed_by=_staff(actor), reviewed_at=now, review_note=note
    )
    event = _event(
        appointment,
        AppointmentEvent.Action.APPROVE if approve else AppointmentEvent.Action.REFUSE,
        actor=actor,
        now=now,
        old_status=old,
        note=note,
    )
    _notify(appointment, "appointment.approved" if approve else "appointment.refused", event)
    return appointment


@transaction.atomic
def do_check_in(appointment_id: int, *, actor: User | None, now: dt.datetime | None = None) -> Appointment:
    """签到: the person has arrived, on the day of the slot; also after being marked 爽约 that day, which withdraws
    the mark (it no longer counts towards the booking pause)."""
    now = _now(now)
    appointment = _lock(appointment_id)
    if actor is not None:
        require_capability(actor, "frontdesk.desk", appointment.unit)
    if appointment.status == Appointment.Status.PENDING:
        raise InvalidTransition(_("该探视预约尚未审核通过，不能签到。"), code="not_approved")
    old = check_transition(appointment, Appointment.Status.CHECKED_IN, _("签到"))
    day = timezone.localtime(appointment.slot.starts_at).date()
    if timezone.localtime(now).date() != day:
        raise ValidationError(
            _("只能在预约当天签到（预约日期：%(date)s）。") % {"date": f"{day:%Y-%m-%d}"}, code="not_today"
        )
    appointment.status = Appointment.Status.CHECKED_IN
    appointment.checked_in_at = now
    appointment.checked_in_by = _staff(actor)
    appointment.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    note = _("到场较晚，撤销爽约标记。") if old == Appointment.Status.NO_SHOW else ""
    _event(appointment, AppointmentEvent.Action.CHECK_IN, actor=actor, now=now, old_status=old, note=note)
    return appointment


@transaction.atomic
def do_mark_no_show(
    appointment_id: int, *, actor: User | None, now: dt.datetime | None = None
) -> Appointment:
    """爽约: the slot has ended and the person did not come."""
    now = _now(now)
    appointment = _lock(appointment_id)
    if actor is not None:
        require_capability(actor, "frontdesk.desk", appointment.unit)
    old = check_transition(appointment, Appointment.Status.NO_SHOW, _("标记爽约"))
    if now < appointment.slot.ends_at:
        raise ValidationError(_("预约时段结束后才能标记爽约。"), code="too_early")
    appointment.status = Appointment.Status.NO_SHOW
    appointment.save(update_fields=["status", "updated_at"])
    _event(appointment, AppointmentEvent.Action.NO_SHOW, actor=actor, now=now, old_status=old)
    return appointment


@transaction.atomic
def do_take_in(
    appointment_id: int,
    *,
    actor: User,
    person: PersonData,
    request: MatterRequest,
    link_account: bool = False,
    now: dt.datetime | None = None,
) -> Matter:
    """受理 a checked-in appointment at the window: a Matter through the ordinary intake (do_submit, channel
    窗口, the point as intake unit; a video consultation too: it is the point's desk answering live, like the
    window, so 当场答复办结 applies), linked to the appointment; the consultation's notes and answer go on the matter
    (the request's description and the answer). ``link_account`` (the clerk has checked the
    identity document) links the person to the booking account, so the matter shows in 我的事项. A resent form
    returns the matter made the first time."""
    now = _now(now)
    appointment = _lock(appointment_id)
    if appointment.status == Appointment.Status.TAKEN_IN and appointment.matter_id is not None:
        assert appointment.matter is not None
        return appointment.matter
    if appointment.status == Appointment.Status.BOOKED:
        raise InvalidTransition(_("请先为预约人签到，再受理登记。"), code="not_checked_in")
    old = check_transition(appointment, Appointment.Status.TAKEN_IN, _("受理"))
    matter = take_in_at_window(
        actor=actor,
        person=person,
        request=request,
        unit=appointment.unit,
        key=f"appointment:{appointment.pk}",
        now=now,
        ticket=getattr(appointment, "ticket", None),
        link_to=appointment.user if link_account else None,
    )
    appointment.matter = matter
    appointment.status = Appointment.Status.TAKEN_IN
    appointment.save(update_fields=["matter", "status", "updated_at"])
    _event(
        appointment,
        AppointmentEvent.Action.TAKE_IN,
        actor=actor,
        now=now,
        old_status=old,
        note=matter.tracking_no,
    )
    return matter


# --------------------------------------------------------------------------------------------- reminders


def send_reminders(now: dt.datetime | None = None) -> list[int]:
    """The day before (from FRONTDESK_REMINDER_HOUR on): remind every standing booking of tomorrow, once.

    Each booking is claimed with a conditional UPDATE of ``reminder_sent_at`` (and its current slot), so two
    workers running at once never both remind it, a cancelled one is never reminded, and one rescheduled
    meanwhile is left for the reminder of its new day."""
    now = _now(now)
    local = timezone.localtime(now)
    if local.hour < conf.reminder_hour():
        return []
    tomorrow = local.date() + dt.timedelta(days=1)
    due = Appointment.objects.filter(
        status=Appointment.Status.BOOKED, reminder_sent_at__isnull=True, slot__date=tomorrow
    ).values_list("pk", "slot_id")
    sent = []
    for pk, slot_id in list(due):
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, slot_id=slot_id, status=Appointment.Status.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed != 1:
                continue
            appointment = Appointment.objects.select_related(
                "slot__schedule__window", "unit", "service_item", "user"
            ).get(pk=pk)
            event = _event(
                appointment,
                AppointmentEvent.Action.REMIND,
                actor=None,
                now=now,
                old_status=appointment.status,
            )
            notices.to_person(
                appointment, "appointment.reminder", event, key=f"appointment:{pk}:reminder:{slot_id}"
            )
        sent.append(pk)
    return sent


def is_desk(user: Any, unit: Unit | None = None) -> bool:
    return has_capability(user, "frontdesk.desk", unit)
