"""``Idempotency-Key`` on every create: the first successful answer is stored with a hash of the request body;
a resend with the same key and body gets that answer again (with ``Idempotent-Replayed: true``) and changes
nothing; the same key with a different body is a 409. Keys are per caller (user, or client address when not
signed in) and per endpoint. Error answers are not stored: the client may fix the request and resend it with
the same key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from fawang.lib.http import client_ip

from .errors import ApiError
from .models import IdempotencyRecord
from .schema import errors

HEADER = "Idempotency-Key"
MAX_KEY = 100

IDEMPOTENCY_KEY = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="每次新建请求带一个唯一键（如 UUID）；网络中断后用同一键重发，不会重复办理。",
)


def _hash(data: Any) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def scope_of(request: Request) -> str:
    user = request.user
    if user and user.is_authenticated:
        return f"u:{user.pk}"
    return f"ip:{client_ip(request) or '-'}"


def request_key(request: Request) -> str:
    key = (request.headers.get(HEADER) or "").strip()
    if not key:
        raise ApiError(400, "idempotency_key_required", _("新建请求须带 Idempotency-Key 请求头。"))
    if len(key) > MAX_KEY or not key.isprintable():
        raise ApiError(400, "idempotency_key_invalid", _("Idempotency-Key 不能超过 100 个字符。"))
    return key


def _replay(found: IdempotencyRecord, request_hash: str) -> Response:
    if found.request_hash != request_hash:
        raise ApiError(
            409,
            "idempotency_conflict",
            _("该 Idempotency-Key 已用于内容不同的请求，请换一个新的键。"),
        )
    response = Response(found.body, status=found.status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap a view method handling POST."""

    @wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request_key(request)
        scope, endpoint = scope_of(request), request.path
        request_hash = _hash(request.data)
        found = IdempotencyRecord.objects.filter(scope=scope, endpoint=endpoint, key=key).first()
        if found is not None:
            return _replay(found, request_hash)
        try:
            # The action and its stored answer commit together: when the answer cannot be stored (a database too
            # busy to take the write, bench/bench_faults.py) the action is undone as well, so the client's resend
            # with the same key does it once. Before, a code could be sent and its answer lost with a 500.
            with transaction.atomic():
                response = view(self, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    data = json.loads(json.dumps(response.data, default=str))
                    IdempotencyRecord.objects.create(
                        scope=scope,
                        endpoint=endpoint,
                        key=key,
                        request_hash=request_hash,
                        status=response.status_code,
                        body=data,
                        body_hash=_hash(data),
                    )
        except IntegrityError:
            # A concurrent resend with the same key committed first: this request's work was rolled back, and the
            # answer is the one stored. Any other integrity error is the view's own.
            found = IdempotencyRecord.objects.filter(scope=scope, endpoint=endpoint, key=key).first()
            if found is None:
                raise
            return _replay(found, request_hash)
        return response

    return wrapper


# What a write endpoint may answer besides its success: bad input, not signed in, not allowed, not found or not
# the caller's, the same key with another body (or a move the record's state does not allow), too many requests.
WRITE_ERRORS = (400, 401, 403, 404, 409, 429)


def idempotent_write(
    *, responses: dict[int, Any], error_codes: tuple[int, ...] = WRITE_ERRORS, **schema: Any
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """A write endpoint's decorators in one: its OpenAPI schema (``schema``: tags, summary, request, ...; the
    Idempotency-Key header; ``responses`` and the error answers) over :func:`idempotent`."""
    document = extend_schema(
        parameters=[IDEMPOTENCY_KEY], responses={**responses, **errors(*error_codes)}, **schema
    )

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        return document(idempotent(view))

    return decorate
