"""Core of ``manage.py classify_topics``: JSON lines in, JSON lines with a ``topic`` out.

Kept free of Django so it can be tested and used from scripts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Protocol

from . import classify
from .model import TopicResult


class Writer(Protocol):
    def write(self, s: str, /) -> object: ...


def classify_lines(
    lines: Iterable[str],
    out: Writer,
    err: Writer,
    *,
    classifier: Callable[[str], TopicResult] = classify,
) -> int:
    """Classify each ``{"question": ...}`` line; returns the number of bad lines.

    Every valid line is written (input keys kept, ``topic`` set to the Chinese topic name) even when other
    lines are bad; a bad line — blank, not JSON, not an object, no non-empty string ``question`` — is
    reported on ``err`` with its line number and skipped.
    """
    bad = 0
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        problem = None
        row = None
        if not line:
            problem = "空行"
        else:
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problem = f"不是有效的 JSON（{e.msg}，第 {e.colno} 列）"
            else:
                if not isinstance(row, dict):
                    problem = '应为 JSON 对象，例如 {"question": "..."}'
                elif not isinstance(row.get("question"), str) or not row["question"].strip():
                    problem = "缺少非空的 question 字段"
        if problem or row is None:
            bad += 1
            err.write(f"第 {n} 行：{problem}，已跳过\n")
            continue
        row["topic"] = classifier(row["question"]).name
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return bad
