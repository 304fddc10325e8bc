"""The API's JSON parser, with nesting depth bounded at API_JSON_MAX_DEPTH (32) levels: deeper input, or input so
deep that Python's parser gives up (3,000 nested brackets), is a 400 ``parse_error`` in the API's error format
instead of a server error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def max_json_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", 32))


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` levels deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = _("JSON 嵌套层数过多（上限 %(n)d 层）。") % {"n": max_json_depth()}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as e:
            raise ParseError(too_deep) from e
        if _depth_exceeds(data, max_json_depth()):
            raise ParseError(too_deep)
        return data
