"""预约办理 for signed-in citizens, and 我的预约 at /me/appointments/.

Booking goes item → day → slot and reason → confirm, each step a plain GET link or form, so it works without
JavaScript (htmx only swaps the steps in place). The confirm step re-posts the same fields with ``confirm``; a
hidden key makes a resent confirmation return the first booking. A person sees only their own appointments
(``Appointment.objects.of_user``): another person's is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from fawang.accounts.public import account_nav, citizen_user, public_required
from fawang.catalog.models import BusinessLine, ServiceItem
from fawang.citizens.actions import has_real_name
from fawang.lib.errors import messages_of as _errors
from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.validators import mask_id_number
from fawang.matters.models import Matter

from . import actions, booking
from .access import get_own_appointment
from .forms import BookForm, PublicCancelForm
from .models import Appointment, RemoteVisit

BADGES: dict[str, str] = {
    Appointment.Status.PENDING: "badge-warn",
    Appointment.Status.BOOKED: "badge-ok",
    Appointment.Status.CHECKED_IN: "badge-info",
    Appointment.Status.TAKEN_IN: "badge-info",
    Appointment.Status.REFUSED: "badge-danger",
    Appointment.Status.CANCELLED: "badge-muted",
    Appointment.Status.NO_SHOW: "badge-danger",
}


def _parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _item(items: list[ServiceItem], raw: str) -> ServiceItem | None:
    return next((i for i in items if str(i.pk) == raw), None)


# --------------------------------------------------------------------------------------------- booking


@never_cache
@sensitive_post_parameters("id_number")
@public_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, unit_id: int) -> HttpResponse:
    """预约办理 at one service point."""
    user = citizen_user(request)
    unit = booking.get_bookable_unit(unit_id)
    if not has_real_name(user):
        messages.info(request, _("预约须先填写实名信息。"))
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.get_full_path()}))
    now = timezone.now()
    pause = actions.booking_pause(user, now)
    if pause is not None:
        return render(
            request,
            "frontdesk/book.html",
            {"unit": unit, "pause": pause, "portal_nav": account_nav(request)},
            status=200 if request.method == "GET" else 400,
        )
    items = booking.items_for(unit)
    params = request.POST if request.method == "POST" else request.GET
    item = _item(items, params.get("item", ""))
    context: dict[str, Any] = {"unit": unit, "items": items, "item": item, "portal_nav": account_nav(request)}
    if item is None:
        return render(request, "frontdesk/book.html", context)
    visit = item.business_line == BusinessLine.REMOTE_VISIT
    days = booking.open_days(unit, item, now)
    day = _parse_day(params.get("date", ""))
    if day is not None and day not in {d.date for d in days}:
        day = None
    context.update(days=days, day=day, visit=visit)
    if day is None:
        return render(request, "frontdesk/book.html", context)
    day_slots = booking.open_slots(unit, item, now, day=day)
    context["slots"] = day_slots
    if request.method != "POST":
        context["form"] = BookForm(visit=visit, auto_id="book_%s")
        return render(request, "frontdesk/book.html", context)

    form = BookForm(request.POST, visit=visit, auto_id="book_%s")
    context["form"] = form
    if not form.is_valid():
        return render(request, "frontdesk/book.html", context, status=400)
    d = form.cleaned_data
    slot = next((s for s in day_slots if s.pk == d["slot"]), None)
    if slot is None:
        form.add_error("slot", _("该时段已约满或已停止预约，请重新选择。"))
        return render(request, "frontdesk/book.html", context, status=400)
    visit_data = (
        actions.VisitData(
            prison=d["prison"], inmate_name=d["inmate_name"], relation=d["relation"], id_number=d["id_number"]
        )
        if visit
        else None
    )
    if "confirm" not in request.POST:
        context.update(
            confirming=True,
            slot=slot,
            visit_data=visit_data,
            id_masked=mask_id_number(d["id_number"].strip().upper()) if visit else "",
            relation_label=RemoteVisit.Relation(d["relation"]).label if visit else "",
        )
        return render(request, "frontdesk/book.html", context)
    try:
        result = actions.do_book(
            actor=user,
            slot_id=slot.pk,
            service_item=item,
            reason=d["reason"],
            visit=visit_data,
            idempotency_key=f"me:{user.pk}:book:{d['key']}" if d["key"] else None,
            now=now,
        )
    except (ValidationError, PermissionDenied) as error:
        _put_errors(form, error)
        context["slots"] = booking.open_slots(unit, item, now, day=day)
        return render(request, "frontdesk/book.html", context, status=400)
    appointment = result.appointment
    if result.created:
        if appointment.status == Appointment.Status.PENDING:
            messages.success(
                request,
                _("探视预约已提交，预约号 %(no)s。审核结果将通过短信通知您。") % {"no": appointment.number},
            )
        else:
            messages.success(request, _("预约成功，预约号 %(no)s。") % {"no": appointment.number})
    return redirect("appoint:detail", pk=appointment.pk)


# --------------------------------------------------------------------------------------------- my appointments


@never_cache
@public_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    rows = list(
        Appointment.objects.of_user(user)
        .select_related("slot__schedule__window", "unit", "service_item")
        .order_by("-slot__starts_at", "-pk")[:100]
    )
    now = timezone.now()
    for a in rows:
        a.badge = BADGES.get(a.status, "badge-info")  # type: ignore[attr-defined]
    upcoming = [a for a in rows if a.is_active and a.slot.ends_at > now]
    upcoming.reverse()
    past = [a for a in rows if a not in upcoming]
    return render(
        request,
        "frontdesk/my_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "pause": actions.booking_pause(user, now),
            "portal_nav": account_nav(request),
        },
    )


def _can_change(appointment: Appointment, now: dt.datetime) -> bool:
    cutoff = appointment.slot.starts_at - dt.timedelta(hours=appointment.slot.schedule.cancel_cutoff_hours)
    return appointment.is_active and now <= cutoff


def _detail(
    request: HttpRequest,
    appointment: Appointment,
    *,
    cancel_form: PublicCancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "frontdesk/my_detail.html",
        {
            "appointment": appointment,
            "badge": BADGES.get(appointment.status, "badge-info"),
            "events": appointment.events.select_related("old_slot", "new_slot").order_by("created_at", "pk"),
            "can_change": _can_change(appointment, now),
            "cutoff_hours": appointment.slot.schedule.cancel_cutoff_hours,
            "cancel_form": cancel_form or PublicCancelForm(auto_id="cancel_%s"),
            "visit": getattr(appointment, "remote_visit", None) if appointment.is_remote_visit else None,
            "matter_url": reverse("me:matter", args=[appointment.matter_id])
            if appointment.matter_id
            and Matter.objects.of_public_user(appointment.user).filter(pk=appointment.matter_id).exists()
            else "",
            "portal_nav": account_nav(request),
        },
        status=status,
    )


@never_cache
@public_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_own_appointment(citizen_user(request), pk))


@never_cache
@require_POST
@public_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = citizen_user(request)
    appointment = get_own_appointment(user, pk)
    form = PublicCancelForm(request.POST, auto_id="cancel_%s")
    if form.is_valid():
        try:
            actions.do_cancel(appointment.pk, actor=user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("预约已取消。"))
            return redirect("appoint:detail", pk=appointment.pk)
    return _detail(request, appointment, cancel_form=form, status=400)


@never_cache
@public_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """改约: another day and slot of the same point for the same item."""
    user = citizen_user(request)
    appointment = get_own_appointment(user, pk)
    now = timezone.now()
    if not _can_change(appointment, now):
        messages.error(request, _("该预约已不能改约。"))
        return redirect("appoint:detail", pk=appointment.pk)
    unit, item = appointment.unit, appointment.service_item
    params = request.POST if request.method == "POST" else request.GET
    days = booking.open_days(unit, item, now, exclude=appointment.slot_id)
    day = _parse_day(params.get("date", ""))
    if day is not None and day not in {d.date for d in days}:
        day = None
    context: dict[str, Any] = {
        "appointment": appointment,
        "days": days,
        "day": day,
        "portal_nav": account_nav(request),
    }
    if day is not None:
        context["slots"] = booking.open_slots(unit, item, now, day=day, exclude=appointment.slot_id)
    if request.method != "POST":
        return render(request, "frontdesk/reschedule.html", context)
    raw = params.get("slot", "")
    slot_id = int(raw) if raw.isdigit() and len(raw) < 12 else 0
    if not slot_id:
        context["error"] = _("请选择新的预约时段。")
        return render(request, "frontdesk/reschedule.html", context, status=400)
    try:
        actions.do_reschedule(appointment.pk, actor=user, slot_id=slot_id, now=now)
    except (ValidationError, PermissionDenied) as error:
        context["error"] = "".join(_errors(error))
        if day is not None:
            context["slots"] = booking.open_slots(unit, item, now, day=day, exclude=appointment.slot_id)
        return render(request, "frontdesk/reschedule.html", context, status=400)
    messages.success(request, _("已改约。"))
    return redirect("appoint:detail", pk=appointment.pk)
