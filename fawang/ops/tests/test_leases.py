"""Leases in-process: which running tasks are handed back, and the worker's loop riding out a locked database."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.db import OperationalError
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from fawang.ops import leases
from fawang.ops.management.commands.db_worker import SupervisedWorker
from fawang.ops.models import Heartbeat

TASK = "fawang.matters.tasks.invite_ratings_task"


def task_row(**fields: Any) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=TASK,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        **fields,
    )


@override_settings(TASK_LEASE_SECONDS=60)
class ReclaimTestCase(TestCase):
    def test_only_tasks_of_workers_past_their_lease_are_queued_again(self) -> None:
        now = timezone.now()
        long_ago = now - dt.timedelta(minutes=10)
        leases.beat("alive", Heartbeat.Role.WORKER)
        Heartbeat.objects.create(process_id="dead", role="worker", started_at=long_ago, beat_at=long_ago)
        of_dead = task_row(status=TaskResultStatus.RUNNING, worker_ids=["dead"], started_at=long_ago)
        of_vanished = task_row(status=TaskResultStatus.RUNNING, worker_ids=["gone"], started_at=long_ago)
        of_alive = task_row(status=TaskResultStatus.RUNNING, worker_ids=["alive"], started_at=long_ago)
        just_claimed = task_row(status=TaskResultStatus.RUNNING, worker_ids=["new"], started_at=now)
        finished = task_row(status=TaskResultStatus.SUCCESSFUL, worker_ids=["dead"], started_at=long_ago)

        self.assertEqual(
            sorted(leases.reclaim_stale_tasks(now)), sorted([str(of_dead.pk), str(of_vanished.pk)])
        )
        statuses = {r.pk: r.status for r in DBTaskResult.objects.all()}
        self.assertEqual(statuses[of_dead.pk], TaskResultStatus.READY)
        self.assertEqual(statuses[of_vanished.pk], TaskResultStatus.READY)
        self.assertEqual(statuses[of_alive.pk], TaskResultStatus.RUNNING)
        self.assertEqual(statuses[just_claimed.pk], TaskResultStatus.RUNNING)
        self.assertEqual(statuses[finished.pk], TaskResultStatus.SUCCESSFUL)
        # A second pass finds nothing more to hand back.
        self.assertEqual(leases.reclaim_stale_tasks(now), [])
        # Once the lease of the live worker runs out too, its task goes back.
        later = now + dt.timedelta(minutes=20)
        self.assertEqual(
            sorted(leases.reclaim_stale_tasks(later)), sorted([str(of_alive.pk), str(just_claimed.pk)])
        )


class WorkerLoopTestCase(TestCase):
    def worker(self) -> SupervisedWorker:
        worker = SupervisedWorker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="w-test",
            excluded_queue_names=[],
        )
        # The heartbeat thread would need a connection of its own; the loop is what is tested here.
        worker.heartbeat_thread = False
        # The test's connection sits in its rolled-back transaction: the loop must not recycle it.
        patcher = mock.patch("fawang.ops.management.commands.db_worker.close_old_connections")
        patcher.start()
        self.addCleanup(patcher.stop)
        return worker

    def test_a_locked_database_is_waited_out_and_the_task_then_runs(self) -> None:
        row = task_row()
        real = leases.reclaim_stale_tasks
        calls = {"n": 0}

        def locked_twice() -> list[str]:
            calls["n"] += 1
            if calls["n"] <= 2:
                raise OperationalError("database is locked")
            return real()

        sleeps: list[float] = []
        with (
            mock.patch.object(leases, "reclaim_stale_tasks", locked_twice),
            mock.patch("fawang.ops.management.commands.db_worker.time.sleep", sleeps.append),
            self.assertLogs("fawang.ops", "WARNING") as logs,
        ):
            worker = self.worker()
            worker.last_reclaim = 0.0
            worker.run()
        row.refresh_from_db()
        self.assertEqual(row.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(row.worker_ids, ["w-test"])
        self.assertEqual(sleeps[:2], [0.5, 1.0])  # growing waits
        self.assertEqual(sum("database is locked" in line for line in logs.output), 2)
        # The worker removed its heartbeat when it stopped.
        self.assertFalse(Heartbeat.objects.filter(process_id="w-test").exists())

    def test_the_outcome_is_recorded_once_the_database_answers(self) -> None:
        row = task_row()
        real = DBTaskResult.set_successful
        calls = {"n": 0}

        def locked_once(self_: DBTaskResult, value: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise OperationalError("database is locked")
            real(self_, value)

        with (
            mock.patch.object(DBTaskResult, "set_successful", locked_once),
            mock.patch("fawang.ops.leases.time.sleep"),
            self.assertLogs("fawang.ops", "WARNING"),
        ):
            self.worker().run()
        row.refresh_from_db()
        self.assertEqual(row.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(calls["n"], 2)

    def test_a_task_that_succeeds_keeps_the_connection_and_one_that_fails_drops_it(self) -> None:
        # A new PostgreSQL connection per task (a backend forked each time) cost the site CPU on every intake's
        # message delivery; only a failed task may leave the connection unusable.
        ok = task_row()
        with mock.patch.object(leases, "close_connection") as close:
            self.worker().run()
        ok.refresh_from_db()
        self.assertEqual(ok.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(close.call_count, 0)

        failed = task_row()
        with (
            mock.patch(
                "fawang.matters.actions.invite_ratings", side_effect=OperationalError("server closed")
            ),
            mock.patch.object(leases, "close_connection") as close,
            self.assertLogs("fawang.ops", "ERROR"),
        ):
            self.worker().run()
        failed.refresh_from_db()
        self.assertEqual(failed.status, TaskResultStatus.FAILED)
        self.assertEqual(close.call_count, 1)
