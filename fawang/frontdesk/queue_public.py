"""The queue's public pages, mounted at /queue/ (namespace ``queue``): the kiosk (自助取号) of a point, the printed
ticket (58/80 mm) with a QR code, the ticket's phone page (people ahead), and the hall display opened by its
link. None of them shows anything personal: a ticket is a number, a service and the kind of priority.

Who reaches what: the kiosk is open (it stands in the hall; a number commits nobody to anything); a ticket's pages
only by its unguessable token; the hall display only by a display link's token, which the point's admin makes and
revokes (the signed-in staff of the point use the console's copy)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fawang.lib.http import client_ip
from fawang.lib.sendlimits import RateLimited
from fawang.orgs.models import Unit

from . import hall
from .actions import queue as queue_actions
from .models import HallDisplay, Service, Ticket

KIOSK_PRIORITIES = (
    ("", _("普通")),
    (Ticket.Priority.ELDERLY, _("60 周岁以上老年人")),
    (Ticket.Priority.DISABLED, _("残疾人")),
    (Ticket.Priority.PREGNANT, _("孕妇")),
)


def _point(pk: int) -> Unit:
    return get_object_or_404(Unit.objects.service_points().active(), pk=pk)


@never_cache
def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """自助取号: large buttons, no typing; the number is printed and the phone page is a QR code away."""
    unit = _point(pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            ticket = queue_actions.do_issue_ticket(
                unit.pk,
                service=request.POST.get("service", ""),
                priority=request.POST.get("priority", ""),
                source=Ticket.Source.KIOSK,
                ip=client_ip(request),
                # A village room's terminal: a walk-in's video consultation with the consultant on duty.
                video_call=request.POST.get("video") == "1" and unit.kind == Unit.Kind.ROOM,
            )
        except ValidationError as e:
            error = " ".join(e.messages)
            status = 429 if isinstance(e, RateLimited) else 400
        else:
            return redirect("queue:print", token=ticket.token)
    waiting = queue_actions.waiting_counts(unit.pk, hall.board(unit)["now"].date())
    services = [(value, label, waiting.get(value, 0)) for value, label in Service.choices]
    return render(
        request,
        "frontdesk/queue/kiosk.html",
        {
            "unit": unit,
            "services": services,
            "priorities": KIOSK_PRIORITIES,
            "error": error,
            "phone_codes": _phone_codes(request, unit),
        },
        status=status,
    )


def _phone_codes(request: HttpRequest, unit: Unit) -> list[tuple[str, str]]:
    """What the terminal hands to the person's own phone by a QR code, so that nothing personal is typed on a
    shared screen: booking at this point, tracking a matter (number and SMS code), online applications with
    their materials uploaded from the phone."""
    targets = (
        (_("预约办理"), reverse("portal:unit_detail", args=[unit.pk])),
        (_("查询办理进度"), reverse("track:start")),
        (_("在线申请、上传材料"), reverse("apply:index")),
    )
    return [(label, hall.qr_data_uri(request.build_absolute_uri(path))) for label, path in targets]


def _ticket(token: str) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("unit", "window"), token=token)


def _ticket_context(request: HttpRequest, ticket: Ticket) -> dict[str, object]:
    return {
        "ticket": ticket,
        "ahead": hall.people_ahead(ticket),
        "until_back": hall.calls_until_back(ticket),
    }


@never_cache
def ticket_print(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket for a 58 or 80 mm thermal printer, with the QR code of its phone page."""
    ticket = _ticket(token)
    width = 80 if request.GET.get("width") == "80" else 58
    url = request.build_absolute_uri(reverse("queue:ticket", args=[ticket.token]))
    context = {**_ticket_context(request, ticket), "qr": hall.qr_data_uri(url), "url": url, "width": width}
    context["kiosk_url"] = reverse("queue:kiosk", args=[ticket.unit_id])
    return render(request, "frontdesk/queue/print.html", context)


@never_cache
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    """The phone page: my number, the people ahead, the numbers being called."""
    ticket = _ticket(token)
    context = _ticket_context(request, ticket)
    context["status_url"] = reverse("queue:ticket_status", args=[ticket.token])
    return render(request, "frontdesk/queue/ticket.html", context)


@never_cache
def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    return render(request, "frontdesk/queue/_ticket_status.html", _ticket_context(request, ticket))


def _display(token: str) -> HallDisplay:
    display = HallDisplay.objects.select_related("unit").filter(token=token, is_active=True).first()
    if display is None or not display.unit.is_active:
        raise Http404
    return display


@never_cache
def display(request: HttpRequest, token: str) -> HttpResponse:
    d = _display(token)
    return render(
        request,
        "frontdesk/queue/hall.html",
        {
            "unit": d.unit,
            "board_url": reverse("queue:board", args=[token]),
            "notice": d.notice,
            "key": f"d{d.pk}",
        },
    )


@never_cache
def board(request: HttpRequest, token: str) -> HttpResponse:
    d = _display(token)
    return render(request, "frontdesk/queue/_board.html", hall.board(d.unit))


@never_cache
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """便民箱 of a point: leave a suggestion (anonymous allowed), and read the answers the authors let publish."""
    from .actions import suggestions

    point = _point(pk)
    errors: dict[str, list[str]] = {}
    status = 200
    values = {"body": "", "name": "", "phone": "", "may_publish": False}
    # The page the form was sent from (a room's public page shows the box too): back there after success.
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = ""
    if request.method == "POST":
        values = {
            "body": request.POST.get("body", ""),
            "name": request.POST.get("name", ""),
            "phone": request.POST.get("phone", ""),
            "may_publish": request.POST.get("may_publish") == "1",
        }
        try:
            made = suggestions.do_suggest(
                point.pk,
                body=str(values["body"]),
                name=str(values["name"]),
                phone=str(values["phone"]),
                may_publish=bool(values["may_publish"]),
                ip=client_ip(request),
            )
        except ValidationError as e:
            errors = e.message_dict if hasattr(e, "error_dict") else {"__all__": e.messages}
            status = 429 if isinstance(e, RateLimited) else 400
        else:
            from django.contrib import messages

            messages.success(
                request,
                _("已收到您的意见，将由 %(unit)s 在 %(date)s 前答复。")
                % {"unit": made.unit.name, "date": f"{made.due_at:%Y-%m-%d}"},
            )
            return redirect(back or reverse("suggest:box", args=[point.pk]))
    from .models import Suggestion

    published = Suggestion.objects.filter(point=point).published().order_by("-answered_at")[:20]
    return render(
        request,
        "frontdesk/suggest.html",
        {"point": point, "errors": errors, "values": values, "published": published, "next": back},
        status=status,
    )
