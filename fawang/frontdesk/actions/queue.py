"""The queue at a service point: taking a number (取号), posting to a window (上岗), calling (叫号: next, recall,
skip, transfer, finish), taking the visitor's request in as a Matter, and the hall displays' links.

Tickets change by one transaction each, with a TicketEvent; postings and display links write an audit row.
Two windows calling at once never get the same ticket: a ticket is claimed by a conditional UPDATE on its
status (and the next candidate is tried if another window won). Numbers are given under a lock of the point's
row, so two kiosks never print the same number.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit import actions as audit
from fawang.catalog.models import BusinessLine, Channel
from fawang.matters import workflow
from fawang.orgs.models import Unit, Window
from fawang.orgs.roles import require_capability

from .. import limits, video
from ..models import Appointment, HallDisplay, MatterDesk, Posting, Service, Ticket, TicketEvent

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.actions import MatterRequest, PersonData
    from fawang.matters.models import Matter

TE = TicketEvent.Action
DESK = "frontdesk.desk"
MAX_PER_DAY = 999  # three digits on the ticket


def skip_return_after() -> int:
    """过号: the ticket is back after this many more calls of its service (FRONTDESK_SKIP_RETURN_AFTER, 3)."""
    return max(int(getattr(settings, "FRONTDESK_SKIP_RETURN_AFTER", 3)), 0)


def max_skips() -> int:
    """A ticket skipped more often than this is void (过号作废) (FRONTDESK_MAX_SKIPS, 2)."""
    return max(int(getattr(settings, "FRONTDESK_MAX_SKIPS", 2)), 1)


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def _event(
    ticket: Ticket, action: str, *, actor: User | None, now: dt.datetime, old: str, note: str = ""
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        window=ticket.window,
        actor=workflow.event_actor(actor),
        old_status=old,
        new_status=ticket.status,
        note=note[:200],
        created_at=now,
    )


def _lock_ticket(ticket_id: int) -> Ticket:
    return workflow.lock(
        Ticket.objects.select_related("unit", "window"), ticket_id, _("排队号不存在。"), "no_ticket"
    )


def _check(ticket: Ticket, new: str, verb: str) -> str:
    return workflow.check_table(
        Ticket.TRANSITIONS,
        ticket.status,
        new,
        verb=verb,
        status_label=Ticket.Status(ticket.status).label,
        message=_("该号当前状态为“%(status)s”，不能%(verb)s。"),
    )


def _require_desk(actor: User | None, unit: Unit) -> None:
    if actor is not None:
        if workflow.is_public(actor):
            raise PermissionDenied(_("您的岗位无权执行此操作。"))
        require_capability(actor, DESK, unit)


def open_posting(user: User, unit: Unit | None = None) -> Posting | None:
    """The user's current shift at a window (of ``unit``, if given)."""
    rows = Posting.objects.open().filter(user=user).select_related("window", "unit")
    if unit is not None:
        rows = rows.filter(unit=unit)
    return rows.first()


# --------------------------------------------------------------------------------------------- 取号


def service_for_line(line: str) -> str:
    """The queue a service item's business line goes to: legal aid and consultation have their own windows;
    everything else is taken in at 综合接待."""
    if line == BusinessLine.LEGAL_AID:
        return Service.LEGAL_AID
    if line == BusinessLine.CONSULTATION:
        return Service.CONSULTATION
    return Service.RECEPTION


