"""A database too busy to answer in time gets 503 with ``Retry-After``, never a 500.

Under heavy load an SQLite write waits at most its busy timeout (5 s, settings) for the one write lock, and a
PostgreSQL statement can meet a lock timeout, a deadlock or a serialization failure. The action's transaction is
rolled back when that happens, so nothing of the request was saved: ``BusyDatabaseMiddleware`` (last in
settings.MIDDLEWARE, so it sees the view's exception first) answers 503 and says so, in the API's JSON error format
under /api/ and with a page elsewhere, instead of the server-error page. Sending the same request again is safe:
forms and the API carry an idempotency key. Found by the mixed-load fault benchmark (bench/bench_faults.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fawang.lib.busy import is_busy

from .errors import error_body
from .limits import is_api

logger = logging.getLogger("fawang.busy")
RETRY_AFTER_SECONDS = 5


class BusyDatabaseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        logger.warning("database busy: %s %s answered 503 (%s)", request.method, request.path, exception)
        message = _("系统繁忙，本次操作没有完成，也没有保存任何内容。请稍候几秒再提交一次。")
        response: HttpResponse
        if is_api(request):
            response = JsonResponse(
                error_body("busy", message), status=503, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = HttpResponse(
                render_to_string("503.html", {"message": message}, request=request),
                status=503,
                content_type="text/html; charset=utf-8",
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
