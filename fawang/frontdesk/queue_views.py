"""The staff side of the queue (工作台 · 排队叫号): posting to a window, 叫下一位, recall, skip, transfer, finish,
taking the visitor's request in (the matter records the window and clerk), numbers for walk-ins and checked-in
appointments, today's waiting and service times, and the hall screens' links.

Rows come only from ``visible_to(user)`` (the same 404 for "missing" and "not yours"); every write is one action
call whose Chinese message is shown on the queue page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.lib.errors import put_errors as _put_errors
from fawang.matters.forms import IntakeForm, RequestForm
from fawang.matters.routing import NoRoute
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit, Window
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from . import hall
from .access import get_appointment_for_user
from .actions import queue as queue_actions
from .models import HallDisplay, Posting, Service, Ticket
from .models.queue import seconds_label

DESK = "frontdesk.desk"


def _denied() -> PermissionDenied:
    return PermissionDenied(_("您的岗位无权执行此操作。"))


def desk_points(user: User) -> QuerySet[Unit]:
    """Service points in the user's reach."""
    return (
        Unit.objects.visible_to(user)
        .service_points()
        .active()
        .select_related("region")
        .order_by("region_id", "name")
    )


def _get_window(user: User, pk: int) -> Window:
    return get_object_or_404(
        Window.objects.filter(unit_ids_filter(user, "unit_id")).select_related("unit"), pk=pk
    )


def _get_ticket(user: User, pk: int) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(user).select_related("unit", "window"), pk=pk)


def _queue_url(unit_id: int) -> str:
    return reverse("frontdesk:queue") + f"?unit={unit_id}"


def _done(request: HttpRequest, unit_id: int, perform: Any, message: str | Any) -> HttpResponse:
    """Run one action; its Chinese refusal goes on the queue page (PermissionDenied goes on to a 403)."""
    try:
        result = perform()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        text = message(result) if callable(message) else message
        if text:
            messages.success(request, text)
    return redirect(_queue_url(unit_id))


# --------------------------------------------------------------------------------------------- the page


