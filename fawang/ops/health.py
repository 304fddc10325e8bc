"""Readiness: may this site take traffic and will the work it accepts get done?

``/healthz`` answers whether the process is alive (liveness, no database). ``/readyz`` runs these checks, in order,
and answers 503 with the reasons when any fails: the database answers, every migration is applied, a task worker
and the scheduler have beaten recently (fawang.ops.leases), and the outbox is not backed up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max, Min
from django.utils import timezone

from . import conf
from .models import Heartbeat


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons

    def ok(self, name: str) -> None:
        self.checks[name] = "ok"

    def fail(self, name: str, detail: str) -> None:
        self.checks[name] = "fail"
        self.reasons.append({"check": name, "detail": detail})

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ready" if self.ready else "not_ready",
            "checks": self.checks,
            "reasons": self.reasons,
        }


# Once every migration is applied it stays so until the next deployment, which restarts the processes.
_migrations_applied = False


def migrations_pending() -> list[str]:
    global _migrations_applied
    if _migrations_applied:
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]
    _migrations_applied = not pending
    return pending


def _age(moment: dt.datetime | None, now: dt.datetime) -> float | None:
    return None if moment is None else (now - moment).total_seconds()


def readiness(now: dt.datetime | None = None) -> Readiness:
    now = now or timezone.now()
    result = Readiness()
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        result.fail("database", f"数据库无法连接：{e.__class__.__name__}")
        return result
    result.ok("database")

    try:
        pending = migrations_pending()
    except DatabaseError as e:
        result.fail("migrations", f"无法读取迁移记录：{e.__class__.__name__}")
        return result
    if pending:
        shown = "、".join(pending[:5]) + ("等" if len(pending) > 5 else "")
        result.fail("migrations", f"有 {len(pending)} 个数据库迁移未执行：{shown}")
        return result
    result.ok("migrations")

    beats = dict(Heartbeat.objects.values("role").annotate(last=Max("beat_at")).values_list("role", "last"))
    for role, limit, label in (
        (Heartbeat.Role.WORKER, conf.worker_stale_seconds(), "任务执行进程"),
        (Heartbeat.Role.SCHEDULER, conf.scheduler_stale_seconds(), "调度进程"),
    ):
        age = _age(beats.get(role.value), now)
        if age is None:
            result.fail(role.value, f"没有{label}的心跳记录（进程未启动？）")
        elif age > limit:
            result.fail(role.value, f"{label}心跳已 {age:.0f} 秒未更新（上限 {limit:.0f} 秒）")
        else:
            result.ok(role.value)

    message = apps.get_model("notify", "Message")
    due = message.objects.due(now)
    backlog = due.order_by().values("pk")[: conf.outbox_max() + 1].count()
    oldest = _age(due.aggregate(oldest=Min("next_attempt_at"))["oldest"], now)
    if backlog > conf.outbox_max():
        result.fail("outbox", f"待发送消息超过 {conf.outbox_max()} 条")
    elif oldest is not None and oldest > conf.outbox_max_age_seconds():
        result.fail(
            "outbox",
            f"最早一条待发送消息已等待 {oldest:.0f} 秒（上限 {conf.outbox_max_age_seconds():.0f} 秒）",
        )
    else:
        result.ok("outbox")
    return result
