"""The CTI endpoint: call events from a PBX or call-centre system (the push format in cti.py).

Not a staff or citizen endpoint: the caller is a telephone system, named by the token in the URL and, if it has
a secret, proved by an HMAC signature. Answers are JSON: 200 {"ok": true, "call": id, "duplicate": bool},
400 with the Chinese reason, 401 when the token or signature does not hold (nothing stored).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from fawang.matters.models import Matter
from fawang.matters.routing import NoRoute

from . import actions, cti, link
from .models import CtiSystem, HotlineQueue


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cti_event(request: HttpRequest, token: str) -> JsonResponse:
    """POST: one call event. GET (signed over its query string, like the link endpoint): the IVR menu and texts
    the centre set on its setup page, for the PBX to read."""
    now = timezone.now()
    body = request.body if request.method == "POST" else request.META.get("QUERY_STRING", "").encode()
    try:
        system = cti.authenticate(token, body, request.META, now)
    except cti.NotAuthenticated as exc:
        return JsonResponse({"ok": False, "detail": str(exc)}, status=401)
    if request.method == "GET":
        return JsonResponse({"ok": True, **ivr_menu(system)})
    try:
        if (request.content_type or "").startswith("multipart/"):
            data = {k.removesuffix("[]"): (v if k.endswith("[]") else v[-1]) for k, v in request.POST.lists()}
        else:
            data = cti.parse_body(body, request.content_type or "")
        event = cti.parse_event(data, now)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "detail": " ".join(exc.messages), "code": exc.code}, status=400)
    call, fresh = actions.ingest(system, event)
    return JsonResponse({"ok": True, "call": call.pk, "status": call.status, "duplicate": not fresh})


def ivr_menu(system: CtiSystem) -> dict[str, object]:
    settings = actions.centre_settings(system.unit_id)
    queues = HotlineQueue.objects.filter(unit_id=system.unit_id, is_active=True).order_by("digit", "pk")
    return {
        "centre": system.unit.name,
        "serviceHours": settings.service_hours,
        "welcome": settings.ivr_welcome,
        "afterHours": settings.ivr_after_hours,
        "callbackHours": settings.callback_hours,
        "menu": [{"digit": q.digit, "queue": q.name, "text": q.menu_text} for q in queues],
    }


@csrf_exempt
@require_http_methods(["GET", "POST"])
def link_event(request: HttpRequest, token: str) -> JsonResponse:
    """联动: an outside hotline's ticket system posts its ticket number or outcome of a hand-over, dispatches a
    ticket to us, or reads our reply to one (link.py). A GET is signed over its query string."""
    now = timezone.now()
    signed = request.body if request.method == "POST" else request.META.get("QUERY_STRING", "").encode()
    try:
        system = cti.authenticate(token, signed, request.META, now, purpose=CtiSystem.Purpose.LINK)
    except cti.NotAuthenticated as exc:
        return JsonResponse({"ok": False, "detail": str(exc)}, status=401)
    if request.method == "GET":
        answer = link.reply(system, request.GET.get("ticketNo", "").strip())
        if answer is None:
            return JsonResponse({"ok": False, "detail": _("没有该工单号的派单。")}, status=404)
        return JsonResponse({"ok": True, **answer})
    try:
        data = cti.parse_body(request.body, request.content_type or "")
        if str(data.get("event", "")) == "dispatch":
            ticket, fresh = link.dispatch(system, link.parse_dispatch(data))
            return JsonResponse(
                {"ok": True, "trackingNo": ticket.matter.tracking_no, "duplicate": not fresh},
                status=201 if fresh else 200,
            )
        event = link.parse(data)
        handover, fresh = link.apply(system, event)
    except NoRoute as exc:
        return JsonResponse({"ok": False, "detail": str(exc)}, status=400)
    except LookupError as exc:
        return JsonResponse({"ok": False, "detail": str(exc.args[0])}, status=404)
    except ValidationError as exc:
        code = 409 if exc.code == "closed" else 400
        return JsonResponse({"ok": False, "detail": " ".join(exc.messages), "code": exc.code}, status=code)
    status = Matter.objects.values_list("status", flat=True).get(pk=handover.matter_id)
    return JsonResponse({"ok": True, "matterStatus": status, "duplicate": not fresh})
