"""Reference data remembered per process for a short while.

Some tables change a few times a year and are read on every page: the names of the service items and legal areas
in a filter bar, the regions of a picker. ``remembered(key, load)`` keeps ``load()``'s answer for
settings ``REFERENCE_CACHE_SECONDS`` (default 60; 0 in tests, where each test rolls its rows back) in this process;
another process sees an edit when its own copy expires.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

_lock = threading.Lock()
_store: dict[Any, tuple[float, Any]] = {}


def seconds() -> float:
    """How long a process keeps reference data: settings ``REFERENCE_CACHE_SECONDS`` (0: not at all)."""
    return float(getattr(settings, "REFERENCE_CACHE_SECONDS", 60))


def remembered(key: Any, load: Callable[[], T]) -> T:
    """``load()``, or its answer of less than REFERENCE_CACHE_SECONDS ago."""
    ttl = seconds()
    if ttl <= 0:
        return load()
    now = time.monotonic()
    found = _store.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value = load()
    with _lock:
        _store[key] = (now + ttl, value)
        if len(_store) > 10_000:  # a bound, in case keys ever grow without limit
            _store.clear()
    return value


def forget() -> None:
    with _lock:
        _store.clear()
