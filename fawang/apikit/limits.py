"""Input limits that hold before a view runs.

``RequestSizeMiddleware`` (first in settings.MIDDLEWARE) refuses a request whose declared body is larger than
its cap with 413, from the Content-Length header alone, before anything reads the body into memory or a
temporary file (a keep-alive server discards the unread rest): multipart bodies (uploads) up to
REQUEST_MAX_UPLOAD_BYTES (50 MB; the per-file limits stay with the forms), any other body up to
REQUEST_MAX_BODY_BYTES (Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB). Under /api/ the refusal is in the API's JSON
error format; elsewhere a page says so in Chinese.

The API's JSON parser bounds nesting depth (fawang/apikit/parsers.py).

``bad_request`` and ``server_error`` (settings: fawang.urls handler400 and handler500) answer errors Django
handles itself (an uncaught exception, a suspicious request) in the API's JSON format under /api/, and with the
site's pages elsewhere: no API client ever gets an HTML error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from .errors import error_body

API_PREFIX = "/api/"


def max_upload_bytes() -> int:
    return int(getattr(settings, "REQUEST_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def max_body_bytes() -> int:
    default = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440
    return int(getattr(settings, "REQUEST_MAX_BODY_BYTES", None) or default)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return self.refuse(request, 400, "bad_request", _("请求头 Content-Length 无效。"))
        multipart = request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
        limit = max_upload_bytes() if multipart else max_body_bytes()
        if length > limit:
            mb = f"{limit / 1024 / 1024:.1f}".removesuffix(".0")
            return self.refuse(
                request,
                413,
                "too_large",
                _("提交的内容过大（上限 %(mb)s MB），未被接收。") % {"mb": mb},
                limit_mb=mb,
            )
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, status: int, code: str, message: str, **context: Any) -> HttpResponse:
        response: HttpResponse
        if is_api(request):
            response = JsonResponse(
                error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
            )
        else:
            body = render_to_string("413.html", context) if status == 413 else message
            response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
        return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse(error_body("bad_request", _("请求参数有误，请检查后重试。")), status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse(error_body("server_error", _("服务器内部错误，已记录，请稍后再试。")), status=500)
    return defaults.server_error(request)
