"""One error format for every error of the API:

    {"error": {"code": "not_found", "message": "<中文说明>", "fields": {"字段": ["说明", ...]}}}

``fields`` is empty unless the error is about named input fields. Django's ValidationError and PermissionDenied
raised by the actions, and their refusals (fawang.lib.errors.Refused, e.g. NoRoute), come out the same way as
DRF's own errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from fawang.lib.errors import Refused
from fawang.lib.sendlimits import RateLimited

DEFAULT_MESSAGES = {
    400: gettext_lazy("请求参数有误，请检查后重试。"),
    401: gettext_lazy("请提供访问令牌或先登录。"),
    403: gettext_lazy("您无权执行此操作。"),
    404: gettext_lazy("未找到该资源，或您无权查看。"),
    405: gettext_lazy("不支持该请求方法。"),
    406: gettext_lazy("不支持所请求的响应格式。"),
    409: gettext_lazy("请求冲突。"),
    415: gettext_lazy("不支持该请求内容格式，请使用 JSON。"),
    429: gettext_lazy("请求过于频繁，请稍后再试。"),
    503: gettext_lazy("服务暂不可用，请稍后再试。"),
}


class ApiError(exceptions.APIException):
    """An error with our own code and message, e.g. ``ApiError(409, "idempotency_conflict", "...")``."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code


def error_body(code: str, message: Any, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for v in detail.values() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for v in detail for m in _flatten(v)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    out: dict[str, list[str]] = {}
    for name, value in detail.items():
        key = "non_field_errors" if name in ("__all__", "non_field_errors") else str(name)
        out.setdefault(key, []).extend(_flatten(value))
    return out


def _from_django_validation(exc: DjangoValidationError) -> tuple[str, Any, dict[str, list[str]]]:
    code = getattr(exc, "code", None) or "invalid"
    if hasattr(exc, "error_dict"):
        fields = {
            ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
        first = next(iter(exc.error_dict.values()))[0]
        code = getattr(first, "code", None) or code
        return code, next(iter(fields.values()))[0], fields
    messages = [str(m) for m in exc.messages]
    if hasattr(exc, "error_list") and exc.error_list:
        code = getattr(exc.error_list[0], "code", None) or code
    return code, "".join(messages) or str(DEFAULT_MESSAGES[400]), {}


def convert(exc: Exception) -> tuple[int, dict[str, Any]] | None:
    """(status, body) for an exception the API answers itself; None for a real server error."""
    message: Any
    if isinstance(exc, RateLimited):
        code, message, _f = _from_django_validation(exc)
        return 429, error_body(code, message)
    if isinstance(exc, DjangoValidationError):
        code, message, fields = _from_django_validation(exc)
        return 400, error_body(code, str(message), fields)
    if isinstance(exc, Refused):
        return 400, error_body(exc.code, str(exc) or str(exc.default_message))
    if isinstance(exc, DjangoPermissionDenied):
        return 403, error_body("permission_denied", str(exc) or DEFAULT_MESSAGES[403])
    if isinstance(exc, Http404):
        return 404, error_body("not_found", DEFAULT_MESSAGES[404])
    if isinstance(exc, ApiError):
        return exc.status_code, error_body(exc.error_code, str(exc.detail))
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        messages = _flatten(exc.detail)
        message = messages[0] if len(messages) == 1 else DEFAULT_MESSAGES[400]
        return 400, error_body("invalid", message, fields)
    if isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        message = (
            _("请求过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": max(int(wait + 0.999), 1)}
            if wait is not None
            else DEFAULT_MESSAGES[429]
        )
        return 429, error_body("throttled", message)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        message = str(exc.detail)
        if message in (str(exceptions.NotAuthenticated.default_detail),):
            message = DEFAULT_MESSAGES[401]
        return exc.status_code, error_body("not_authenticated", message)
    if isinstance(exc, exceptions.NotFound):
        return 404, error_body("not_found", DEFAULT_MESSAGES[404])
    if isinstance(exc, exceptions.APIException):
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
        own = exc.detail if isinstance(exc.detail, str) and exc.detail != exc.default_detail else None
        message = own or DEFAULT_MESSAGES.get(exc.status_code, DEFAULT_MESSAGES[400])
        return exc.status_code, error_body(code, message)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    converted = convert(exc)
    if converted is None:
        return None  # a bug: Django's 500 handling (and its log) takes over
    status_code, data = converted
    set_rollback()  # as DRF's own handler: undo a request's writes when requests are atomic
    response = Response(data, status=status_code)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(int(exc.wait + 0.999), 1))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            response["WWW-Authenticate"] = auth_header
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/v1/ that names no endpoint. Exempt from CSRF like every API view (DRF's are): it
    changes nothing, and a POST with a stale session cookie must get this JSON, not the CSRF failure page."""
    return JsonResponse(error_body("not_found", DEFAULT_MESSAGES[404]), status=status.HTTP_404_NOT_FOUND)
