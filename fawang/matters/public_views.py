"""What the person sees: tracking a matter without an account (受理编号 + 短信验证码), the matter's page with
its timeline, supplying materials, rating (好差评), complaining, and the result notice as PDF.

Access to a matter's page comes from one of two doors, checked on every request (``_tracked``):
- a signed-in member of the public and their own matter (access.get_own_matter), acting as themselves;
- a browser session that verified a one-time code for that tracking number in the last
  ``MATTERS_TRACK_GRANT_MINUTES`` (30), acting as ``None`` (the code authenticated them, as a token does).
Anything else is a 404, the same for a number that does not exist and one that is not yours.

Writes go through actions: public_tracking (codes, online supply), do_rate, do_complain.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from fawang.accounts.models import User
from fawang.accounts.public import public_user
from fawang.lib.errors import messages_of as _errors
from fawang.lib.http import client_ip

from . import pdf, tracking
from .access import get_own_matter
from .actions import do_complain, do_rate
from .actions.public_tracking import (
    RateLimited,
    code_minutes,
    do_supply_materials_online,
    grant_minutes,
    request_tracking_code,
    show_codes,
    verify_tracking_code,
)
from .models import Evaluation, Matter
from .public_forms import ComplainForm, RateForm, StartForm, SupplyForm, VerifyForm
from .timeline import PUBLIC_STATUS_BADGES, STATUS_HINTS, timeline

GRANTS = "track_grants"  # session: {tracking_no: unix time the access ends}
DEV_CODES = "track_dev_codes"  # session, development only (show_codes): {tracking_no: code}


# --- access -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracked:
    matter: Matter
    actor: User | None  # the signed-in owner, or None for a session opened by a code
    own: bool
    grant_ends: float | None


def _grants(request: HttpRequest) -> dict[str, float]:
    now = time.time()
    grants = {no: ends for no, ends in (request.session.get(GRANTS) or {}).items() if ends > now}
    return grants


def _grant(request: HttpRequest, tracking_no: str) -> None:
    grants = _grants(request)
    grants[tracking_no] = time.time() + grant_minutes() * 60
    request.session[GRANTS] = grants


def _tracked(request: HttpRequest, tracking_no: str) -> Tracked:
    """The matter ``tracking_no`` if this request may see it (own matter, or a live code grant); else 404."""
    number = tracking.normalize(tracking_no)
    if not tracking.is_valid(number):
        raise Http404
    user = public_user(request)
    if user is not None:
        try:
            return Tracked(get_own_matter(user, number), user, True, None)
        except Http404:
            pass
    ends = _grants(request).get(number)
    if ends is None:
        raise Http404
    # The grant names exactly this tracking number, checked above: the look-up is the access check.
    matter = (
        Matter.objects.select_related("service_item", "unit", "person").filter(tracking_no=number).first()
    )
    if matter is None:
        raise Http404
    return Tracked(matter, None, False, ends)


# --- pages ------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the tracking number; a valid one gets a code sent (or, for an unknown number, the same answer)."""
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["no"]
            user = public_user(request)
            if user is not None:
                try:
                    get_own_matter(user, number)
                    return redirect("track:matter", tracking_no=number)
                except Http404:
                    pass
            try:
                sent = request_tracking_code(number, ip=client_ip(request))
            except ValidationError as error:
                form.add_error(None, error)
                status = 429 if isinstance(error, RateLimited) else 200
                return render(request, "track/start.html", {"form": form}, status=status)
            if sent.code is not None and show_codes():
                request.session[DEV_CODES] = {number: sent.code}
            else:
                request.session.pop(DEV_CODES, None)
            return redirect(reverse("track:verify") + "?" + _query(number, sent="1"))
    else:
        form = StartForm(initial={"no": request.GET.get("no", "")[:40]})
    return render(request, "track/start.html", {"form": form})


