"""The self-service terminal (自助终端) of a service point, beyond 自助取号 (queue_public.kiosk): booking, tracking a
matter by ID card number + tracking number, and uploading materials from the person's own phone by a QR code.

A layout over the existing flows, not new ones: booking reads the slots of fawang.frontdesk.booking and hands the
chosen day to the portal's booking page (appoint:book) on the person's phone, where they sign in with their real
name (nobody signs in on a shared screen); tracking shows the matter's public timeline (fawang.matters.timeline);
the phone's upload goes through the matters' supply/attach actions with the portal's checks (type by content,
size). Every page of the terminal returns to the terminal's home after FRONTDESK_KIOSK_IDLE_SECONDS (60) without a
touch, replacing itself in the history, and is never cached, so nothing personal stays on the screen.

Mounted in queue_urls (namespace ``queue``): the terminal's pages open like 自助取号 (it stands in the hall); the
hand-off's status and the phone's page only by the link's unguessable token."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from fawang.lib.http import client_ip
from fawang.lib.sendlimits import RateLimited
from fawang.matters import tracking
from fawang.matters.models import Matter
from fawang.matters.public_forms import SupplyForm
from fawang.matters.timeline import timeline
from fawang.orgs.models import Unit

from . import booking, hall
from .actions import kiosk as ka
from .models import UploadHandoff


def idle_seconds() -> int:
    return max(int(getattr(settings, "FRONTDESK_KIOSK_IDLE_SECONDS", 60)), 5)


def _point(pk: int) -> Unit:
    return get_object_or_404(Unit.objects.service_points().active(), pk=pk)


def _context(unit: Unit, **extra: object) -> dict[str, object]:
    return {
        "unit": unit,
        "home": reverse("queue:kiosk", args=[unit.pk]),
        "idle": idle_seconds(),
        **extra,
    }


@never_cache
@require_GET
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """预约办理 on the terminal: the item, then the day, by touch; the QR code opens the portal's booking page for
    that item and day on the person's phone."""
    unit = _point(pk)
    bookable = unit.pk in booking.bookable_unit_ids([unit.pk])
    items = booking.items_for(unit) if bookable else []
    item = next((i for i in items if str(i.pk) == request.GET.get("item", "")), None)
    now = timezone.now()
    days = booking.open_days(unit, item, now) if item is not None else []
    day = next((d for d in days if d.date.isoformat() == request.GET.get("date", "")), None)
    qr = target = ""
    if item is not None and day is not None:
        path = (
            reverse("appoint:book", args=[unit.pk])
            + "?"
            + urlencode({"item": str(item.pk), "date": day.date.isoformat()})
        )
        target = request.build_absolute_uri(path)
        qr = hall.qr_data_uri(target)
    return render(
        request,
        "frontdesk/kiosk/book.html",
        _context(
            unit, bookable=bookable, items=items, item=item, days=days[:14], day=day, qr=qr, qr_target=target
        ),
    )


@never_cache
@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, pk: int) -> HttpResponse:
    """查询办理进度: ID card number and tracking number; the answer is this response only (nothing in the session)."""
    unit = _point(pk)
    errors: dict[str, list[str]] = {}
    status = 200
    tracking_no = ""
    if request.method == "POST":
        tracking_no = request.POST.get("tracking_no", "")[:40]
        ip = client_ip(request)
        try:
            matter = ka.do_kiosk_lookup(
                unit.pk, id_number=request.POST.get("id_number", "")[:40], tracking_no=tracking_no, ip=ip
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            status = 429 if isinstance(error, RateLimited) else 400
        else:
            if matter is None:
                errors = {"__all__": [_("未查到该事项：请核对身份证号码和受理编号。")]}
                status = 404
            else:
                return _result(request, unit, matter, ip)
    # The ID number is never sent back into the form: a refused attempt leaves it on no screen.
    return render(
        request,
        "frontdesk/kiosk/track.html",
        _context(unit, errors=errors, tracking_no=tracking_no),
        status=status,
    )


def _result(request: HttpRequest, unit: Unit, matter: Matter, ip: str | None) -> HttpResponse:
    handoff = None
    qr = ""
    if matter.status in ka.UPLOAD_STATUSES:
        handoff = ka.do_open_handoff(matter.pk, unit_id=unit.pk, ip=ip)
        qr = hall.qr_data_uri(request.build_absolute_uri(reverse("queue:upload", args=[handoff.token])))
    return render(
        request,
        "frontdesk/kiosk/result.html",
        _context(
            unit,
            matter=matter,
            tracking_display=tracking.display(matter.tracking_no),
            timeline=timeline(matter),
            handoff=handoff,
            qr=qr,
            minutes=ka.handoff_minutes(),
        ),
    )


def _handoff(token: str) -> UploadHandoff:
    handoff = UploadHandoff.objects.select_related("matter__service_item", "unit").filter(token=token).first()
    if handoff is None:
        raise Http404
    return handoff


@never_cache
@require_GET
def handoff_status(request: HttpRequest, token: str) -> HttpResponse:
    """What the terminal polls while its QR code is shown: waiting, arrived (how many files), or expired."""
    handoff = _handoff(token)
    expired = handoff.used_at is None and handoff.expires_at <= timezone.now()
    return render(request, "frontdesk/kiosk/_handoff.html", {"handoff": handoff, "expired": expired})


@never_cache
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, token: str) -> HttpResponse:
    """The phone's page behind the terminal's QR code: the portal's upload form, once."""
    handoff = _handoff(token)
    now = timezone.now()
    form = SupplyForm(auto_id="supply_%s")
    status = 200
    if request.method == "POST":
        form = SupplyForm(request.POST, request.FILES, auto_id="supply_%s")
        if form.is_valid():
            try:
                handoff = ka.do_handoff_upload(
                    token, uploads=form.cleaned_data["uploads"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("uploads", message)
            else:
                return render(
                    request, "frontdesk/kiosk/upload.html", _upload_context(handoff, now, form, True)
                )
        status = 400
    return render(
        request, "frontdesk/kiosk/upload.html", _upload_context(handoff, now, form, False), status=status
    )


def _upload_context(
    handoff: UploadHandoff, now: dt.datetime, form: SupplyForm, done: bool
) -> dict[str, object]:
    return {
        "handoff": handoff,
        "form": form,
        "done": done,
        "live": handoff.used_at is None and handoff.expires_at > now,
        "tracking_display": tracking.display(handoff.matter.tracking_no),
    }
