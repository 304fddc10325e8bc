"""Time limits of matters: the clock of each step, its pauses, and the worker scan that warns and escalates.

The clock. Each timed step (catalog.Step) has a limit on the service item; starting a step sets ``due_at``
(the limit from now, counted by fawang.calendar.workdays) and ``warn_at`` (the same at ``warn_share`` of the
limit). While the matter awaits materials or is suspended the clock stands still (法律援助: the time the
applicant takes to supplement materials is not the centre's); on resuming, both moments move later by the
working days (natural days for a limit in days) that passed while paused. The pause is counted in whole days,
as the limits themselves are: a pause begun and ended on the same day moves nothing.

The scan. ``scan_deadlines(now)`` finds running matters past ``warn_at`` or ``due_at`` and claims each with a
conditional UPDATE (``warned_at IS NULL`` -> now) in its own transaction, together with its event and
messages. Only the worker whose UPDATE changed the row acts, so two workers scanning at once never warn or
escalate the same matter twice: on PostgreSQL the second UPDATE waits for the first transaction's row lock,
then re-reads the row, finds ``warned_at`` set and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.calendar.workdays import (
    TimeUnit,
    add_workdays,
    deadline,
    is_workday,
    next_workday,
    workday_window,
    workdays_between,
)
from fawang.catalog.models import Step

from . import notices
from .models import Matter, MatterEvent
from .routing import supervising_unit

if TYPE_CHECKING:
    from fawang.accounts.models import User

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------- the clock


def limit_moments(
    start: dt.datetime, amount: int, unit: str, warn_share: float
) -> tuple[dt.datetime, dt.datetime]:
    """(due, warn) of a limit of ``amount`` ``unit`` from ``start``.

    Day limits warn at the end of the last whole day within the share (7 days at 0.8 -> end of day 5), so a
    warning never comes later than the share says; hour limits warn at the exact share.
    """
    due = deadline(start, amount, unit)
    if unit == TimeUnit.WORKHOURS:
        warn = deadline(start, amount * warn_share, unit)
    elif unit == TimeUnit.WORKDAYS:
        warn = deadline(start, math.floor(amount * warn_share), unit)
    else:
        # Natural days: the warning day moves back to the last working day before it, not forward like the
        # deadline (a warning due on Saturday must reach staff on Friday, not on the Monday it expires).
        first = timezone.localtime(start).date()
        day = first + dt.timedelta(days=math.floor(amount * warn_share))
        while day > first and not is_workday(day):
            day -= dt.timedelta(days=1)
        warn = workday_window(day)[1]
    return due, min(warn, due)


def start_step(matter: Matter, step: str, now: dt.datetime) -> None:
    """Start ``step``'s clock on ``matter`` (in memory; the action saves). An untimed step clears the clock."""
    matter.step = step
    matter.step_started_at = now
    matter.warned_at = None
    matter.escalated_at = None
    matter.escalated_to = None
    matter.clock_paused_at = None
    limit = matter.service_item.limit(step)
    if limit is None:
        matter.due_at = matter.warn_at = None
        return
    matter.due_at, matter.warn_at = limit_moments(now, limit[0], limit[1], matter.service_item.warn_share)


def next_step_after_accept(matter: Matter) -> str:
    return Step.ASSIGN if matter.service_item.assign_limit is not None else Step.COMPLETE


def stop_clock(matter: Matter) -> None:
    matter.step = ""
    matter.due_at = matter.warn_at = None
    matter.clock_paused_at = None


def pause_clock(matter: Matter, now: dt.datetime) -> None:
    if matter.clock_paused_at is None:
        matter.clock_paused_at = now


def shift_for_pause(
    moment: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime, unit: str
) -> dt.datetime:
    """``moment`` moved later by the days the clock stood still between ``paused_at`` and ``resumed_at``."""
    local = timezone.localtime(moment)
    if unit == TimeUnit.DAYS:
        days = (timezone.localtime(resumed_at).date() - timezone.localtime(paused_at).date()).days
        if days <= 0:
            return moment
        # A natural-day limit still ends on a working day (民法典 第二百零三条).
        day = next_workday(local.date() + dt.timedelta(days=days), include_today=True)
    else:
        days = workdays_between(paused_at, resumed_at)
        if days <= 0:
            return moment
        day = timezone.localtime(add_workdays(local, days)).date()
    return dt.datetime.combine(day, local.time(), tzinfo=local.tzinfo)


def resume_clock(matter: Matter, now: dt.datetime) -> None:
    paused_at = matter.clock_paused_at
    if paused_at is None:
        return
    matter.clock_paused_at = None
    matter.paused_total = (matter.paused_total or dt.timedelta()) + max(now - paused_at, dt.timedelta())
    limit = matter.service_item.limit(matter.step) if matter.step else None
    if limit is None:
        return
    unit = limit[1]
    if matter.due_at is not None:
        matter.due_at = shift_for_pause(matter.due_at, paused_at, now, unit)
    if matter.warn_at is not None:
        matter.warn_at = shift_for_pause(matter.warn_at, paused_at, now, unit)


# --------------------------------------------------------------------------------------------- the scan


@dataclass
class ScanResult:
    warned: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "warned": len(self.warned),
            "escalated": len(self.escalated),
            "withdrawn": len(self.withdrawn),
        }


def _load(pk: int) -> Matter:
    return Matter.objects.select_related("service_item", "unit", "person", "handler").get(pk=pk)


