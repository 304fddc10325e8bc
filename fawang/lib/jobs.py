"""Periodic jobs that business lines register (from their AppConfig.ready()), so a new line's daily or per-pass work
runs under the scheduler (``manage.py scheduler``) without editing the core's job list.

A job is the dotted path of a Django task (enqueued for the worker) or of a plain callable. The scheduler runs every
job on every pass (SCHEDULER_INTERVAL_SECONDS), so a job must be idempotent and cheap when there is nothing to do:
a daily reminder marks what it has sent, a scan claims its rows with a conditional UPDATE."""

from __future__ import annotations

_REGISTERED: list[str] = []


def register(*paths: str) -> None:
    for path in paths:
        if path not in _REGISTERED:
            _REGISTERED.append(path)


def registered() -> list[str]:
    return list(_REGISTERED)