@transaction.atomic
def do_issue_ticket(
    unit_id: int,
    *,
    service: str,
    priority: str = "",
    source: str = Ticket.Source.KIOSK,
    actor: User | None = None,
    appointment: Appointment | None = None,
    ip: str | None = None,
    video_call: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """取号 at a point: the next number of the day in the service's queue. ``actor`` None is the kiosk, whose
    client address ``ip`` is rate-limited (fawang.frontdesk.limits). ``video_call``: a walk-in at a village
    room's terminal asks for a video consultation (音频视频咨询): a 法律咨询 number with its own meeting room, which
    the consultant who calls it joins from the queue page and the person from the terminal or their phone."""
    now = workflow.now(now)
    unit = Unit.objects.select_for_update().filter(pk=unit_id).first()
    if unit is not None and source != Ticket.Source.KIOSK:
        _require_desk(actor, unit)
    if source == Ticket.Source.KIOSK:
        limits.check_kiosk(unit_id, ip, now)
    if unit is None or not unit.is_active or unit.kind not in Unit.SERVICE_POINT_KINDS:
        raise ValidationError(_("该服务点不提供现场取号。"), code="not_a_point")
    if video_call:
        service = Service.CONSULTATION
    if service not in Service.values:
        raise ValidationError({"service": _("请选择办理的业务。")}, code="service")
    if priority not in Ticket.Priority.values:
        raise ValidationError({"priority": _("请选择优先类别。")}, code="priority")
    if not unit.windows.filter(is_active=True).exists():
        raise ValidationError(_("该服务点暂未开设窗口，不能取号。"), code="no_windows")
    day = _today(now)
    last = Ticket.objects.filter(unit=unit, date=day, service=service).aggregate(m=Max("number"))["m"] or 0
    if last >= MAX_PER_DAY:
        raise ValidationError(_("今日该业务号已取完，请改日再来或咨询工作人员。"), code="sold_out")
    ticket = Ticket.objects.create(
        unit=unit,
        date=day,
        service=service,
        number=last + 1,
        priority=priority,
        source=source,
        appointment=appointment,
        token=secrets.token_urlsafe(18),
        issued_at=now,
        created_by=workflow.staff_actor(actor) if actor is not None else None,
        ip=ip if source == Ticket.Source.KIOSK else None,
        meeting_room=video.new_room_name() if video_call else "",
    )
    _event(
        ticket,
        TE.ISSUE,
        actor=actor,
        now=now,
        old="",
        note=" ".join(
            part
            for part in (
                str(Ticket.Priority(priority).label) if priority else "",
                str(_("视频咨询")) if video_call else "",
            )
            if part
        ),
    )
    return ticket


@transaction.atomic
def do_ticket_for_appointment(
    appointment_id: int, *, actor: User | None, now: dt.datetime | None = None
) -> Ticket:
    """A priority number for a checked-in appointment (预约优先), in the queue of its service item's line; a
    second request gives the same ticket."""
    now = workflow.now(now)
    appointment = workflow.lock(
        Appointment.objects.select_related("unit", "service_item"),
        appointment_id,
        _("预约不存在或已被删除。"),
        "no_appointment",
    )
    _require_desk(actor, appointment.unit)
    existing = Ticket.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if appointment.status != Appointment.Status.CHECKED_IN:
        raise ValidationError(_("请先为预约人签到，再取预约优先号。"), code="not_checked_in")
    return do_issue_ticket(
        appointment.unit_id,
        service=service_for_line(appointment.service_item.business_line),
        priority=Ticket.Priority.APPOINTMENT,
        source=Ticket.Source.APPOINTMENT,
        actor=actor,
        appointment=appointment,
        now=now,
    )


# --------------------------------------------------------------------------------------------- 上岗


@transaction.atomic
def do_post(window_id: int, *, actor: User, now: dt.datetime | None = None) -> Posting:
    """上岗: the actor takes a window for the shift (leaving the window they held, if any)."""
    now = workflow.now(now)
    window = Window.objects.select_for_update().select_related("unit").filter(pk=window_id).first()
    if window is None:
        raise ValidationError(_("窗口不存在。"), code="no_window")
    _require_desk(actor, window.unit)
    if not window.is_active:
        raise ValidationError(_("该窗口已停用，不能上岗。"), code="window_inactive")
    held = Posting.objects.open().filter(window=window).select_related("user").first()
    if held is not None:
        if held.user_id == actor.pk:
            return held
        raise ValidationError(
            _("%(window)s 已由 %(name)s 上岗，请对方离岗后再上岗。")
            % {"window": window, "name": held.user.display_name or held.user.get_username()},
            code="window_taken",
        )
    mine = Posting.objects.select_for_update().filter(user=actor, ended_at__isnull=True).first()
    if mine is not None:
        _end(mine, actor=actor, now=now)
    try:
        with transaction.atomic():
            posting = Posting.objects.create(unit=window.unit, window=window, user=actor, started_at=now)
    except IntegrityError:  # another clerk posted in the same instant
        raise ValidationError(_("该窗口刚刚已有人上岗。"), code="window_taken") from None
    audit.record(
        "frontdesk.post",
        actor=actor,
        target=posting,
        unit=window.unit,
        diff=audit.created({"window": str(window), "user": actor.get_username()}),
        now=now,
    )
    return posting


def _end(posting: Posting, *, actor: User, now: dt.datetime) -> None:
    posting.ended_at = now
    posting.ended_by = actor
    posting.save(update_fields=["ended_at", "ended_by"])
    audit.record(
        "frontdesk.end_posting",
        actor=actor,
        target=posting,
        unit=posting.unit_id,
        diff=({"ended_at": ""}, {"ended_at": timezone.localtime(now).isoformat(timespec="seconds")}),
        now=now,
    )


@transaction.atomic
def do_end_posting(posting_id: int, *, actor: User, now: dt.datetime | None = None) -> Posting:
    """离岗: the actor leaves, or a colleague of the point ends a shift left open."""
    now = workflow.now(now)
    posting = workflow.lock(
        Posting.objects.select_related("unit", "window"), posting_id, _("上岗记录不存在。"), "no_posting"
    )
    _require_desk(actor, posting.unit)
    if posting.ended_at is None:
        _end(posting, actor=actor, now=now)
    return posting


# --------------------------------------------------------------------------------------------- 叫号


def calls_today(unit_id: int, service: str, day: dt.date) -> int:
    """How many tickets of the service have been called (not recalled) at the point today."""
    return TicketEvent.objects.filter(
        action=TE.CALL, ticket__unit_id=unit_id, ticket__date=day, ticket__service=service
    ).count()


def queue_order() -> list[str | Combinable]:
    """The calling order: priority before ordinary, then by the time the number was taken."""
    return [
        Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField()),
        "issued_at",
        "pk",
    ]