def warn(pk: int, now: dt.datetime) -> bool:
    """Claim and send the warning of one matter; False when it is not due or another worker took it."""
    with transaction.atomic():
        claimed = (
            Matter.objects.running()
            .filter(pk=pk, warned_at__isnull=True, warn_at__lte=now, clock_paused_at__isnull=True)
            .update(warned_at=now)
        )
        if claimed != 1:
            return False
        matter = _load(pk)
        event = MatterEvent.objects.create(
            matter=matter,
            action=MatterEvent.Action.WARN,
            old_status=matter.status,
            new_status=matter.status,
            note=_("%(step)s时限将于 %(due)s 届满。")
            % {"step": Step(matter.step).label if matter.step else "", "due": notices._when(matter.due_at)},
            payload={"step": matter.step, "due_at": matter.due_at.isoformat() if matter.due_at else None},
            created_at=now,
        )
        users = notices.handler_or_unit_staff(matter)
        body = _("%(ref)s的%(step)s时限将于 %(due)s 届满，请抓紧办理。") % {
            "ref": notices.staff_ref(matter),
            "step": Step(matter.step).label if matter.step else "",
            "due": notices._when(matter.due_at),
        }
        notices.to_staff(users, matter, "matter.warning", body, key=f"matter:{pk}:warning:{event.pk}")
    return True


def escalate(pk: int, now: dt.datetime) -> bool:
    """Claim one overdue matter and escalate it to the supervising bureau; False when another worker did."""
    with transaction.atomic():
        claimed = (
            Matter.objects.running()
            .filter(pk=pk, escalated_at__isnull=True, due_at__lte=now, clock_paused_at__isnull=True)
            .update(escalated_at=now)
        )
        if claimed != 1:
            return False
        matter = _load(pk)
        bureau = supervising_unit(matter.unit)
        if bureau is not None:
            Matter.objects.filter(pk=pk).update(escalated_to=bureau)
        step_label = Step(matter.step).label if matter.step else ""
        event = MatterEvent.objects.create(
            matter=matter,
            action=MatterEvent.Action.ESCALATE,
            old_status=matter.status,
            new_status=matter.status,
            old_unit=matter.unit,
            new_unit=matter.unit,
            note=_("%(step)s超过时限（%(due)s），已升级至%(bureau)s督办。")
            % {"step": step_label, "due": notices._when(matter.due_at), "bureau": bureau or _("主管单位")},
            payload={"automatic": True, "step": matter.step, "escalated_to": bureau.pk if bureau else None},
            created_at=now,
        )
        body = _("%(ref)s已超过%(step)s时限（%(due)s），请督办。") % {
            "ref": notices.staff_ref(matter),
            "step": step_label,
            "due": notices._when(matter.due_at),
        }
        users: list[User] = []
        if bureau is not None:
            users += notices.supervisors(bureau.pk)
        if matter.handler:
            users.append(matter.handler)
        notices.to_staff(users, matter, "matter.escalated", body, key=f"matter:{pk}:escalated:{event.pk}")
    return True


def scan_deadlines(now: dt.datetime | None = None, *, limit: int = 500) -> ScanResult:
    """One pass of the deadline worker: warnings, escalations, withdrawals of never-supplied materials.

    Safe to run in several processes at once (see the module docstring). ``limit`` bounds each kind of work
    per pass; the next pass picks up the rest.
    """
    from .actions import withdraw_if_never_supplied

    now = now or timezone.now()
    result = ScanResult()
    running = Matter.objects.running().filter(clock_paused_at__isnull=True)
    to_warn = list(
        running.filter(warned_at__isnull=True, warn_at__lte=now)
        .order_by("warn_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in to_warn:
        if warn(pk, now):
            result.warned.append(pk)
    to_escalate = list(
        running.filter(escalated_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in to_escalate:
        if escalate(pk, now):
            result.escalated.append(pk)
    never_supplied = list(
        Matter.objects.filter(status=Matter.Status.AWAITING_MATERIALS, materials_due_at__lte=now)
        .order_by("materials_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in never_supplied:
        if withdraw_if_never_supplied(pk, now=now):
            result.withdrawn.append(pk)
    if result.warned or result.escalated or result.withdrawn:
        logger.info("deadline scan: %s", result.as_dict())
    return result


# --------------------------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: int
    unit_name: str
    open: int
    overdue: int
    due_soon: int
    escalated: int
    paused: int

    @property
    def overdue_rate(self) -> float:
        return self.overdue / self.open if self.open else 0.0


def overdue_stats(user: Any, now: dt.datetime | None = None) -> list[UnitOverdue]:
    """Open matters the user can see, by current unit: how many are overdue, due soon, escalated, paused.

    One grouped query; units with the most overdue matters first.
    """
    now = now or timezone.now()
    running = Q(status__in=Matter.RUNNING_STATUSES)
    rows = (
        Matter.objects.visible_to(user)
        .open()
        .values("unit_id", "unit__name")
        .annotate(
            n_open=Count("pk"),
            n_overdue=Count("pk", filter=running & Q(due_at__lt=now)),
            n_due_soon=Count("pk", filter=running & Q(warn_at__lte=now, due_at__gte=now)),
            n_escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
            n_paused=Count("pk", filter=Q(clock_paused_at__isnull=False)),
        )
        .order_by("-n_overdue", "-n_due_soon", "unit__name")
    )
    return [
        UnitOverdue(
            r["unit_id"],
            r["unit__name"],
            r["n_open"],
            r["n_overdue"],
            r["n_due_soon"],
            r["n_escalated"],
            r["n_paused"],
        )
        for r in rows
    ]
