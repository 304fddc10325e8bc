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


# Tag names as generated clients need them (ASCII: they become module names), each with its Chinese name as the
# tag's description and display name.
TAG_NAMES = {
    "公开信息": "public",
    "公众用户": "citizen",
    "工作人员": "staff",
    "网上申请": "applications",
    "预约": "appointments",
    "进度查询": "tracking",
}


def _inherited_notes() -> set[str]:
    """Docstrings of our base views, meant for developers: drf-spectacular inherits them as the description of
    every operation whose view has no docstring of its own."""
    import inspect

    from .base import CitizenView

    return {doc for doc in (inspect.getdoc(CitizenView),) if doc}


def _nullable_types(node: Any, components: dict[str, Any]) -> None:
    """``nullable`` beside ``allOf: [$ref]`` needs a ``type`` in OpenAPI 3.0.3, or it is ignored."""
    if isinstance(node, dict):
        if node.get("nullable") and "allOf" in node and "type" not in node:
            ref = next((part.get("$ref", "") for part in node["allOf"] if isinstance(part, dict)), "")
            target = components.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
            node["type"] = target.get("type", "object")
        for value in node.values():
            _nullable_types(value, components)
    elif isinstance(node, list):
        for value in node:
            _nullable_types(value, components)


def client_friendly(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A drf-spectacular post-processing hook for client generators (openapi-python-client and the like): ASCII
    tag names with their Chinese names as descriptions, no developer notes as descriptions, and ``nullable``
    references with a type."""
    notes = _inherited_notes()
    used: list[str] = []
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            tags = [TAG_NAMES.get(tag, tag) for tag in operation.get("tags", [])]
            if tags:
                operation["tags"] = tags
                used.extend(t for t in tags if t not in used)
            if (operation.get("description") or "").strip() in notes:
                operation.pop("description", None)
    chinese = {ascii_name: zh for zh, ascii_name in TAG_NAMES.items()}
    result["tags"] = [
        {"name": name, "description": chinese.get(name, name), "x-displayName": chinese.get(name, name)}
        for name in used
    ]
    _nullable_types(result.get("paths", {}), result.get("components", {}).get("schemas", {}))
    _nullable_types(result.get("components", {}), result.get("components", {}).get("schemas", {}))
    return result
