"""The scheduler loop: every N seconds, run each periodic job (deadline scan, rating invitations, callback
sampling, outbox delivery ...).

By default a job that is a Django task is *enqueued*, so the task worker (`manage.py db_worker`) runs it and
its result is recorded; a job whose previous run has not finished yet is not enqueued again, so a stopped
worker does not pile up copies. ``--inline`` runs the jobs in this process instead (no worker needed). The jobs
claim their rows with conditional UPDATEs, so two schedulers or workers running at once are safe.

Surviving faults (fawang.ops): each pass records the scheduler's heartbeat (read by /readyz) and hands back to the
queue the tasks whose worker died mid-run (their lease ran out), so a killed worker stops no job for good; whether
a job is still queued or running is read from the task table, so a restarted scheduler does not queue copies; a
busy or unreachable database makes a pass wait and try again, never stop the loop.

    manage.py scheduler                 # loop, enqueue for the worker, every SCHEDULER_INTERVAL_SECONDS (60)
    manage.py scheduler --inline        # loop, run the jobs here
    manage.py scheduler --once --inline # one pass (cron, tests)
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from fawang.matters import conf
from fawang.ops import leases
from fawang.ops.models import Heartbeat

logger = logging.getLogger("fawang.scheduler")
UNFINISHED = {TaskResultStatus.READY, TaskResultStatus.RUNNING}


class Command(BaseCommand):
    help = "周期任务调度：超期扫描、评价邀请、回访抽样、消息投递等，每隔 N 秒运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=None, help="两次运行之间的秒数（默认 60）。")
        parser.add_argument("--once", action="store_true", help="只运行一轮后退出。")
        parser.add_argument("--inline", action="store_true", help="在本进程内直接运行，而不是交给任务队列。")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or conf.scheduler_interval()
        self.inline = bool(options["inline"])
        self.stopping = False
        self.pending: dict[str, TaskResult[Any]] = {}
        jobs = self.load_jobs()
        self.process_id = f"scheduler:{socket.gethostname()}:{os.getpid()}"[:64]
        self.backoff = leases.Backoff()
        if not options["once"]:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
            self.stdout.write(
                f"调度器已启动：{len(jobs)} 个周期任务，每 {interval:g} 秒一轮（{'本进程运行' if self.inline else '交给任务队列'}）。"
            )
        while True:
            started = time.monotonic()
            if not self.supervise() and not options["once"]:
                # The database is busy or down: wait (longer each time) and try the pass again.
                time.sleep(self.backoff.next_delay())
                if self.stopping:
                    break
                continue
            for name, job in jobs:
                self.run_job(name, job)
            if options["once"] or self.stopping:
                break
            # A long-lived process: drop connections that broke or outlived CONN_MAX_AGE between passes.
            close_old_connections()
            # Sleep in short steps so a stop signal is answered promptly.
            while not self.stopping and time.monotonic() - started < interval:
                time.sleep(min(0.5, interval))
            if self.stopping:
                break
        if not options["once"]:
            with contextlib.suppress(DatabaseError):
                leases.forget(self.process_id)

    def stop(self, signum: int, frame: Any) -> None:
        self.stopping = True

    def supervise(self) -> bool:
        """Beat, and requeue the tasks of dead workers. False when the database does not answer."""
        try:
            leases.beat(self.process_id, Heartbeat.Role.SCHEDULER)
            leases.reclaim_stale_tasks()
        except DatabaseError as e:
            logger.warning("scheduler: database busy or unreachable, retrying: %s", e)
            leases.close_connection()
            return False
        self.backoff.reset()
        return True

    def load_jobs(self) -> list[tuple[str, Any]]:
        jobs = []
        for path in conf.scheduler_jobs():
            try:
                jobs.append((path, import_string(path)))
            except ImportError:
                logger.warning("scheduler: job %s is not available, skipped", path)
        self.jobs_by_name = dict(jobs)
        return jobs

    def run_job(self, name: str, job: Any) -> None:
        try:
            if isinstance(job, Task):
                if self.inline:
                    job.call()
                elif not self.still_running(name):
                    # Ahead of the one-message deliveries the site queues: under sustained load they back up,
                    # and a deadline scan behind them waited until the load stopped (bench/bench_faults.py).
                    self.pending[name] = job.using(priority=conf.periodic_priority()).enqueue()
            else:
                job()
        except Exception:
            # One failing job must not stop the others or the loop.
            logger.exception("scheduler: job %s failed", name)

    def still_running(self, name: str) -> bool:
        job = self.jobs_by_name.get(name)
        if isinstance(job, Task) and isinstance(job.get_backend(), DatabaseBackend):
            # From the table, not from memory: a restarted scheduler sees the copy queued before it died.
            return DBTaskResult.objects.filter(task_path=job.module_path, status__in=UNFINISHED).exists()
        previous = self.pending.get(name)
        if previous is None:
            return False
        try:
            previous.refresh()
        except Exception:
            return False
        return previous.status in UNFINISHED
