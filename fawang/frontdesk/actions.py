"""The only writers of appointment state: schedules (排班), booking, review of remote visits, cancelling,
rescheduling, check-in, no-show, taking an appointment in as a Matter, and the reminders of the day before.

Views, the API and the scheduler call these. Each is one transaction; the Chinese messages of ValidationError
and PermissionDenied are shown as they are. Changes of a schedule, its weekly rules and its exceptions write an
audit row (fawang.audit) in the same transaction; bookings have their own events (AppointmentEvent).

Places: a slot's ``booked`` counter changes only by conditional UPDATE (``booked < capacity`` to take a place),
which both SQLite and PostgreSQL evaluate atomically against the committed row, so two people booking the last
place cannot both win. Row locks are always taken in the same order (the person's account, then the
appointment, then slots by primary key), so concurrent actions wait for each other but never deadlock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.catalog.models import BusinessLine, Channel, ServiceItem
from fawang.lib.validators import validate_id_number
from fawang.matters import workflow
from fawang.matters.workflow import InvalidTransition
from fawang.orgs.models import Unit, Window
from fawang.orgs.roles import has_capability, require_capability

from . import conf, notices, slots
from .models import (
    Appointment,
    AppointmentEvent,
    RemoteVisit,
    Schedule,
    ScheduleException,
    Slot,
    WeeklyRule,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.actions import MatterRequest, PersonData
    from fawang.matters.models import Matter

S = Appointment.Status
E = AppointmentEvent.Action
ONLINE_CHANNELS = (Channel.WEB, Channel.APP, Channel.WECHAT)
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER_ATTEMPTS = 5
REASON_MAX = 1000
REMOTE_VISIT_FUNCTION = "remote_visit"
# What the audit trail keeps of a schedule, a weekly rule and an exception.
SCHEDULE_AUDITED = (
    "name",
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
        status_label=S(appointment.status).label,
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


# --------------------------------------------------------------------------------------------- schedules


def _check_point(unit: Unit) -> None:
    if not unit.is_service_point:
        raise ValidationError(
            _("只有公共法律服务中心、工作站和工作室可以设置预约。"), code="not_a_service_point"
        )


def _clean_items(unit: Unit, items: Sequence[ServiceItem]) -> list[ServiceItem]:
    items = list(dict.fromkeys(items))
    if not items:
        raise _field_error("service_items", _("请至少选择一个可预约的服务事项。"), "no_items")
    inactive = [i.name for i in items if not i.is_active]
    if inactive:
        raise _field_error(
            "service_items",
            _("已停止受理的事项不能预约：%(items)s。") % {"items": "、".join(inactive)},
            "item_inactive",
        )
    visits = [i for i in items if i.business_line == BusinessLine.REMOTE_VISIT]
    if visits and not unit.functions.filter(code=REMOTE_VISIT_FUNCTION).exists():
        raise _field_error(
            "service_items", _("本服务点未开通“监所远程探视”职能，不能预约远程探视。"), "no_remote_visit"
        )
    if visits and len(items) > 1:
        # A remote visit needs its own review and its own room; mixing it into a window's queue would put
        # unreviewed visits among ordinary bookings.
        raise _field_error(
            "service_items", _("监所远程探视须单独设置一个排班，不能与其他事项共用。"), "visit_alone"
        )
    return items


@dataclass(frozen=True)
class ScheduleData:
    name: str
    service_items: Sequence[ServiceItem]
    window: Window | None = None
    slot_minutes: int = 30
    capacity: int = 2
    days_ahead: int = 14
    min_notice_hours: int = 0
    cancel_cutoff_hours: int = 2
    makeup_weekday: int = 0
    is_active: bool = True


def _check_range(value: int, low: int, high: int, field: str, message: str) -> dict[str, list[str]]:
    return {} if low <= value <= high else {field: [message]}


@transaction.atomic
def do_save_schedule(
    *,
    actor: User | None,
    unit: Unit,
    data: ScheduleData,
    schedule_id: int | None = None,
    today: dt.date | None = None,
) -> Schedule:
    """Create (``schedule_id`` None) or change a schedule, then derive its slots."""
    if actor is not None:
        require_capability(actor, "frontdesk.manage_schedule", unit)
    _check_point(unit)
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("请填写排班名称，如“综合窗口”。")]
    if data.window is not None and data.window.unit_id != unit.pk:
        errors["window"] = [_("所选窗口不属于本服务点。")]
    errors.update(
        _check_range(data.slot_minutes, 10, 240, "slot_minutes", _("时段长度应在 10 到 240 分钟之间。"))
    )
    errors.update(_check_range(data.capacity, 1, 50, "capacity", _("每时段名额应在 1 到 50 之间。")))
    errors.update(_check_range(data.days_ahead, 1, 60, "days_ahead", _("开放预约天数应在 1 到 60 天之间。")))
    errors.update(
        _check_range(
            data.min_notice_hours, 0, 168, "min_notice_hours", _("最少提前时间应在 0 到 168 小时之间。")
        )
    )
    errors.update(
        _check_range(
            data.cancel_cutoff_hours,
            0,
            72,
            "cancel_cutoff_hours",
            _("取消、改约截止时间应在 0 到 72 小时之间。"),
        )
    )
    errors.update(
        _check_range(data.makeup_weekday, 0, 4, "makeup_weekday", _("调休上班日应按星期一至星期五之一排班。"))
    )
    try:
        items = _clean_items(unit, data.service_items)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        items = []
    if errors:
        raise ValidationError(errors)
    if schedule_id is None:
        schedule = Schedule(unit=unit)
        before: dict[str, Any] = {}
    else:
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id, unit=unit)
        before = audit.snapshot(schedule, SCHEDULE_AUDITED)
    schedule.name = name
    schedule.window = data.window
    schedule.slot_minutes = data.slot_minutes
    schedule.capacity = data.capacity
    schedule.days_ahead = data.days_ahead
    schedule.min_notice_hours = data.min_notice_hours
    schedule.cancel_cutoff_hours = data.cancel_cutoff_hours
    schedule.makeup_weekday = data.makeup_weekday
    schedule.is_active = data.is_active
    schedule.save()
    schedule.service_items.set(items)
    diff = audit.changes(before, audit.snapshot(schedule, SCHEDULE_AUDITED))
    if schedule_id is None or diff[1]:
        audit.record(
            "frontdesk.create_schedule" if schedule_id is None else "frontdesk.update_schedule",
            actor=actor,
            target=schedule,
            unit=unit,
            diff=audit.created(diff[1]) if schedule_id is None else diff,
        )
    slots.derive_slots(schedule.pk, today=today)
    return schedule


def _audit_schedule_part(
    code: str, row: WeeklyRule | ScheduleException, schedule: Schedule, actor: User | None, **kwargs: Any
) -> None:
    audit.record(
        code,
        actor=actor,
        target=row,
        unit=schedule.unit_id,
        target_name=f"{schedule.unit.name} · {schedule.name} · {row}",
        **kwargs,
    )


def _lock_schedule(schedule_id: int, actor: User | None) -> Schedule:
    schedule = Schedule.objects.select_for_update(of=("self",)).select_related("unit").get(pk=schedule_id)
    if actor is not None:
        require_capability(actor, "frontdesk.manage_schedule", schedule.unit)
    return schedule


@transaction.atomic
def do_add_rule(
    schedule_id: int,
    *,
    actor: User | None,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    today: dt.date | None = None,
    derive: bool = True,
) -> WeeklyRule:
    """A weekly time range (e.g. 星期一 08:30–12:00), cut into the schedule's slots. ``derive=False`` when
    several rules are added in a row (the demo data): the caller derives the slots once at the end."""
    schedule = _lock_schedule(schedule_id, actor)
    if weekday not in range(5):
        raise _field_error(
            "weekday", _("每周时段只能设在星期一至星期五；周末服务请用“加开时段”。"), "bad_weekday"
        )
    _check_times(schedule, start_time, end_time)
    for rule in schedule.rules.filter(weekday=weekday):
        if start_time < rule.end_time and rule.start_time < end_time:
            raise _field_error("start_time", _("与已有时段 %(rule)s 重叠。") % {"rule": str(rule)}, "overlap")
    rule = WeeklyRule.objects.create(
        schedule=schedule, weekday=weekday, start_time=start_time, end_time=end_time
    )
    _audit_schedule_part(
        "frontdesk.add_rule", rule, schedule, actor, diff=audit.created(audit.snapshot(rule, RULE_AUDITED))
    )
    if derive:
        slots.derive_slots(schedule.pk, today=today)
    return rule


def _check_times(schedule: Schedule, start_time: dt.time | None, end_time: dt.time | None) -> None:
    if start_time is None or end_time is None:
        raise _field_error("start_time", _("请填写开始时间和结束时间。"), "no_times")
    if start_time >= end_time:
        raise _field_error("end_time", _("结束时间应晚于开始时间。"), "bad_times")
    minutes = (
        dt.datetime.combine(dt.date.min, end_time) - dt.datetime.combine(dt.date.min, start_time)
    ).seconds // 60
    if minutes < schedule.slot_minutes:
        raise _field_error(
            "end_time",
            _("时段太短：至少要容纳一个 %(n)s 分钟的预约时段。") % {"n": schedule.slot_minutes},
            "too_short",
        )


@transaction.atomic
def do_delete_rule(rule_id: int, *, actor: User | None, today: dt.date | None = None) -> None:
    """Remove a weekly range. Its future slots close; bookings already made in them stand."""
    rule = WeeklyRule.objects.select_related("schedule").get(pk=rule_id)
    schedule = _lock_schedule(rule.schedule_id, actor)
    # Recorded before the row goes, while it still has its primary key.
    _audit_schedule_part(
        "frontdesk.delete_rule", rule, schedule, actor, diff=audit.removed(audit.snapshot(rule, RULE_AUDITED))
    )
    rule.delete()
    slots.derive_slots(schedule.pk, today=today)


@transaction.atomic
def do_add_exception(
    schedule_id: int,
    *,
    actor: User | None,
    date: dt.date,
    kind: str,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> ScheduleException:
    """停止预约 on a date (the bookings already made for it are cancelled, and each person is told why), or
    加开时段 (extra hours) on a date, which may be a rest day: the admin chose it on purpose."""
    now = _now(now)
    today = timezone.localtime(now).date()
    schedule = _lock_schedule(schedule_id, actor)
    note = (note or "").strip()[:200]
    if kind not in ScheduleException.Kind.values:
        raise _field_error("kind", _("请选择例外类型。"), "bad_kind")
    if date < today:
        raise _field_error("date", _("不能为已经过去的日期设置例外。"), "past")
    existing = schedule.exceptions.filter(date=date)
    if existing.filter(kind=ScheduleException.Kind.CLOSED).exists():
        raise _field_error("date", _("该日已设为停止预约。"), "closed_already")
    if kind == ScheduleException.Kind.CLOSED:
        if not note:
            raise _field_error("note", _("请说明停止预约的原因，将告知已预约的群众。"), "no_note")
        exc = ScheduleException.objects.create(
            schedule=schedule, date=date, kind=kind, note=note, created_by=_staff(actor)
        )
        affected = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(slot__schedule=schedule, slot__date=date, status__in=Appointment.ACTIVE_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        cancelled = list(affected)
        for pk in cancelled:
            _cancel(
                pk,
                actor=actor,
                reason=_("服务点当日停止预约：%(note)s") % {"note": note},
                now=now,
                system=True,
            )
        audit_note = _("已取消当日 %(n)d 个预约并告知预约人。") % {"n": len(cancelled)} if cancelled else ""
    else:
        _check_times(schedule, start_time, end_time)
        assert start_time is not None and end_time is not None
        for other in existing.filter(kind=ScheduleException.Kind.EXTRA):
            if (
                other.start_time
                and other.end_time
                and start_time < other.end_time
                and other.start_time < end_time
            ):
                raise _field_error("start_time", _("与该日已加开的时段重叠。"), "overlap")
        exc = ScheduleException.objects.create(
            schedule=schedule,
            date=date,
            kind=kind,
            start_time=start_time,
            end_time=end_time,
            note=note,
            created_by=_staff(actor),
        )
        audit_note = ""
    _audit_schedule_part(
        "frontdesk.add_exception",
        exc,
        schedule,
        actor,
        diff=audit.created(audit.snapshot(exc, EXCEPTION_AUDITED)),
        note=audit_note,
    )
    slots.derive_slots(schedule.pk, today=today)
    return exc


@transaction.atomic
def do_delete_exception(exception_id: int, *, actor: User | None, today: dt.date | None = None) -> None:
    """Remove a closed day (its slots open again) or extra hours (their slots close; bookings stand)."""
    exc = ScheduleException.objects.get(pk=exception_id)
    schedule = _lock_schedule(exc.schedule_id, actor)
    _audit_schedule_part(
        "frontdesk.delete_exception",
        exc,
        schedule,
        actor,
        diff=audit.removed(audit.snapshot(exc, EXCEPTION_AUDITED)),
    )
    exc.delete()
    slots.derive_slots(schedule.pk, today=today)


# --------------------------------------------------------------------------------------------- booking


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
            user=user, status=S.NO_SHOW, slot__date__gt=today - dt.timedelta(days=window)
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
        status=S.PENDING if is_visit else S.BOOKED,
        channel=channel,
        idempotency_key=idempotency_key or None,
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
        appointment, E.BOOK, actor=user, now=now, old_status="", note=f"{slot.schedule.name} {slot.label}"
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
    old = check_transition(appointment, S.CANCELLED, _("取消"))
    appointment.status = S.CANCELLED
    appointment.cancelled_at = now
    appointment.cancel_reason = reason
    appointment.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _release_place(appointment.slot_id)
    event = _event(appointment, E.CANCEL, actor=actor, now=now, old_status=old, note=reason)
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
            _("该预约当前状态为“%(status)s”，不能改约。") % {"status": S(appointment.status).label},
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
        check_transition(appointment, S.PENDING, _("改约"))
        appointment.status = S.PENDING
        RemoteVisit.objects.filter(appointment=appointment).update(
            reviewed_by=None, reviewed_at=None, review_note=""
        )
    appointment.save(update_fields=["slot", "status", "reminder_sent_at", "updated_at"])
    event = _event(
        appointment,
        E.RESCHEDULE,
        actor=user,
        now=now,
        old_status=old,
        old_slot=old_slot,
        note=f"{old_slot.label} → {new.label}",
    )
    _notify(appointment, "appointment.rescheduled", event)
    return appointment


# --------------------------------------------------------------------------------------------- staff


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
    if old != S.PENDING:
        raise workflow.refuse(S(old).label, _("审核"), message=_refusal())
    if approve:
        if appointment.slot.ends_at <= now:
            raise ValidationError(_("该预约时段已过，不能审核通过。"), code="slot_past")
        appointment.status = S.BOOKED
    else:
        if not note:
            raise _field_error("note", _("请填写未通过审核的理由，将告知预约人。"), "no_note")
        appointment.status = S.REFUSED
        _release_place(appointment.slot_id)
    appointment.save(update_fields=["status", "updated_at"])
    RemoteVisit.objects.filter(appointment=appointment).update(
        reviewed_by=_staff(actor), reviewed_at=now, review_note=note
    )
    event = _event(
        appointment, E.APPROVE if approve else E.REFUSE, actor=actor, now=now, old_status=old, note=note
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
    if appointment.status == S.PENDING:
        raise InvalidTransition(_("该探视预约尚未审核通过，不能签到。"), code="not_approved")
    old = check_transition(appointment, S.CHECKED_IN, _("签到"))
    day = timezone.localtime(appointment.slot.starts_at).date()
    if timezone.localtime(now).date() != day:
        raise ValidationError(
            _("只能在预约当天签到（预约日期：%(date)s）。") % {"date": f"{day:%Y-%m-%d}"}, code="not_today"
        )
    appointment.status = S.CHECKED_IN
    appointment.checked_in_at = now
    appointment.checked_in_by = _staff(actor)
    appointment.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    note = _("到场较晚，撤销爽约标记。") if old == S.NO_SHOW else ""
    _event(appointment, E.CHECK_IN, actor=actor, now=now, old_status=old, note=note)
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
    old = check_transition(appointment, S.NO_SHOW, _("标记爽约"))
    if now < appointment.slot.ends_at:
        raise ValidationError(_("预约时段结束后才能标记爽约。"), code="too_early")
    appointment.status = S.NO_SHOW
    appointment.save(update_fields=["status", "updated_at"])
    _event(appointment, E.NO_SHOW, actor=actor, now=now, old_status=old)
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
    窗口, the point as intake unit), linked to the appointment. ``link_account`` (the clerk has checked the
    identity document) links the person to the booking account, so the matter shows in 我的事项. A resent form
    returns the matter made the first time."""
    from fawang.matters.actions import do_link_account, do_submit

    now = _now(now)
    appointment = _lock(appointment_id)
    if appointment.status == S.TAKEN_IN and appointment.matter_id is not None:
        assert appointment.matter is not None
        return appointment.matter
    if appointment.status == S.BOOKED:
        raise InvalidTransition(_("请先为预约人签到，再受理登记。"), code="not_checked_in")
    old = check_transition(appointment, S.TAKEN_IN, _("受理"))
    result = do_submit(
        actor=actor,
        person=person,
        requests=[request],
        channel=Channel.WINDOW,
        intake_unit=appointment.unit,
        idempotency_key=f"appointment:{appointment.pk}",
        now=now,
    )
    matter = result.matters[0]
    if link_account:
        do_link_account(matter.person_id, actor=actor, user=appointment.user, unit=appointment.unit)
    appointment.matter = matter
    appointment.status = S.TAKEN_IN
    appointment.save(update_fields=["matter", "status", "updated_at"])
    _event(appointment, E.TAKE_IN, actor=actor, now=now, old_status=old, note=matter.tracking_no)
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
        status=S.BOOKED, reminder_sent_at__isnull=True, slot__date=tomorrow
    ).values_list("pk", "slot_id")
    sent = []
    for pk, slot_id in list(due):
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, slot_id=slot_id, status=S.BOOKED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed != 1:
                continue
            appointment = Appointment.objects.select_related(
                "slot__schedule__window", "unit", "service_item", "user"
            ).get(pk=pk)
            event = _event(appointment, E.REMIND, actor=None, now=now, old_status=appointment.status)
            notices.to_person(
                appointment, "appointment.reminder", event, key=f"appointment:{pk}:reminder:{slot_id}"
            )
        sent.append(pk)
    return sent


def is_desk(user: Any, unit: Unit | None = None) -> bool:
    return has_capability(user, "frontdesk.desk", unit)
