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
    """A drf-spectacular post-processing hook: operations that need no signing in carry no ``security`` instead
    of ``security: [{}]`` or ``[{...}, {}]`` (signing in optional, as for asking for a sign-in code), which client
    generators read as "needs a signed-in client" (openapi-python-client then asks for a token to sign in)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and {} in (operation.get("security") or []):
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
    "人民调解对接": "mediation_referrals",
    "人民调解": "mediation",
    "安置帮教": "resettlement",
    "社区矫正": "corrections",
    "法律援助": "legal_aid",
    "通知辩护对接": "legal_aid_notifications",
}


def _inherited_notes() -> set[str]:
    """Docstrings of our base views, meant for developers: drf-spectacular inherits them as the description of
    every operation whose view has no docstring of its own."""
    import inspect

    from .base import CitizenView

    return {doc for doc in (inspect.getdoc(CitizenView),) if doc}


def _nullable_types(node: Any, components: dict[str, Any]) -> None:
    """``nullable`` beside ``allOf: [$ref]`` is ignored in OpenAPI 3.0.3 (it needs a ``type`` in the same schema
    object), and generators given ``type`` + ``nullable`` + ``allOf`` drop the null (openapi-python-client then
    fails on a null answer). Written instead as one of the reference or null: ``oneOf: [$ref, {type, nullable,
    enum: [null]}]``, which both the specification and the generators read as "this object, or null"."""
    if isinstance(node, dict):
        if (
            node.get("nullable")
            and "allOf" in node
            and len(node["allOf"]) == 1
            and "$ref" in node["allOf"][0]
        ):
            ref = node["allOf"][0]["$ref"]
            kind = components.get(ref.rsplit("/", 1)[-1], {}).get("type", "object")
            del node["allOf"], node["nullable"]
            node.pop("type", None)
            node["oneOf"] = [{"$ref": ref}, {"type": kind, "nullable": True, "enum": [None]}]
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


ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
RETRY_AFTER = {
    "description": "多少秒后可以再试。",
    "schema": {"type": "integer", "minimum": 1},
}


def document_limits(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: what every operation can answer besides its own responses.

    - 429 with ``Retry-After`` on every operation (every endpoint is throttled, fawang.apikit.throttles);
    - 404 on the paginated lists (a ``page`` past the last one);
    - the ``Idempotency-Key`` header's limit (``idempotency.MAX_KEY`` characters) and the ``Idempotent-Replayed``
      header of a replayed answer."""
    from .idempotency import HEADER, MAX_KEY

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            throttled = responses.setdefault(
                "429", {"content": ERROR_CONTENT, "description": "请求过于频繁，请稍后再试。"}
            )
            throttled.setdefault("headers", {})["Retry-After"] = RETRY_AFTER
            parameters = operation.get("parameters", [])
            if any(p.get("name") == "page" and p.get("in") == "query" for p in parameters):
                responses.setdefault("404", {"content": ERROR_CONTENT, "description": "页码超出范围。"})
            idempotent = [p for p in parameters if p.get("name") == HEADER and p.get("in") == "header"]
            for parameter in idempotent:
                parameter.setdefault("schema", {"type": "string"})["maxLength"] = MAX_KEY
            if idempotent:
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {})["Idempotent-Replayed"] = {
                            "description": "为 true 时，是以同一 Idempotency-Key 重发得到的第一次的答复。",
                            "schema": {"type": "string", "enum": ["true"]},
                        }
    return result
