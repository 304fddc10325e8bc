"""The task worker, supervised: ``manage.py db_worker`` runs this one (fawang.ops comes before django_tasks_db in
INSTALLED_APPS), with the package's options.

What it adds to django_tasks_db's worker:

- a heartbeat (fawang.ops.leases) written at start and every WORKER_HEARTBEAT_SECONDS from a thread, so a task
  this worker claimed keeps its lease while it runs, and /readyz can tell that a worker is alive;
- running tasks whose worker died (``kill -9``, power cut) are handed back to the queue once their lease runs out,
  by any worker and by the scheduler;
- a busy, locked or unreachable database never kills it: every database step is retried with growing waits
  (0.5 s doubling up to 30 s), and a task's outcome is recorded once the database answers again.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from typing import Any

from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as PackageCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from fawang.ops import conf, leases
from fawang.ops.models import Heartbeat

logger = logging.getLogger("fawang.ops")


class SupervisedWorker(Worker):
    heartbeat_thread = True  # tests of the loop alone switch it off

    def run(self) -> None:
        logger.info("任务执行进程启动：worker_id=%s 队列=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())
        self.backoff = leases.Backoff()
        self.heartbeat = leases.HeartbeatThread(self.worker_id, Heartbeat.Role.WORKER)
        leases.retry_until_done(
            self.heartbeat.beat_once_or_raise, should_give_up=lambda: not self.running, what="首次心跳"
        )
        if self.heartbeat_thread:
            self.heartbeat.start()
        self.last_reclaim = 0.0
        try:
            while self.running:
                try:
                    if self.step():
                        return
                    self.backoff.reset()
                except DatabaseError as e:
                    # A locked or unreachable database: wait longer each time, never die.
                    delay = self.backoff.next_delay()
                    logger.warning("数据库繁忙或不可用，%.1f 秒后重试：%s", delay, e)
                    leases.close_connection()
                    if self.running:
                        time.sleep(delay)
        finally:
            self.heartbeat.stop()
            with contextlib.suppress(DatabaseError):
                leases.forget(self.worker_id)

    def step(self) -> bool:
        """One round: reclaim stale leases now and then, claim and run one task, or sleep. True: stop now."""
        close_old_connections()
        if time.monotonic() - self.last_reclaim >= max(1.0, conf.lease_seconds() / 4):
            leases.reclaim_stale_tasks()
            self.last_reclaim = time.monotonic()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is not None:
            self.run_task(task_result)
        elif self.batch:
            logger.info("队列已空，执行进程 %s 退出。", self.worker_id)
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return True
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, then record its outcome, retrying the recording until the database answers."""
        self.running_task = True
        outcome: tuple[bool, Any]
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=type(task.get_backend()), task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                outcome = (True, value)
            except Exception as e:
                logger.exception("任务 %s 失败", db_task_result.id)
                outcome = (False, e)
                # A task that failed on the database may leave this connection unusable. One that succeeded
                # keeps it: a new PostgreSQL connection per task (a backend process forked, ~50 ms on a loaded
                # 2-core machine) cost the site CPU on every intake's delivery (bench_matters); step() still
                # drops a connection that is broken or past CONN_MAX_AGE (close_old_connections).
                leases.close_connection()

            def record() -> None:
                if outcome[0]:
                    db_task_result.set_successful(outcome[1])
                else:
                    db_task_result.set_failed(outcome[1])

            if leases.retry_until_done(record, should_give_up=lambda: not self.running, what="记录任务结果"):
                try:
                    task_finished.send(
                        sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                    )
                except Exception:
                    logger.exception("任务 %s 的完成通知失败", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(PackageCommand):
    help = "后台任务执行进程（带心跳租约；数据库繁忙时等待重试，不退出）。"

    def handle(self, *args: Any, **options: Any) -> None:
        import django_tasks_db.management.commands.db_worker as package

        # The package's handle() builds its Worker by name: give it ours, with its option parsing unchanged.
        original = package.Worker
        package.Worker = SupervisedWorker  # type: ignore[misc]
        try:
            if not options.get("worker_id"):
                options["worker_id"] = get_random_string(32)
            super().handle(*args, **options)
        finally:
            package.Worker = original  # type: ignore[misc]
