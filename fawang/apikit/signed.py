"""Endpoints a partner organ calls with a signed request instead of an account (the mediation referrals, legal
aid's notifications): the partner's key id, a timestamp and an HMAC-SHA256 signature of ``timestamp + "\\n" +
body`` (fawang.lib.signing). An unknown or switched-off key, a stale timestamp or a wrong signature is a 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from fawang.lib import signing

from .errors import ApiError


class Partner(Protocol):
    @property
    def secret(self) -> str: ...


P = TypeVar("P", bound=Partner)


def headers(partner: str) -> list[OpenApiParameter]:
    """The three headers of a signed request, for the schema; ``partner`` names the key id (接入标识)."""
    return [
        OpenApiParameter("X-Partner", str, OpenApiParameter.HEADER, required=True, description=partner),
        OpenApiParameter(
            "X-Timestamp", str, OpenApiParameter.HEADER, required=True, description="Unix 时间戳（秒）"
        ),
        OpenApiParameter(
            "X-Signature",
            str,
            OpenApiParameter.HEADER,
            required=True,
            description="HMAC-SHA256(密钥, 时间戳 + \\n + 请求体) 的十六进制",
        ),
    ]


def partner_of(request: Request, body: bytes, find: Callable[[str], P | None]) -> P:
    """The partner whose key id (``find``: an active partner by key id) signed ``body``; a 401 otherwise."""
    key = request.headers.get("X-Partner", "")
    partner = find(key) if key else None
    if partner is None or not signing.verify(
        partner.secret, request.headers.get("X-Timestamp", ""), body, request.headers.get("X-Signature", "")
    ):
        raise ApiError(401, "bad_signature", _("签名无效或已过期，请检查接入标识、时间戳和签名。"))
    return partner


def signed_body(
    request: Request, find: Callable[[str], P | None], serializer_class: type[serializers.Serializer]
) -> tuple[P, dict[str, Any]]:
    """The partner that signed the request (``partner_of``), then its JSON body validated by
    ``serializer_class`` (400 in the one error format otherwise). The body is read as sent: the signature covers
    its bytes."""
    raw = request._request.body
    partner = partner_of(request, raw, find)
    try:
        data = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "bad_json", _("请求体不是有效的 JSON。")) from None
    incoming = serializer_class(data=data)
    incoming.is_valid(raise_exception=True)
    return partner, dict(incoming.validated_data)
