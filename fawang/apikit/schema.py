"""What every endpoint's schema and input handling share: the documented error answers (``errors(400, 404)``)
and the validation of query parameters and bodies by a serializer (``query``, ``body``), whose errors come out
in the one error format (errors.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an endpoint documents, e.g. ``responses={200: Out, **errors(400, 404)}``."""
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The query parameters, validated by ``serializer_class`` (a 400 in the error format otherwise)."""
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request body, validated by ``serializer_class`` (a 400 in the error format otherwise)."""
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def drop_anonymous_security(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: public operations (no authentication at all) carry no ``security``
    instead of ``security: [{}]``, which client generators read as "needs a signed-in client". Operations where
    signing in is optional (``[{...}, {}]``) keep theirs."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and operation.get("security") == [{}]:
                del operation["security"]
    return result
