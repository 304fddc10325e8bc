"""Test support: keep the per-process calendar cache from carrying rolled-back rows into later tests.

Tests run in transactions that are rolled back, but the cache in `workdays` lives in the process. A test that
adds a CalendarDay and computes a deadline leaves a snapshot holding a row that no longer exists; restoring the
snapshot from before the test prevents that. Use `RestoresCalendarCache` in any test case that writes CalendarDay
rows (or an autouse fixture around `calendar_cache_restored()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import workdays


@contextmanager
def calendar_cache_restored() -> Iterator[None]:
    before = workdays._snapshot
    try:
        yield
    finally:
        workdays._snapshot = before


class RestoresCalendarCache:
    """Mixin for Django TestCase subclasses (put it before the TestCase class)."""

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        manager = calendar_cache_restored()
        manager.__enter__()
        self.addCleanup(manager.__exit__, None, None, None)  # type: ignore[attr-defined]
