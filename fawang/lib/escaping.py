"""HTML escaping for markup written in Python on busy pages (list rows, form widgets, the filter bar, the
console shell), each piece marked safe once when it is whole.

Django's escape() and conditional_escape() wrap every argument for lazy strings and every result in a
SafeString; on a page of fifty rows or a select of a few dozen options that wrapping cost more than the
escaping itself (bench_matters).
"""

from __future__ import annotations

import html
from typing import Any


def escape(value: Any) -> str:
    """What Django's escape() writes: always escaped, for text and attribute values."""
    return html.escape(str(value))


def conditional_escape(value: Any) -> str:
    """What Django's conditional_escape() (and so the template language) writes: HTML that says it is safe
    (``__html__``) as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))
