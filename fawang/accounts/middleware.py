"""Idle and absolute expiry of signed-in sessions: a console left open at a public window must not stay
signed in, and no sign-in outlasts a working day."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_SEEN = "last_seen"
SIGNED_IN_AT = "signed_in_at"


def now_ts() -> float:
    # timezone.now() rather than time.time() so tests can move the clock in one place.
    return timezone.now().timestamp()


def mark_signed_in(request: HttpRequest) -> None:
    now = now_ts()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
            if self.must_change_password(request):
                messages.warning(request, _("您正在使用他人为您设置的初始密码，请先修改密码再继续使用。"))
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def must_change_password(request: HttpRequest) -> bool:
        """A staff member signed in with a password someone else set (a new account, an administrator's
        reset) goes to the password page first; only that page, signing out and static files stay open."""
        user = request.user
        if not (user.is_authenticated and getattr(user, "must_change_password", False)):
            return False
        open_paths = (reverse("accounts:password_change"), reverse("accounts:logout"), settings.STATIC_URL)
        return not any(request.path.startswith(p) for p in open_paths if p)

    def check(self, request: HttpRequest) -> None:
        now = now_ts()
        session = request.session
        started, last = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
        # The session store pushes its expiry forward whenever the session is saved (every minute here, for
        # LAST_SEEN), so SESSION_COOKIE_AGE alone would be a sliding limit; the sign-in time makes it absolute.
        if started is not None and now - float(started) > settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(
                request,
                _("本次登录已超过 %(hours)d 小时，为保障安全已自动退出，请重新登录。")
                % {"hours": settings.SESSION_COOKIE_AGE // 3600},
            )
        elif last is not None and now - float(last) > settings.SESSION_IDLE_MINUTES * 60:
            logout(request)
            messages.info(request, _("您长时间未操作，已自动退出登录，请重新登录。"))
        else:
            if started is None:
                # Sessions opened some other way (the test client, an older session) start counting now.
                session[SIGNED_IN_AT] = now
            if last is None or now - float(last) >= 60:
                # Written at most once a minute, so reads do not turn into session writes.
                session[LAST_SEEN] = now
