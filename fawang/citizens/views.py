"""Public accounts at /me/: sign-in (and sign-up) by mobile number and a one-time code, real-name details,
"my matters" with the thread of each, and the online consultation.

A member of the public sees only their own matters (``Matter.objects.of_public_user``); anything else is a 404.
Matter pages reuse the public tracking page's pieces (timeline, status hints, rating form); supplying
materials, complaints and the result notice stay on the tracking page (``track:``), which already opens a
signed-in person's own matters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from fawang.accounts.middleware import mark_signed_in
from fawang.accounts.models import User
from fawang.accounts.public import account_nav, citizen_user, public_required, public_user
from fawang.apikit.models import ApiToken
from fawang.consult import threads
from fawang.consult.actions import do_resolve
from fawang.lib.errors import messages_of as _errors
from fawang.lib.http import client_ip
from fawang.lib.validators import mask_phone, validate_id_number
from fawang.matters import lines, pdf, tracking
from fawang.matters.actions import do_rate
from fawang.matters.actions.public_tracking import show_codes
from fawang.matters.models import Evaluation, Matter
from fawang.matters.public_forms import RateForm
from fawang.matters.routing import NoRoute
from fawang.matters.timeline import PUBLIC_STATUS_BADGES, STATUS_HINTS, timeline
from fawang.notify.models import Message

from . import actions, consent, my_matters
from .forms import AskForm, ClaimCodeForm, CodeForm, FollowUpForm, PhoneForm, ProfileForm
from .models import Consent, Profile

PHONE = "me_phone"  # session: the number a code was sent to
NEXT = "me_next"  # session: where to go after signing in
DEV_CODE = "me_dev_code"  # session, development only (show_codes)
AGREED = "me_agreed"  # session: the version of the 个人信息处理规则 agreed to at step 1 (consent.py)
PAGE_SIZE = 20
BACKEND = settings.AUTHENTICATION_BACKENDS[0]

View = Callable[..., HttpResponse]


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("me:home")


# --- sign-in ----------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number; a code is sent to it."""
    posted = request.method == "POST"
    raw_next = (request.POST if posted else request.GET).get("next", "")
    if public_user(request) is not None:
        return redirect(_safe_next(request, raw_next))
    # Only a same-site target is carried into the form, so the page never echoes a foreign address.
    context: dict[str, Any] = {
        "next": raw_next if _safe_next(request, raw_next) == raw_next else "",
        "notice_version": consent.NOTICE_VERSION,
    }
    form = PhoneForm(request.POST if posted else None)
    context["form"] = form
    if posted and form.is_valid():
        # Consent is the explicit "同意并获取验证码" (个人信息保护法 第十四条), to the rules as they stand now.
        if request.POST.get("agree") != consent.NOTICE_VERSION:
            context["consent_error"] = _("请阅读《个人信息处理规则》，同意后点击“同意并获取验证码”。")
            return render(request, "citizens/login.html", context, status=400)
        try:
            sent = actions.request_sign_in_code(form.cleaned_data["phone"], ip=client_ip(request))
        except ValidationError as error:
            form.add_error(None, error)
            status = 429 if isinstance(error, actions.RateLimited) else 200
            return render(request, "citizens/login.html", context, status=status)
        request.session[PHONE] = sent.phone
        request.session[NEXT] = _safe_next(request, raw_next)
        request.session[AGREED] = consent.NOTICE_VERSION
        if show_codes():
            request.session[DEV_CODE] = sent.code
        else:
            request.session.pop(DEV_CODE, None)
        return redirect("me:verify")
    return render(request, "citizens/login.html", context)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code; a right one signs in (creating the public account the first time)."""
    phone = request.session.get(PHONE)
    if not phone:
        messages.info(request, _("请先输入手机号码获取验证码。"))
        return redirect("me:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = actions.verify_sign_in_code(phone, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            next_url = request.session.get(NEXT) or reverse("me:home")
            agreed = request.session.get(AGREED) or consent.NOTICE_VERSION
            for key in (PHONE, NEXT, DEV_CODE, AGREED):
                request.session.pop(key, None)
            consent.do_give_consent(signed.user.pk, purpose=Consent.Purpose.PERSONAL, version=agreed)
            # login() gives the session a new key (session fixation) and drops whoever was signed in here.
            login(request, signed.user, backend=BACKEND)
            mark_signed_in(request)
            request.session.save()  # the new key, written now so /me/devices/ can name this browser
            actions.record_browser_session(
                signed.user,
                request.session.session_key or "",
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                ip=client_ip(request),
            )
            if signed.created:
                messages.success(request, _("注册成功，欢迎使用 12348 法网。请先填写实名信息。"))
                return redirect(reverse("me:profile") + "?" + urlencode({"next": next_url}))
            messages.success(request, _("登录成功。"))
            return redirect(next_url)
    return render(
        request,
        "citizens/verify.html",
        {
            "form": form,
            "phone_masked": mask_phone(phone),
            "minutes": actions.code_minutes(),
            "dev_code": request.session.get(DEV_CODE) if show_codes() else None,
        },
    )


@require_POST
@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    actions.end_browser_session(request.session.session_key)
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("portal:home")


# --- account ----------------------------------------------------------------------------------------------


@never_cache
@public_required
def home(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    profile = Profile.objects.filter(user=user).first()
    recent = Matter.objects.of_public_user(user).select_related("service_item").order_by("-submitted_at")[:5]
    return render(
        request,
        "citizens/home.html",
        {
            "account": user,
            "phone_masked": mask_phone(user.phone),
            "profile": profile,
            "real_name": actions.has_real_name(user),
            "recent": recent,
            "unread": Message.objects.inbox_of(user).filter(read_at__isnull=True).count(),
            "portal_nav": account_nav(request),
        },
    )


@never_cache
@sensitive_post_parameters("id_number")
@public_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    current = Profile.objects.filter(user=user).first()
    posted = request.POST if request.method == "POST" else None
    form = ProfileForm(posted, initial={"name": user.display_name})
    # The ID number needs the person's separate consent (个人信息保护法 第二十九条), asked until it is given.
    needs_consent = not consent.has_consent(user, Consent.Purpose.SENSITIVE)
    consent_form = consent.SensitiveConsentForm(posted) if needs_consent else None
    consent_ok = consent_form.is_valid() if consent_form is not None and posted is not None else True
    if not consent_ok and form.is_valid():
        # Say everything at once: a wrong number as well as the missing consent.
        try:
            validate_id_number(form.cleaned_data["id_number"].strip().upper())
        except ValidationError as error:
            form.add_error("id_number", error)
    if posted is not None and form.is_valid() and consent_ok:
        try:
            with transaction.atomic():
                if needs_consent:
                    consent.do_give_consent(user.pk, purpose=Consent.Purpose.SENSITIVE)
                actions.do_update_profile(
                    user.pk, name=form.cleaned_data["name"], id_number=form.cleaned_data["id_number"]
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("实名信息已保存。"))
            return redirect(_safe_next(request, request.GET.get("next", "")))
    return render(
        request,
        "citizens/profile.html",
        {
            "form": form,
            "consent_form": consent_form,
            "profile": current,
            "claimed": actions.claimed_person(user) is not None,
            "portal_nav": account_nav(request),
            "notice_version": consent.NOTICE_VERSION,
        },
        status=400 if form.errors or (consent_form is not None and consent_form.errors) else 200,
    )


CLAIM_SENT = _(
    "如该身份证号码在本平台登记过手机号码，验证码已发送至该号码（%(minutes)s 分钟内有效）。"
    "没有收到时，请携带身份证件到任一公共法律服务窗口，由工作人员核实后关联。"
)


@never_cache
@sensitive_post_parameters("code")
@public_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """认领档案: prove that the person record with the account's ID number is one's own, by a code sent to the
    mobile number on that record. Every answer is the same whether or not such a record exists."""
    user = citizen_user(request)
    if not actions.has_real_name(user):
        messages.info(request, _("请先填写实名信息。"))
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
    if actions.claimed_person(user) is not None:
        messages.info(request, _("您的身份证号码已与登记档案关联。"))
        return redirect("me:home")
    form = ClaimCodeForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    status = 200
    if request.method == "POST" and "send" in request.POST:
        try:
            actions.request_claim_code(user.pk, ip=client_ip(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 429 if isinstance(error, actions.RateLimited) else 400
        else:
            messages.info(request, CLAIM_SENT % {"minutes": actions.code_minutes()})
            return redirect("me:claim")
    elif request.method == "POST" and form.is_valid():
        try:
            actions.verify_claim_code(user.pk, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("关联成功，您在本平台登记的事项都显示在“我的事项”中。"))
            return redirect("me:matters")
    return render(
        request,
        "citizens/claim.html",
        {"form": form, "portal_nav": account_nav(request)},
        status=400 if form.errors else status,
    )


# --- my matters -------------------------------------------------------------------------------------------


def _own_matter(user: User, pk: int) -> Matter:
    """The person's own matter; another person's and a missing one are the same 404."""
    return get_object_or_404(
        Matter.objects.of_public_user(user).select_related("service_item", "unit", "region", "topic"), pk=pk
    )


@dataclass(slots=True)
class OwnMatterRow:
    """One entry of 我的事项: the matter and what its card shows besides."""

    matter: Matter
    status_badge: str  # badge class of the public status (PUBLIC_STATUS_BADGES)
    tracking_display: str  # the tracking number grouped for reading aloud (tracking.display)
    thread_state: (
        threads.ThreadState | None
    )  # a consultation's 待答复 / 已答复 / 已解决; None for other matters
    thread_badge: str
    unread_answers: int  # answers the person has not opened yet


@never_cache
@public_required
def matter_list(request: HttpRequest) -> HttpResponse:
    """我的事项, with a tab for 我的咨询 (``?kind=consultations``) showing each thread's state and new answers."""
    user = citizen_user(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in my_matters.KINDS else ""
    matters = my_matters.own_matters(user, kind=kind).select_related("service_item", "unit")
    page_obj = Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page"))
    matters_on_page = list(page_obj)
    states = threads.states(matters_on_page)
    unread = my_matters.unread_answers(user, states)
    rows = []
    for matter in matters_on_page:
        state = states.get(matter.pk)
        rows.append(
            OwnMatterRow(
                matter=matter,
                status_badge=PUBLIC_STATUS_BADGES.get(matter.status, "badge-info"),
                tracking_display=tracking.display(matter.tracking_no),
                thread_state=state,
                thread_badge=threads.BADGES.get(state, "") if state else "",
                unread_answers=unread.get(matter.pk, 0),
            )
        )
    base = reverse("me:matters")
    tabs = [{"label": _("全部"), "url": base, "active": not kind}] + [
        {"label": label, "url": base + "?" + urlencode({"kind": code}), "active": kind == code}
        for code, label in my_matters.KINDS.items()
    ]
    return render(
        request,
        "citizens/matter_list.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "kind": kind,
            "heading": my_matters.KINDS[kind] if kind else _("我的事项"),
            "tabs": tabs,
            "portal_nav": account_nav(request),
        },
    )