def _query(number: str, **extra: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"no": number, **extra})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code; a right one opens the matter's page in this browser session."""
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["no"]
            try:
                verify_tracking_code(number, form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                # A new session key on gaining access: a session id planted before cannot ride on it.
                request.session.cycle_key()
                _grant(request, number)
                request.session.pop(DEV_CODES, None)
                return redirect("track:matter", tracking_no=number)
        number = tracking.normalize(request.POST.get("no", ""))
    else:
        number = tracking.normalize(request.GET.get("no", ""))[:40]
        form = VerifyForm(initial={"no": number})
    dev_code = (request.session.get(DEV_CODES) or {}).get(number) if show_codes() else None
    return render(
        request,
        "track/verify.html",
        {
            "form": form,
            "number": number,
            "sent": request.GET.get("sent") == "1",
            "minutes": code_minutes(),
            "dev_code": dev_code,
        },
    )


def _page(
    request: HttpRequest,
    tracked: Tracked,
    *,
    supply_form: SupplyForm | None = None,
    rate_form: RateForm | None = None,
    complain_form: ComplainForm | None = None,
    status: int = 200,
) -> HttpResponse:
    matter = tracked.matter
    evaluation = Evaluation.objects.filter(matter=matter).first()
    materials = pdf.materials_request(matter) if matter.status == Matter.Status.AWAITING_MATERIALS else None
    done = matter.status in Matter.DONE_STATUSES
    context = {
        "matter": matter,
        "tracked": tracked,
        "tracking_display": tracking.display(matter.tracking_no),
        "status_hint": (
            _("已办结，感谢您的评价。") if evaluation is not None else STATUS_HINTS.get(matter.status, "")
        ),
        "status_badge": PUBLIC_STATUS_BADGES.get(matter.status, "badge-info"),
        "running": matter.status in Matter.RUNNING_STATUSES,
        "done": done,
        "timeline": timeline(matter),
        "materials": materials,
        "missing": (materials.payload or {}).get("missing", []) if materials else [],
        "supply_form": supply_form or (SupplyForm(auto_id="supply_%s") if materials else None),
        "evaluation": evaluation,
        "rate_form": rate_form or (RateForm(auto_id="rate_%s") if done and evaluation is None else None),
        "complain_form": complain_form
        or ComplainForm(auto_id="complain_%s", initial={"key": uuid.uuid4().hex}),
        "grant_minutes_left": max(int((tracked.grant_ends - time.time()) // 60), 1)
        if tracked.grant_ends
        else None,
    }
    return render(request, "track/matter.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def matter_page(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return _page(request, _tracked(request, tracking_no))


@never_cache
@require_POST
def supply(request: HttpRequest, tracking_no: str) -> HttpResponse:
    tracked = _tracked(request, tracking_no)
    form = SupplyForm(request.POST, request.FILES, auto_id="supply_%s")
    if form.is_valid():
        try:
            do_supply_materials_online(
                tracked.matter.pk,
                actor=tracked.actor,
                uploads=form.cleaned_data["uploads"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error("uploads", message)
        else:
            messages.success(request, _("补正材料已提交，办理机构将继续办理。"))
            return redirect("track:matter", tracking_no=tracked.matter.tracking_no)
    return _page(request, tracked, supply_form=form, status=400)


@never_cache
@require_POST
def rate(request: HttpRequest, tracking_no: str) -> HttpResponse:
    tracked = _tracked(request, tracking_no)
    form = RateForm(request.POST, auto_id="rate_%s")
    if form.is_valid():
        try:
            do_rate(
                tracked.matter.pk,
                actor=tracked.actor,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("track:matter", tracking_no=tracked.matter.tracking_no)
    return _page(request, tracked, rate_form=form, status=400)


@never_cache
@require_POST
def complain(request: HttpRequest, tracking_no: str) -> HttpResponse:
    tracked = _tracked(request, tracking_no)
    matter = tracked.matter
    form = ComplainForm(request.POST, auto_id="complain_%s")
    if form.is_valid():
        key = "".join(c for c in form.cleaned_data["key"] if c.isalnum())
        try:
            complaint = do_complain(
                actor=tracked.actor,
                person=matter.person,
                description=form.cleaned_data["description"],
                channel="web",
                about_matter=matter,
                # Scoped to this matter, so a replayed form (double click) makes one complaint and a key copied
                # from elsewhere can only ever return this person's own complaint.
                idempotency_key=f"track:{matter.pk}:complaint:{key}" if key else None,
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            if complaint.person_id == matter.person_id and not tracked.own:
                _grant(request, complaint.tracking_no)
            messages.success(
                request,
                _("投诉已提交，受理编号 %(no)s，由%(unit)s办理。")
                % {"no": tracking.display(complaint.tracking_no), "unit": complaint.unit.name},
            )
            return redirect("track:matter", tracking_no=matter.tracking_no)
    return _page(request, tracked, complain_form=form, status=400)


@require_http_methods(["GET"])
def result_pdf(request: HttpRequest, tracking_no: str) -> HttpResponse:
    """The 办结告知书 of the granted or own matter, once it is completed."""
    matter = _tracked(request, tracking_no).matter
    if not pdf.has_result(matter):
        raise Http404
    return pdf.pdf_response(pdf.result_pdf(matter, request), f"result-{matter.tracking_no}.pdf")
