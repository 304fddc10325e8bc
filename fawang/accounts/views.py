"""Staff sign-in: password with lockout, then a second factor where required.

Between the password and the second factor the session holds a *pending* sign-in (user id, time, where to
go next, and the password hash it was made with). It is not a sign-in: request.user stays anonymous until the
code is checked. It lasts PENDING_SECONDS and dies with a password change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import totp
from .actions import do_bind_totp, do_change_password, do_check_totp, do_new_recovery_codes
from .backends import clear_failures, is_locked, record_failure
from .forms import BindForm, CodeForm, SignInForm, StaffPasswordChangeForm, locked_message
from .middleware import mark_signed_in, now_ts
from .models import User
from .policy import requires_2fa

PENDING = "pending_2fa"
PENDING_SECONDS = 300
# The session key holding the authenticator secret being set up.
SETUP_KEY = "totp_setup"
BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def _safe_next(request: HttpRequest, target: str) -> str:
    """``target`` if it stays on this site, else the console home: a sign-in link must not send staff
    elsewhere (open redirect)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    # A new session key: whatever key the visitor arrived with (possibly planted) does not carry the sign-in.
    request.session.cycle_key()
    request.session.pop(SETUP_KEY, None)
    request.session[PENDING] = {
        "user": user.pk,
        "at": now_ts(),
        "next": next_url,
        "hash": user.get_session_auth_hash(),
    }


def _drop_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)
    request.session.pop(SETUP_KEY, None)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    age = now_ts() - float(pending.get("at", 0))
    user = None
    if 0 <= age <= PENDING_SECONDS:
        user = User.objects.filter(
            pk=int(pending.get("user", 0)), is_active=True, kind=User.Kind.STAFF
        ).first()
    # A password changed meanwhile (by the user or an administrator) voids the half-finished sign-in.
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending.get("hash", "")):
        _drop_pending(request)
        return None
    return user


def _complete_sign_in(request: HttpRequest, user: User) -> None:
    _drop_pending(request)
    # login() gives the session a new key again (session fixation) and records last_login.
    login(request, user, backend=BACKEND)
    clear_failures(user.username, request)
    mark_signed_in(request)


