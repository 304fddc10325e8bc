"""The scheduler's default job list: the core's jobs, each business line's registered job, the outbox last."""

from __future__ import annotations

import io

from django.test import SimpleTestCase, TestCase
from django.utils.module_loading import import_string
from django_tasks.base import Task

from fawang.matters import conf


class DefaultJobsTests(SimpleTestCase):
    def test_lines_jobs_run_between_the_core_and_the_outbox(self) -> None:
        jobs = conf.scheduler_jobs()
        self.assertEqual(jobs[: len(conf.DEFAULT_JOBS)], conf.DEFAULT_JOBS)
        self.assertEqual(jobs[-1], "fawang.notify.tasks.deliver_due_messages")
        for line_job in (
            "fawang.frontdesk.tasks.derive_slots_task",
            "fawang.corrections.tasks.scan_supervision_task",
            "fawang.insights.tasks.refresh_rollups_task",
            "fawang.mediation.tasks.daily_task",
            "fawang.advisors.tasks.check_missed_task",
        ):
            self.assertIn(line_job, jobs)
        self.assertEqual(len(jobs), len(set(jobs)))

    def test_every_job_imports_as_a_task(self) -> None:
        for path in conf.scheduler_jobs():
            self.assertIsInstance(import_string(path), Task, path)

    def test_a_configured_list_replaces_the_default(self) -> None:
        with self.settings(SCHEDULER_JOBS=["fawang.matters.tasks.scan_deadlines_task"]):
            self.assertEqual(conf.scheduler_jobs(), ["fawang.matters.tasks.scan_deadlines_task"])


class PriorityTests(TestCase):
    def test_a_periodic_job_runs_ahead_of_queued_deliveries(self) -> None:
        from django.core.management import call_command
        from django.db import transaction
        from django_tasks_db.models import DBTaskResult

        from fawang.notify.tasks import deliver_message

        with self.settings(
            TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
            SCHEDULER_JOBS=["fawang.matters.tasks.scan_deadlines_task"],
        ):
            for pk in (1, 2, 3):
                deliver_message.enqueue(pk)  # a backlog of one-message deliveries, queued first
            call_command("scheduler", "--once", stdout=io.StringIO())
        with transaction.atomic():
            first = DBTaskResult.objects.ready().get_locked()
        assert first is not None
        self.assertEqual(first.task_path, "fawang.matters.tasks.scan_deadlines_task")
        self.assertEqual(first.priority, conf.periodic_priority())
