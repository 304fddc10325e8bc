"""Who is calling: an app with ``Authorization: Token <token>`` (or ``Bearer``), or a signed-in browser session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from fawang.accounts.models import User
from fawang.orgs.roles import is_staff_user

from .models import ApiToken, hash_token

# last_used_at is written at most this often per token, so reads do not turn into writes.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_limits(user: Any) -> tuple[dt.timedelta, dt.timedelta]:
    """(idle, absolute) lifetime of a token of ``user``. A citizen's app token: 30 days unused, 180 days in all
    (API_TOKEN_IDLE_DAYS, API_TOKEN_MAX_DAYS); a staff token (integrations, the staff app): 90 and 365 days
    (API_STAFF_TOKEN_IDLE_DAYS, API_STAFF_TOKEN_MAX_DAYS). Then the app signs in again."""
    if getattr(user, "kind", None) == User.Kind.PUBLIC:
        idle, most = (
            getattr(settings, "API_TOKEN_IDLE_DAYS", 30),
            getattr(settings, "API_TOKEN_MAX_DAYS", 180),
        )
    else:
        idle = getattr(settings, "API_STAFF_TOKEN_IDLE_DAYS", 90)
        most = getattr(settings, "API_STAFF_TOKEN_MAX_DAYS", 365)
    return dt.timedelta(days=float(idle)), dt.timedelta(days=float(most))


def is_expired(token: ApiToken, now: dt.datetime) -> bool:
    idle, most = token_limits(token.user)
    last = token.last_used_at or token.created_at
    return now - last > idle or now - token.created_at > most


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("访问令牌格式有误，应为“Token 令牌”。"))
        token = (
            ApiToken.objects.live().select_related("user").filter(token_hash=hash_token(header[1])).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("访问令牌无效或已被吊销。"))
        now = timezone.now()
        if is_expired(token, now):
            raise exceptions.AuthenticationFailed(_("访问令牌已过期，请重新登录。"))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session (with Django's CSRF check on writes)."""


class IsStaff(permissions.BasePermission):
    """Signed in with a staff account (an active unit membership). A public account gets the same 404 the
    console gives it: it learns nothing about the staff endpoints."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated(_("请提供访问令牌或先登录。"))
        if not is_staff_user(user):
            raise exceptions.NotFound()
        return True


class IsPublicUser(permissions.BasePermission):
    """Signed in with a public account (``User.Kind.PUBLIC``): the citizen endpoints under ``/api/v1/me/``. A staff
    account gets a 404, as a public account gets one on the staff endpoints."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated(_("请先登录：用手机号码和短信验证码换取访问令牌。"))
        if getattr(user, "kind", None) != User.Kind.PUBLIC:
            raise exceptions.NotFound()
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "fawang.apikit.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("“Token 令牌”，令牌由 manage.py create_api_token 生成。"),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "fawang.apikit.auth.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