def eligible(unit_id: int, service: str, day: dt.date, window_id: int | None = None) -> Q:
    """Tickets of the service that may be called now: waiting (not transferred to another window), or skipped and
    back (N calls after the skip)."""
    calls = calls_today(unit_id, service, day)
    waiting = Q(status=Ticket.Status.WAITING) & (Q(window__isnull=True) | Q(window_id=window_id))
    back = Q(status=Ticket.Status.SKIPPED, returns_at__lte=calls)
    return Q(unit_id=unit_id, date=day, service=service) & (waiting | back)


def _posted_at(actor: User, window: Window) -> Posting:
    posting = open_posting(actor)
    if posting is None or posting.window_id != window.pk:
        raise ValidationError(_("请先在 %(window)s 上岗，再叫号。") % {"window": window}, code="not_posted")
    return posting


def _services_of(window: Window) -> list[str]:
    """The queues a window serves, in turn: its own, and for 综合接待 then the others (一窗办多事)."""
    own = str(window.kind)
    if own == Service.RECEPTION:
        return [own, *[s for s in Service.values if s != own]]
    return [own]


@transaction.atomic
def do_call_next(window_id: int, *, actor: User, now: dt.datetime | None = None) -> Ticket | None:
    """叫下一位 at the actor's window: the ticket still being served there is finished first. None: nobody is
    waiting."""
    now = workflow.now(now)
    window = Window.objects.select_related("unit").filter(pk=window_id).first()
    if window is None:
        raise ValidationError(_("窗口不存在。"), code="no_window")
    _require_desk(actor, window.unit)
    _posted_at(actor, window)
    for current in Ticket.objects.filter(window=window, status=Ticket.Status.CALLED).values_list(
        "pk", flat=True
    ):
        _finish(current, actor=actor, now=now)
    day = _today(now)
    # Numbers transferred to this window come first (转窗口), then the window's queues in turn.
    sent_here = Ticket.objects.filter(
        unit_id=window.unit_id, date=day, status=Ticket.Status.WAITING, window=window
    )
    batches = [sent_here.order_by(*queue_order())]
    for service in _services_of(window):
        rows = Ticket.objects.filter(eligible(window.unit_id, service, day, window.pk))
        batches.append(rows.order_by(*queue_order()))
    for rows in batches:
        for candidate in rows.values_list("pk", "status", "first_called_at")[:5]:
            pk, old, first = candidate
            claimed = Ticket.objects.filter(pk=pk, status=old).update(
                status=Ticket.Status.CALLED,
                window=window,
                clerk=actor,
                called_at=now,
                first_called_at=first or now,
                returns_at=None,
            )
            if claimed == 1:
                ticket = Ticket.objects.select_related("window", "unit").get(pk=pk)
                _event(ticket, TE.CALL, actor=actor, now=now, old=old)
                return ticket
    return None


