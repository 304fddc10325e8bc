"""Region codes (统计用区划代码) and prefix scoping.

A region code's digits spell its path: 35 福建省 > 3503 莆田市 > 350322 仙游县 > 350322100 鲤城街道 >
350322100001 (a community). "Everything under 仙游县" is therefore every code that starts with 350322. We
express that as a half-open range, code >= '350322' AND code < '350323', rather than LIKE '350322%':
a range is one indexed condition on SQLite and PostgreSQL alike, whatever the column's collation, while
LIKE with Django's ESCAPE clause defeats SQLite's index and needs text_pattern_ops on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy

CODE_LENGTHS = (2, 4, 6, 9, 12)


# The code forms, as a help text for forms and the API.
CODE_FORMS = gettext_lazy(
    "区划代码按层级为 2 位（省）、4 位（市）、6 位（县、区）、9 位（乡镇、街道）或 12 位（村、社区），"
    "例如 35 福建省、3502 厦门市、350203 思明区、350203001 厦港街道；"
    "也接受其他系统常用的补零写法（350200、350200000000 即 3502）。"
)


def canonical(code: str) -> str:
    """The platform's form of a region code: zero-padded forms copied from other systems lose their trailing
    all-zero levels (350200 -> 3502, 350203000000 -> 350203, 350000 -> 35). Anything that is not a digit string
    of a code length comes back stripped but otherwise unchanged, for the caller's own error."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in CODE_LENGTHS:
        return code
    while len(code) > CODE_LENGTHS[0]:
        parent = CODE_LENGTHS[CODE_LENGTHS.index(len(code)) - 1]
        if code[parent:].strip("0"):
            break
        code = code[:parent]
    return code


def level_of(code: str) -> int:
    """1 province, 2 city, 3 county, 4 town/street, 5 village/community."""
    try:
        return CODE_LENGTHS.index(len(code)) + 1
    except ValueError:
        raise ValueError(f"区划代码长度不正确：{code!r}") from None


def parent_code(code: str) -> str | None:
    level = level_of(code)
    return None if level == 1 else code[: CODE_LENGTHS[level - 2]]


def prefix_range(prefix: str) -> tuple[str, str]:
    """The half-open range [lo, hi) of digit strings that start with ``prefix``.

    hi is the prefix incremented as a number of the same width, so it stays a digit string and compares
    the same way under any collation. An all-nines prefix has no such successor; no region code is one.
    """
    if not prefix.isdigit():
        raise ValueError(f"区划代码只能由数字组成：{prefix!r}")
    successor = str(int(prefix) + 1).zfill(len(prefix))
    if len(successor) != len(prefix):
        raise ValueError(f"区划代码前缀无后继：{prefix!r}")
    return prefix, successor


def under(field: str, prefix: str) -> Q:
    """Q for rows whose ``field`` (a region code column) lies in the subtree of ``prefix``."""
    lo, hi = prefix_range(prefix)
    return Q(**{f"{field}__gte": lo, f"{field}__lt": hi})


def minimal_prefixes(codes: Iterable[str]) -> list[str]:
    """Drop codes already covered by a shorter code in the set (3502 covers 350203)."""
    kept: list[str] = []
    for code in sorted(set(codes), key=lambda c: (len(c), c)):
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return sorted(kept)


def under_any(field: str, prefixes: Iterable[str]) -> Q:
    """Q for rows under any of ``prefixes``; matches nothing when there are none."""
    q = Q(pk__in=[])
    for prefix in minimal_prefixes(prefixes):
        q |= under(field, prefix)
    return q