@never_cache
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """排队叫号 at one point: my window, the current number, the queues, today's numbers and times."""
    user = staff_user(request)
    if not has_capability(user, DESK):
        raise _denied()
    points = desk_points(user)
    posting = queue_actions.open_posting(user)
    unit: Unit | None = None
    wanted = request.GET.get("unit", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        unit = get_object_or_404(points, pk=int(wanted))
    elif posting is not None:
        unit = posting.unit
    else:
        here = current_unit(request)
        unit = next((p for p in points if here is not None and p.pk == here.pk), None) or next(
            (p for p in points if has_capability(user, DESK, p)), None
        )
    context: dict[str, Any] = {"points": points, "unit": unit, "posting": posting}
    if unit is not None:
        if not has_capability(user, DESK, unit):
            raise _denied()
        context.update(_unit_context(user, unit, posting))
    return render(request, "frontdesk/queue/queue.html", context)


def _unit_context(user: User, unit: Unit, posting: Posting | None) -> dict[str, Any]:
    now = timezone.now()
    day = timezone.localtime(now).date()
    windows = list(unit.windows.filter(is_active=True).order_by("number"))
    held = {p.window_id: p for p in Posting.objects.open().filter(unit=unit).select_related("user")}
    mine = posting if posting is not None and posting.unit_id == unit.pk else None
    current = None
    if mine is not None:
        current = Ticket.objects.filter(window=mine.window, status=Ticket.Status.CALLED).first()
    tickets = list(
        Ticket.objects.filter(unit=unit, date=day)
        .select_related("window", "clerk")
        .order_by("issued_at", "pk")
    )
    queues = []
    for service in Service.values:
        rows = list(
            Ticket.objects.filter(queue_actions.eligible(unit.pk, service, day)).order_by(
                *queue_actions.queue_order()
            )
        )
        skipped = [
            t for t in tickets if t.service == service and t.status == Ticket.Status.SKIPPED and t not in rows
        ]
        queues.append({"label": Service(service).label, "service": service, "rows": rows, "skipped": skipped})
    finished = [t for t in tickets if t.status in (Ticket.Status.DONE, Ticket.Status.MISSED)]
    waits = [t.wait_seconds for t in tickets if t.wait_seconds is not None]
    serves = [t.service_seconds for t in finished if t.service_seconds is not None]
    return {
        "windows": [(w, held.get(w.pk)) for w in windows],
        "mine": mine,
        "current": current,
        "other_windows": [w for w in windows if mine is None or w.pk != mine.window_id],
        "queues": queues,
        "finished": [(t, seconds_label(t.wait_seconds), seconds_label(t.service_seconds)) for t in finished],
        "stats": {
            "issued": len(tickets),
            "finished": len(finished),
            "avg_wait": seconds_label(sum(waits) // len(waits)) if waits else "—",
            "avg_service": seconds_label(sum(serves) // len(serves)) if serves else "—",
        },
        "services": Service.choices,
        "priorities": Ticket.Priority.choices,
        "displays": HallDisplay.objects.filter(unit=unit, is_active=True),
        "can_manage_hall": has_capability(user, "frontdesk.manage_hall", unit),
        "can_intake": has_capability(user, "matters.intake", unit),
        "return_after": queue_actions.skip_return_after(),
    }


# --------------------------------------------------------------------------------------------- 上岗


@require_POST
@staff_required
def post_window(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    window = _get_window(user, pk)
    return _done(
        request,
        window.unit_id,
        lambda: queue_actions.do_post(window.pk, actor=user),
        _("已在 %(window)s 上岗。") % {"window": window},
    )


@require_POST
@staff_required
def end_posting(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    posting = get_object_or_404(Posting.objects.visible_to(user), pk=pk)
    return _done(
        request, posting.unit_id, lambda: queue_actions.do_end_posting(posting.pk, actor=user), _("已离岗。")
    )


# --------------------------------------------------------------------------------------------- 叫号


@require_POST
@staff_required
def call_next(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    window = _get_window(user, pk)

    def said(ticket: Ticket | None) -> str:
        if ticket is None:
            return _("当前没有等候的号。")
        return _("已叫 %(code)s 号。") % {"code": ticket.code}

    return _done(request, window.unit_id, lambda: queue_actions.do_call_next(window.pk, actor=user), said)


@require_POST
@staff_required
def ticket_recall(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    ticket = _get_ticket(user, pk)
    return _done(
        request,
        ticket.unit_id,
        lambda: queue_actions.do_recall(ticket.pk, actor=user),
        _("已重呼 %(code)s 号。") % {"code": ticket.code},
    )


@require_POST
@staff_required
def ticket_skip(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    ticket = _get_ticket(user, pk)

    def said(t: Ticket) -> str:
        if t.status == Ticket.Status.MISSED:
            return _("%(code)s 号已多次过号，作废。") % {"code": t.code}
        return _("%(code)s 号过号，%(n)s 位后回队。") % {
            "code": t.code,
            "n": queue_actions.skip_return_after(),
        }

    return _done(request, ticket.unit_id, lambda: queue_actions.do_skip(ticket.pk, actor=user), said)


@require_POST
@staff_required
def ticket_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    ticket = _get_ticket(user, pk)
    raw = request.POST.get("window", "")
    target = int(raw) if raw.isdigit() else 0
    return _done(
        request,
        ticket.unit_id,
        lambda: queue_actions.do_transfer(ticket.pk, actor=user, window_id=target),
        lambda t: _("%(code)s 号已转至 %(window)s。") % {"code": t.code, "window": t.window},
    )


@require_POST
@staff_required
def ticket_finish(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    ticket = _get_ticket(user, pk)
    return _done(
        request,
        ticket.unit_id,
        lambda: queue_actions.do_finish(ticket.pk, actor=user),
        _("%(code)s 号已办结。") % {"code": ticket.code},
    )


# --------------------------------------------------------------------------------------------- 取号


@require_POST
@staff_required
def ticket_issue(request: HttpRequest) -> HttpResponse:
    """窗口代取: a number for a walk-in who cannot use the kiosk (the unit is named in the form)."""
    user = staff_user(request)
    raw = request.POST.get("unit", "")
    if not raw.isdigit():
        raise Http404
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=int(raw))
    return _done(
        request,
        unit.pk,
        lambda: queue_actions.do_issue_ticket(
            unit.pk,
            service=request.POST.get("service", ""),
            priority=request.POST.get("priority", ""),
            source=Ticket.Source.DESK,
            actor=user,
        ),
        lambda t: _("已取号 %(code)s。") % {"code": t.code},
    )


@require_POST
@staff_required
def appointment_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """A priority number for a checked-in appointment."""
    user = staff_user(request)
    appointment = get_appointment_for_user(user, pk)
    return _done(
        request,
        appointment.unit_id,
        lambda: queue_actions.do_ticket_for_appointment(appointment.pk, actor=user),
        lambda t: _("已取预约优先号 %(code)s。") % {"code": t.code},
    )


# --------------------------------------------------------------------------------------------- 受理


@never_cache
@staff_required
def ticket_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """受理登记 for the number being served: the window intake form; the matter records the window and clerk."""
    user = staff_user(request)
    ticket = _get_ticket(user, pk)
    unit = ticket.unit
    require_capability(user, "matters.intake", unit)
    if ticket.matter_id:
        return redirect("matters:detail", pk=ticket.matter_id)
    root = unit.region_id[:4] if len(unit.region_id) >= 4 else unit.region_id
    ready = ticket.status == Ticket.Status.CALLED
    if request.method != "POST" or not ready:
        form = IntakeForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "channel": "window",
                "region": unit.region_id if len(unit.region_id) >= 6 else None,
            },
            region_root=root,
        )
        row = RequestForm(prefix="req", user=user)
        return _render_intake(request, ticket, form, row, ready)
    form = IntakeForm(request.POST, region_root=root)
    row = RequestForm(request.POST, prefix="req", user=user)
    if form.cascading or not (form.is_valid() and row.is_valid()):
        return _render_intake(request, ticket, form, row, ready, status=200 if form.cascading else 400)
    d = form.cleaned_data
    try:
        matter = queue_actions.do_take_in_ticket(
            ticket.pk,
            actor=user,
            person=form.person(),
            request=row.matter_request(d["region"]),
        )
    except ValidationError as error:
        _put_errors(form, error)
    except (NoRoute, PermissionDenied) as error:
        form.add_error(None, str(error))
    else:
        messages.success(request, _("已受理，受理编号 %(no)s。") % {"no": matter.tracking_no})
        return redirect("matters:detail", pk=matter.pk)
    return _render_intake(request, ticket, form, row, ready, status=400)


def _render_intake(
    request: HttpRequest,
    ticket: Ticket,
    form: IntakeForm,
    row: RequestForm,
    ready: bool,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "frontdesk/queue/intake.html",
        {"ticket": ticket, "form": form, "row": row, "ready": ready},
        status=status,
    )


# --------------------------------------------------------------------------------------------- 大屏


@require_POST
@staff_required
def display_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    return _done(
        request,
        unit.pk,
        lambda: queue_actions.do_add_display(
            unit.pk, actor=user, name=request.POST.get("name", ""), notice=request.POST.get("notice", "")
        ),
        lambda d: _("已新建大屏“%(name)s”，请在大厅电视的浏览器中打开其链接。") % {"name": d.name},
    )


@require_POST
@staff_required
def display_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    display = get_object_or_404(HallDisplay.objects.visible_to(user), pk=pk)
    return _done(
        request,
        display.unit_id,
        lambda: queue_actions.do_revoke_display(display.pk, actor=user),
        _("大屏链接已停用。"),
    )


def _hall_unit(request: HttpRequest, pk: int) -> Unit:
    user = staff_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    if not has_capability(user, DESK, unit):
        raise _denied()
    return unit


@never_cache
@staff_required
def hall_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall display, for the point's staff signed in (a TV uses a display link instead)."""
    unit = _hall_unit(request, pk)
    board_url = reverse("frontdesk:hall_board", args=[unit.pk])
    return render(
        request,
        "frontdesk/queue/hall.html",
        {"unit": unit, "board_url": board_url, "notice": "", "key": f"u{unit.pk}"},
    )


@never_cache
@staff_required
def hall_board(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _hall_unit(request, pk)
    return render(request, "frontdesk/queue/_board.html", hall.board(unit))


# --------------------------------------------------------------------------------------------- 全覆盖


@never_cache
@staff_required
def coverage(request: HttpRequest) -> HttpResponse:
    """三级实体平台全覆盖 for the counties the supervisor reaches, with the places each figure leaves out."""
    from . import coverage as network

    user = staff_user(request)
    if not has_capability(user, "matters.supervise"):
        raise _denied()
    counties = network.reachable_counties(user)
    wanted = request.GET.get("county", "")
    detail = None
    if wanted:
        county = next((c for c in counties if c.code == wanted), None)
        if county is None:
            raise Http404
        detail = network.county_coverage(county)
    rows = network.coverage_of(counties)
    return render(
        request,
        "frontdesk/coverage.html",
        {"rows": rows, "cities": network.city_totals(rows), "detail": detail},
    )