def _own_ticket(ticket_id: int, actor: User) -> Ticket:
    ticket = _lock_ticket(ticket_id)
    _require_desk(actor, ticket.unit)
    if ticket.status == Ticket.Status.CALLED and ticket.window is not None:
        _posted_at(actor, ticket.window)
    return ticket


@transaction.atomic
def do_recall(ticket_id: int, *, actor: User, now: dt.datetime | None = None) -> Ticket:
    """重呼: the display and the speaker call the number again."""
    now = workflow.now(now)
    ticket = _own_ticket(ticket_id, actor)
    if ticket.status != Ticket.Status.CALLED:
        raise workflow.refuse(
            Ticket.Status(ticket.status).label,
            _("重呼"),
            message=_("该号当前状态为“%(status)s”，不能%(verb)s。"),
        )
    _event(ticket, TE.RECALL, actor=actor, now=now, old=ticket.status)
    return ticket


@transaction.atomic
def do_skip(ticket_id: int, *, actor: User, now: dt.datetime | None = None) -> Ticket:
    """过号: the person did not come; the number is back after N more calls of its service, and void after the
    last allowed skip."""
    now = workflow.now(now)
    ticket = _own_ticket(ticket_id, actor)
    ticket.skips += 1
    void = ticket.skips > max_skips()
    old = _check(ticket, Ticket.Status.MISSED if void else Ticket.Status.SKIPPED, _("过号"))
    if void:
        ticket.status = Ticket.Status.MISSED
        ticket.finished_at = now
        ticket.returns_at = None
    else:
        ticket.status = Ticket.Status.SKIPPED
        ticket.returns_at = calls_today(ticket.unit_id, ticket.service, ticket.date) + skip_return_after()
    ticket.save(update_fields=["status", "skips", "returns_at", "finished_at"])
    _event(
        ticket,
        TE.MISS if void else TE.SKIP,
        actor=actor,
        now=now,
        old=old,
        note="" if void else _("%(n)s 位后回队") % {"n": skip_return_after()},
    )
    return ticket


@transaction.atomic
def do_transfer(ticket_id: int, *, actor: User, window_id: int, now: dt.datetime | None = None) -> Ticket:
    """转窗口: the person goes on to another window of the point, which calls them next."""
    now = workflow.now(now)
    ticket = _own_ticket(ticket_id, actor)
    target = Window.objects.filter(pk=window_id, unit=ticket.unit, is_active=True).first()
    if target is None:
        raise ValidationError({"window": _("请选择本服务点在用的其他窗口。")}, code="window")
    if target.pk == ticket.window_id:
        raise ValidationError({"window": _("请选择其他窗口。")}, code="same_window")
    old = _check(ticket, Ticket.Status.WAITING, _("转窗口"))
    ticket.status = Ticket.Status.WAITING
    ticket.window = target
    ticket.save(update_fields=["status", "window"])
    _event(ticket, TE.TRANSFER, actor=actor, now=now, old=old, note=str(target))
    return ticket


def _finish(ticket_id: int, *, actor: User, now: dt.datetime) -> Ticket:
    ticket = _lock_ticket(ticket_id)
    old = _check(ticket, Ticket.Status.DONE, _("办结"))
    ticket.status = Ticket.Status.DONE
    ticket.finished_at = now
    ticket.save(update_fields=["status", "finished_at"])
    _event(ticket, TE.FINISH, actor=actor, now=now, old=old)
    return ticket


@transaction.atomic
def do_finish(ticket_id: int, *, actor: User, now: dt.datetime | None = None) -> Ticket:
    """办结: the visitor leaves the window; the service time ends."""
    now = workflow.now(now)
    _own_ticket(ticket_id, actor)
    return _finish(ticket_id, actor=actor, now=now)


# --------------------------------------------------------------------------------------------- 受理


def record_desk(
    matter: Matter, *, actor: User, unit: Unit, now: dt.datetime, ticket: Ticket | None = None
) -> None:
    """岗位责任制: if the actor is posted at a window of ``unit``, the matter records that window and clerk."""
    posting = open_posting(actor, unit)
    if posting is None or MatterDesk.objects.filter(matter=matter).exists():
        return
    MatterDesk.objects.create(
        matter=matter, unit=unit, window=posting.window, clerk=actor, ticket=ticket, created_at=now
    )


