"""Schedules (排班): a schedule, its weekly rules and its exceptions, each change audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.catalog.models import BusinessLine, ServiceItem
from fawang.orgs.models import Unit, Window
from fawang.orgs.roles import require_capability

from .. import slots
from ..models import (
    Appointment,
    Schedule,
    ScheduleException,
    WeeklyRule,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

from .base import (
    EXCEPTION_AUDITED,
    REMOTE_VISIT_FUNCTION,
    RULE_AUDITED,
    SCHEDULE_AUDITED,
    _field_error,
    _now,
    _staff,
)
from .booking import _cancel


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
    mode: str = Schedule.Mode.ONSITE


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
    if data.mode not in Schedule.Mode.values:
        errors["mode"] = [_("请选择预约方式。")]
    elif data.mode == Schedule.Mode.VIDEO and any(
        item.business_line == BusinessLine.REMOTE_VISIT for item in items
    ):
        # 监所远程探视 runs on the prison's own video system, reviewed first; not a consultation link.
        errors["mode"] = [_("监所远程探视不能设为视频咨询排班。")]
    if errors:
        raise ValidationError(errors)
    if schedule_id is None:
        schedule = Schedule(unit=unit)
        before: dict[str, Any] = {}
    else:
        schedule = Schedule.objects.select_for_update().get(pk=schedule_id, unit=unit)
        before = audit.snapshot(schedule, SCHEDULE_AUDITED)
    schedule.name = name
    schedule.mode = data.mode
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
