"""/readyz tells the truth: 503 with a JSON reason when the database is down, migrations are unapplied, the worker
or the scheduler has stopped beating, or the outbox is backed up; 200 otherwise. /healthz stays liveness."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.db import OperationalError
from django.db.migrations import Migration
from django.test import TestCase, override_settings
from django.utils import timezone

from fawang.notify.models import Message
from fawang.ops import health
from fawang.ops.models import Heartbeat


@override_settings(READY_WORKER_STALE_SECONDS=60, READY_SCHEDULER_STALE_SECONDS=180)
class ReadyzTestCase(TestCase):
    def setUp(self) -> None:
        now = timezone.now()
        for pid, role in (("w1", "worker"), ("scheduler:h:1", "scheduler")):
            Heartbeat.objects.create(process_id=pid, role=role, started_at=now, beat_at=now)

    def get(self) -> tuple[int, dict[str, Any]]:
        response = self.client.get("/readyz")
        self.assertEqual(response["Content-Type"], "application/json")
        return response.status_code, response.json()

    def reasons(self) -> list[str]:
        status, body = self.get()
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "not_ready")
        return [r["check"] for r in body["reasons"]]

    def test_ready_when_everything_answers(self) -> None:
        status, body = self.get()
        self.assertEqual(status, 200)
        self.assertEqual(
            body,
            {
                "status": "ready",
                "checks": {
                    "database": "ok",
                    "migrations": "ok",
                    "worker": "ok",
                    "scheduler": "ok",
                    "outbox": "ok",
                },
                "reasons": [],
            },
        )

    def test_database_down(self) -> None:
        with mock.patch.object(health.connection, "ensure_connection", side_effect=OperationalError("down")):
            self.assertEqual(self.reasons(), ["database"])
            # Liveness does not depend on the database.
            response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.content), (200, b"ok"))

    def test_migrations_unapplied(self) -> None:
        pending = [(Migration("0099_later", "matters"), False)]
        with (
            mock.patch.object(health, "_migrations_applied", False),
            mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=pending),
        ):
            status, body = self.get()
        self.assertEqual(status, 503)
        self.assertEqual(
            body["reasons"],
            [{"check": "migrations", "detail": "有 1 个数据库迁移未执行：matters.0099_later"}],
        )

    def test_worker_stale_or_missing(self) -> None:
        Heartbeat.objects.filter(role="worker").update(beat_at=timezone.now() - dt.timedelta(seconds=61))
        self.assertEqual(self.reasons(), ["worker"])
        Heartbeat.objects.filter(role="worker").delete()
        status, body = self.get()
        self.assertEqual(status, 503)
        self.assertEqual(body["reasons"][0]["detail"], "没有任务执行进程的心跳记录（进程未启动？）")

    def test_one_fresh_worker_is_enough(self) -> None:
        old = timezone.now() - dt.timedelta(hours=1)
        Heartbeat.objects.create(process_id="w0", role="worker", started_at=old, beat_at=old)
        self.assertEqual(self.get()[0], 200)

    def test_scheduler_stale(self) -> None:
        Heartbeat.objects.filter(role="scheduler").update(beat_at=timezone.now() - dt.timedelta(seconds=181))
        self.assertEqual(self.reasons(), ["scheduler"])

    @override_settings(READY_OUTBOX_MAX=2, READY_OUTBOX_MAX_AGE_SECONDS=900)
    def test_outbox_backlog(self) -> None:
        now = timezone.now()

        def queue(n: int, due: dt.datetime) -> None:
            for i in range(n):
                Message.objects.create(
                    channel=Message.Channel.SMS, phone="13900000000", body=f"测试 {i}", next_attempt_at=due
                )

        queue(2, now)
        self.assertEqual(self.get()[0], 200)
        # Messages due later are no backlog.
        queue(5, now + dt.timedelta(hours=1))
        self.assertEqual(self.get()[0], 200)
        queue(1, now)
        self.assertEqual(self.reasons(), ["outbox"])
        Message.objects.all().delete()
        queue(1, now - dt.timedelta(seconds=901))
        self.assertEqual(self.reasons(), ["outbox"])
