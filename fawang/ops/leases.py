"""Leases on running tasks, kept alive by heartbeats.

A worker records a heartbeat (``Heartbeat``) when it starts and every WORKER_HEARTBEAT_SECONDS from a thread of
its own, so a long task keeps its lease. A task row that is RUNNING while the worker that claimed it (the last of
its ``worker_ids``) has not beaten for TASK_LEASE_SECONDS is handed back to the queue (READY) by
``reclaim_stale_tasks``, which every worker and the scheduler call now and then. The jobs claim their own rows with
conditional UPDATEs, so running a task again after a crash warns, escalates or sends nothing twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import conf
from .models import Heartbeat

logger = logging.getLogger("fawang.ops")


def beat(process_id: str, role: str, *, started_at: dt.datetime | None = None) -> None:
    """Record that the process is alive now."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(process_id=process_id).update(beat_at=now)
    if not updated:
        Heartbeat.objects.update_or_create(
            process_id=process_id,
            defaults={
                "role": role,
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at or now,
                "beat_at": now,
            },
        )


def forget(process_id: str) -> None:
    """A process that stops cleanly removes its heartbeat: its tasks need not wait for the lease to run out."""
    Heartbeat.objects.filter(process_id=process_id).delete()


def reclaim_stale_tasks(now: dt.datetime | None = None) -> list[str]:
    """Hand back to the queue the running tasks whose worker's lease has run out; returns their ids."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=conf.lease_seconds())
    alive = set(
        Heartbeat.objects.filter(role=Heartbeat.Role.WORKER, beat_at__gte=cutoff).values_list(
            "process_id", flat=True
        )
    )
    stale = []
    for pk, worker_ids, started_at in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ).values_list("id", "worker_ids", "started_at"):
        owner = worker_ids[-1] if worker_ids else None
        if owner in alive or (started_at is not None and started_at >= cutoff):
            continue
        stale.append((pk, started_at))
    reclaimed = []
    for pk, started_at in stale:
        # Conditional: a worker that finished the task meanwhile, or another reclaimer, wins.
        with transaction.atomic():
            if DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
            ).update(status=TaskResultStatus.READY, started_at=None):
                reclaimed.append(str(pk))
    if reclaimed:
        logger.warning("任务租约过期（执行进程已停止），重新排队：%s", ", ".join(reclaimed))
    return reclaimed


def is_database_busy(error: BaseException) -> bool:
    """An error that waiting cures: a locked or busy database, a dropped connection."""
    return isinstance(error, DatabaseError)


class Backoff:
    """Growing waits after consecutive failures: first, first*2, ... up to ``cap`` seconds; reset on success."""

    def __init__(self, first: float = 0.5, cap: float = 30.0) -> None:
        self.first = first
        self.cap = cap
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.first * (2**self.failures))
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


def close_connection() -> None:
    """Drop this thread's connection (it may be broken or stuck in a failed transaction); the next query reopens.
    Not inside a transaction block (an enclosing ``atomic`` owns the connection then)."""
    if connection.in_atomic_block:
        return
    with contextlib.suppress(DatabaseError):
        connection.close()


class HeartbeatThread(threading.Thread):
    """Beats every ``interval`` seconds on its own connection until ``stop()``; a failed beat is retried next time."""

    def __init__(self, process_id: str, role: str, interval: float | None = None) -> None:
        super().__init__(name=f"heartbeat-{process_id}", daemon=True)
        self.process_id = process_id
        self.role = role
        self.interval = interval if interval is not None else conf.heartbeat_seconds()
        self.started_at = timezone.now()
        self._stop_event = threading.Event()

    def beat_once_or_raise(self) -> None:
        beat(self.process_id, self.role, started_at=self.started_at)

    def beat_once(self) -> bool:
        try:
            beat(self.process_id, self.role, started_at=self.started_at)
            return True
        except DatabaseError as e:
            logger.warning("心跳写入失败，稍后重试：%s", e)
            close_connection()
            return False

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.interval):
                self.beat_once()
        finally:
            close_connection()

    def stop(self) -> None:
        self._stop_event.set()


def retry_until_done(
    fn: Callable[[], object], *, should_give_up: Callable[[], bool], what: str, backoff: Backoff | None = None
) -> bool:
    """Call ``fn`` until it does not raise a database error (waiting longer each time); False if given up."""
    backoff = backoff or Backoff()
    while True:
        try:
            fn()
            return True
        except DatabaseError as e:
            if should_give_up():
                logger.error("%s：数据库仍不可用，放弃（租约到期后任务会重新排队）：%s", what, e)
                return False
            delay = backoff.next_delay()
            logger.warning("%s：数据库繁忙或不可用，%.1f 秒后重试：%s", what, delay, e)
            close_connection()
            time.sleep(delay)
