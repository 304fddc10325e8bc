"""Settings of the ops app, read at call time (tests override them), with defaults that suit production.

TASK_LEASE_SECONDS          a running task whose worker has not beaten for this long is handed back to the queue (60)
WORKER_HEARTBEAT_SECONDS    how often a worker (and the scheduler, each pass) records that it is alive (10)
READY_WORKER_STALE_SECONDS  /readyz: the freshest worker heartbeat may be this old (default: the lease)
READY_SCHEDULER_STALE_SECONDS  /readyz: the scheduler's heartbeat may be this old (3 scheduler intervals, >= 180)
READY_OUTBOX_MAX            /readyz: messages due for delivery that may wait (1000)
READY_OUTBOX_MAX_AGE_SECONDS   /readyz: the oldest due message may wait this long (900)
"""

from __future__ import annotations

from django.conf import settings


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", 60))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 10))


def worker_stale_seconds() -> float:
    return float(getattr(settings, "READY_WORKER_STALE_SECONDS", None) or lease_seconds())


def scheduler_stale_seconds() -> float:
    value = getattr(settings, "READY_SCHEDULER_STALE_SECONDS", None)
    if value:
        return float(value)
    return max(3 * float(getattr(settings, "SCHEDULER_INTERVAL_SECONDS", 60)), 180.0)


def outbox_max() -> int:
    return int(getattr(settings, "READY_OUTBOX_MAX", 1000))


def outbox_max_age_seconds() -> float:
    return float(getattr(settings, "READY_OUTBOX_MAX_AGE_SECONDS", 900))