def _finish_sign_in(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    _complete_sign_in(request, user)
    if user.must_change_password:
        # A password someone else set (a new account, an administrator's reset) is replaced first.
        return redirect("accounts:password_change")
    return redirect(next_url)


def _demo_code(user: User) -> str:
    """The code to type, shown on the page for the demo's own accounts in demo mode only (README)."""
    if not (settings.DEMO and user.is_demo and user.has_totp):
        return ""
    step = totp.next_usable_step(user.totp_secret, user.totp_last_step)
    return "" if step is None else totp.code_at_step(user.totp_secret, step)


def _refuse_locked(request: HttpRequest) -> HttpResponse:
    _drop_pending(request)
    messages.error(request, locked_message())
    return redirect("accounts:login")


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
    return redirect("accounts:login")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    raw_next = (request.POST if posted else request.GET).get("next", "")
    form = SignInForm(request, request.POST if posted else None)
    if posted and form.is_valid():
        user = form.user
        assert user is not None
        next_url = _safe_next(request, raw_next)
        if requires_2fa(user):
            if request.user.is_authenticated:
                # Whoever was signed in here is signed out before the new person's half-finished sign-in.
                logout(request)
            _start_pending(request, user, next_url)
            return redirect("accounts:verify" if user.has_totp else "accounts:totp_setup")
        return _finish_sign_in(request, user, next_url)
    # Only a same-site target is carried into the form, so the page never echoes a foreign address.
    next_field = raw_next if raw_next and _safe_next(request, raw_next) == raw_next else ""
    return render(request, "accounts/login.html", {"form": form, "next": next_field})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return _expired(request)
    if not user.has_totp:
        return redirect("accounts:totp_setup")
    if is_locked(user.username, request):
        return _refuse_locked(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if do_check_totp(user.pk, form.cleaned_data["code"]):
            return _finish_sign_in(request, user, request.session[PENDING]["next"])
        if is_locked(user.username, request):
            return _refuse_locked(request)
        form.add_error("code", _("动态口令不正确或已使用过，请输入验证器中当前显示的口令。"))
    return render(
        request, "accounts/verify.html", {"form": form, "pending_user": user, "demo_code": _demo_code(user)}
    )


def _new_secret(request: HttpRequest, user: User) -> str:
    """The secret being set up, kept in the session across the page's GET and POST, and tied to the user."""
    kept = request.session.get(SETUP_KEY)
    if isinstance(kept, dict) and kept.get("user") == user.pk and kept.get("secret"):
        return str(kept["secret"])
    secret = totp.new_secret()
    request.session[SETUP_KEY] = {"user": user.pk, "secret": secret}
    return secret


@sensitive_post_parameters("code", "current_code")
@csrf_protect
@never_cache
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: during a pending sign-in (the user's unit requires it and the user has
    none yet), or when signed in (first binding, or replacing the device)."""
    if request.user.is_authenticated:
        if not isinstance(request.user, User) or request.user.kind != User.Kind.STAFF:
            raise Http404
        user: User = request.user
        during_sign_in = False
    else:
        pending = _pending_user(request)
        if pending is None:
            return _expired(request)
        if pending.has_totp:
            # Someone holding only the password must not swap in their own device: a bound device is
            # replaced only after signing in with it.
            return redirect("accounts:verify")
        if is_locked(pending.username, request):
            return _refuse_locked(request)
        user, during_sign_in = pending, True

    secret = _new_secret(request, user)
    replacing = user.has_totp
    form = BindForm(request.POST if request.method == "POST" else None, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        # The new code is checked first: it has no side effects, while checking the old device's code uses
        # that code up.
        if totp.matching_step(secret, form.cleaned_data["code"]) is None:
            form.add_error("code", _("动态口令不正确，请确认手机时间准确后重试。"))
        elif replacing and not do_check_totp(user.pk, form.cleaned_data["current_code"]):
            if is_locked(user.username, request):
                logout(request)
                messages.error(request, locked_message())
                return redirect("accounts:login")
            form.add_error("current_code", _("原验证器的动态口令不正确或已使用过。"))
        elif do_bind_totp(user.pk, secret, form.cleaned_data["code"], actor=user):
            request.session.pop(SETUP_KEY, None)
            codes = do_new_recovery_codes(user.pk, actor=user)
            next_url = reverse("accounts:totp_setup")
            if during_sign_in:
                next_url = request.session[PENDING]["next"]
                _complete_sign_in(request, user)
                if user.must_change_password:
                    next_url = reverse("accounts:password_change")
            # Shown once, on this response only: only their hashes are stored.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
        else:
            # The code went stale between the two checks (a 30-second step boundary).
            form.add_error("code", _("动态口令已过期，请输入验证器中新显示的口令。"))
    uri = totp.provisioning_uri(secret, user.username)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "secret_groups": totp.group(secret),
            # Our own SVG, generated above from the provisioning URI; the template marks it safe.
            "qr_svg": totp.qr_svg(uri, _("动态口令绑定二维码")),
            "during_sign_in": during_sign_in,
            "replacing": replacing,
            "bound_user": user,
        },
    )


@require_POST
@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@sensitive_post_parameters()
@csrf_protect
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    user: User = request.user
    form = StaffPasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = do_change_password(user.pk, form.cleaned_data["new_password1"], actor=user)
            # Keeps this session; every other session of the user ends with the old password hash.
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect(settings.LOGIN_REDIRECT_URL)
        if form.has_error("old_password", "password_incorrect") and record_failure(user.username, request):
            # Guessing the old password from an unattended session counts like guessing at the sign-in page.
            logout(request)
            messages.error(request, locked_message())
            return redirect("accounts:login")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Replaces the admin site's own login form, which would sign users in without lockout or the second
    factor: the anonymous go to the staff sign-in page, the signed-in without admin rights are refused."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if admin.site.has_permission(request):
        return redirect(_safe_next(request, next_url))
    raise PermissionDenied(_("您的账号无权进入系统管理。"))


@never_cache
def admin_password_change(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin's password link leads to the staff page, which also records when the password changed."""
    return redirect("accounts:password_change")