def take_in_at_window(
    *,
    actor: User,
    person: PersonData,
    request: MatterRequest,
    unit: Unit,
    key: str,
    now: dt.datetime,
    ticket: Ticket | None = None,
    link_to: User | None = None,
) -> Matter:
    """A request taken in at the point's window: a Matter through the ordinary intake (do_submit, channel 窗口,
    ``unit`` the intake unit; ``key`` makes a resent form return the matter made the first time), the person
    linked to the account ``link_to`` (the clerk has checked the identity document), and the window and clerk
    recorded (record_desk)."""
    from fawang.matters.actions import do_link_account, do_submit

    result = do_submit(
        actor=actor,
        person=person,
        requests=[request],
        channel=Channel.WINDOW,
        intake_unit=unit,
        idempotency_key=key,
        now=now,
    )
    matter = result.matters[0]
    if link_to is not None:
        do_link_account(matter.person_id, actor=actor, user=link_to, unit=unit)
    record_desk(matter, actor=actor, unit=unit, now=now, ticket=ticket)
    return matter


@transaction.atomic
def do_take_in_ticket(
    ticket_id: int,
    *,
    actor: User,
    person: PersonData,
    request: MatterRequest,
    now: dt.datetime | None = None,
) -> Matter:
    """受理登记 for the ticket being served: a Matter through the ordinary intake (do_submit, channel 窗口, the
    point as intake unit) recording the window and the clerk; the ticket is finished. A resent form returns the
    matter made the first time."""
    now = workflow.now(now)
    ticket = _lock_ticket(ticket_id)
    _require_desk(actor, ticket.unit)
    require_capability(actor, "matters.intake", ticket.unit)
    if ticket.matter_id is not None:
        assert ticket.matter is not None
        return ticket.matter
    if ticket.status != Ticket.Status.CALLED or ticket.window is None:
        raise ValidationError(_("请先叫号，再为该号受理登记。"), code="not_called")
    _posted_at(actor, ticket.window)
    matter = take_in_at_window(
        actor=actor,
        person=person,
        request=request,
        unit=ticket.unit,
        key=f"ticket:{ticket.pk}",
        now=now,
        ticket=ticket,
    )
    ticket.matter = matter
    ticket.save(update_fields=["matter"])
    _event(ticket, TE.TAKE_IN, actor=actor, now=now, old=ticket.status, note=matter.tracking_no)
    _finish(ticket.pk, actor=actor, now=now)
    return matter


# --------------------------------------------------------------------------------------------- 大屏


@transaction.atomic
def do_add_display(
    unit_id: int, *, actor: User, name: str, notice: str = "", now: dt.datetime | None = None
) -> HallDisplay:
    """A link for a hall screen (its token is the only key; the page shows numbers and windows only)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError(_("服务点不存在。"), code="no_unit")
    require_capability(actor, "frontdesk.manage_hall", unit)
    if unit.kind not in Unit.SERVICE_POINT_KINDS:
        raise ValidationError(_("只有公共法律服务中心、工作站和工作室设置叫号大屏。"), code="not_a_point")
    name = (name or "").strip()[:40]
    if not name:
        raise ValidationError({"name": _("请填写大屏名称，如“一楼大厅”。")}, code="name")
    display = HallDisplay.objects.create(
        unit=unit,
        name=name,
        notice=(notice or "").strip()[:300],
        token=secrets.token_urlsafe(24),
        created_by=actor,
    )
    audit.record(
        "frontdesk.add_display",
        actor=actor,
        target=display,
        unit=unit,
        diff=audit.created({"name": display.name, "notice": display.notice}),
        now=now,
    )
    return display


@transaction.atomic
def do_revoke_display(display_id: int, *, actor: User, now: dt.datetime | None = None) -> HallDisplay:
    display = workflow.lock(
        HallDisplay.objects.select_related("unit"), display_id, _("大屏不存在。"), "no_display"
    )
    require_capability(actor, "frontdesk.manage_hall", display.unit)
    if display.is_active:
        display.is_active = False
        display.save(update_fields=["is_active"])
        audit.record(
            "frontdesk.revoke_display",
            actor=actor,
            target=display,
            unit=display.unit_id,
            diff=({"is_active": True}, {"is_active": False}),
            now=now,
        )
    return display


def waiting_counts(unit_id: int, day: dt.date) -> dict[str, int]:
    rows = (
        Ticket.objects.filter(
            unit_id=unit_id, date=day, status__in=(Ticket.Status.WAITING, Ticket.Status.SKIPPED)
        )
        .values("service")
        .annotate(n=Count("pk"))
    )
    return {row["service"]: row["n"] for row in rows}