def _matter_page(
    request: HttpRequest,
    matter: Matter,
    *,
    followup_form: FollowUpForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    evaluation = Evaluation.objects.filter(matter=matter).first()
    done = matter.status in Matter.DONE_STATUSES
    consultation = threads.is_consultation(matter)
    thread = threads.thread(matter)
    state = thread.state if consultation else None
    resolved = state == threads.ThreadState.RESOLVED
    return render(
        request,
        "citizens/matter_detail.html",
        {
            "consultation": consultation,
            "thread_state": state,
            "thread_badge": threads.BADGES.get(state, "") if state else "",
            "can_resolve": thread.can_resolve,
            "resolved": resolved,
            "legal_basis": matter.legal_basis(),
            "matter": matter,
            "tracking_display": tracking.display(matter.tracking_no),
            "status_badge": PUBLIC_STATUS_BADGES.get(matter.status, "badge-info"),
            "status_hint": _("已办结，感谢您的评价。")
            if evaluation is not None
            else STATUS_HINTS.get(matter.status, ""),
            "timeline": timeline(matter),
            "done": done,
            "has_result": pdf.has_result(matter),
            "awaiting_materials": matter.status == Matter.Status.AWAITING_MATERIALS,
            "evaluation": evaluation,
            # A confirmed (已解决) consultation takes no more follow-ups; a refused one still shows its error.
            "followup_form": followup_form or (None if resolved else FollowUpForm(auto_id="followup_%s")),
            "rate_form": rate_form or (RateForm(auto_id="rate_%s") if done and evaluation is None else None),
            "portal_nav": account_nav(request),
            # The business lines' cards for the person (matters.lines), e.g. legal aid's decision notices.
            "line_panels": [
                render_to_string(template, context, request=request)
                for template, context in lines.public_panels(request.user, matter)
                if context
            ],
        },
        status=status,
    )


@never_cache
@public_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = citizen_user(request)
    matter = _own_matter(user, pk)
    my_matters.read_answers(user, matter)
    return _matter_page(request, matter)


@never_cache
@require_POST
@public_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """追问: a comment by the person on their own matter, shown to the handling unit (``do_comment``)."""
    user = citizen_user(request)
    matter = _own_matter(user, pk)
    form = FollowUpForm(request.POST, auto_id="followup_%s")
    if form.is_valid():
        try:
            actions.do_follow_up(matter.pk, actor=user, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error("text", message)
        else:
            messages.success(request, _("追问已提交，工作人员将在本页答复。"))
            return redirect("me:matter", pk=matter.pk)
    return _matter_page(request, matter, followup_form=form, status=400)


@never_cache
@require_POST
@public_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = citizen_user(request)
    matter = _own_matter(user, pk)
    form = RateForm(request.POST, auto_id="rate_%s")
    if form.is_valid():
        try:
            do_rate(
                matter.pk, actor=user, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("me:matter", pk=matter.pk)
    return _matter_page(request, matter, rate_form=form, status=400)


@never_cache
@require_POST
@public_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """已解决: the person confirms the answers solved their consultation (``do_resolve``)."""
    user = citizen_user(request)
    matter = _own_matter(user, pk)
    try:
        do_resolve(matter.pk, actor=user)
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
        return _matter_page(request, _own_matter(user, pk), status=400)
    messages.success(request, _("感谢您的确认，本次咨询已办结。欢迎您对本次服务作出评价。"))
    return redirect("me:matter", pk=matter.pk)


# --- online consultation ----------------------------------------------------------------------------------


@never_cache
@public_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    if not actions.has_real_name(user):
        messages.info(request, _("在线咨询须先填写实名信息。"))
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
    form = AskForm(request.POST if request.method == "POST" else None, auto_id="ask_%s")
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.do_ask(
                actor=user,
                question=form.cleaned_data["question"],
                region=form.cleaned_data["region"],
                topic=form.cleaned_data["topic"],
                key=form.cleaned_data["key"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                form.add_error(None, message)
        except NoRoute as error:
            # No unit at any level of the region (the platform does not serve it yet): say so, keep the text.
            form.add_error(None, _("%(why)s您可以拨打 12348 热线咨询。") % {"why": error})
        else:
            matter = result.matters[0]
            if result.created:
                messages.success(
                    request,
                    _("咨询已提交，受理编号 %(no)s，由%(unit)s答复。")
                    % {"no": tracking.display(matter.tracking_no), "unit": matter.unit.name},
                )
            return redirect("me:matter", pk=matter.pk)
    return render(
        request,
        "citizens/ask.html",
        {"form": form, "portal_nav": account_nav(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@public_required
def devices(request: HttpRequest) -> HttpResponse:
    """Where the account is signed in: this browser, and every app holding a live token, each with 退出."""
    user = citizen_user(request)
    tokens = ApiToken.objects.live().filter(user=user).order_by("-last_used_at", "-created_at")
    here = request.session.session_key
    # (browser session, whether it is this browser)
    browsers = [(row, row.session_key == here) for row in actions.live_browser_sessions(user)]
    return render(
        request,
        "citizens/devices.html",
        {"tokens": tokens, "browsers": browsers, "portal_nav": account_nav(request)},
    )


@public_required
@require_POST
def browser_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    user = citizen_user(request)
    here = request.session.session_key
    ended = actions.do_sign_out_browser(user.pk, pk)
    if ended is None:
        messages.info(request, _("该浏览器已经退出登录。"))
    elif ended.session_key == here:
        # This browser: signing out gives it a fresh, empty session (the old one must not be saved back).
        logout(request)
        messages.info(request, _("您已安全退出。"))
        return redirect("portal:home")
    else:
        messages.success(request, _("已退出该浏览器上的登录。"))
    return redirect("me:devices")


@public_required
@require_POST
def device_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    user = citizen_user(request)
    if actions.do_sign_out_device(user.pk, pk):
        messages.success(request, _("已退出该设备上的登录，它需要重新登录才能使用。"))
    else:
        messages.info(request, _("该设备已经退出登录。"))
    return redirect("me:devices")
