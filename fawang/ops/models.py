"""Heartbeats of the long-running processes (task workers, the scheduler): the lease that lets a crashed worker's
task be taken up again, and what /readyz reads to tell whether background work is alive."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    class Role(models.TextChoices):
        WORKER = "worker", _("任务执行进程")
        SCHEDULER = "scheduler", _("调度进程")

    # The worker id a task row records in ``worker_ids`` (django_tasks_db), or "scheduler:<host>:<pid>".
    process_id = models.CharField(_("进程标识"), max_length=64, primary_key=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    host = models.CharField(_("主机"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), default=0)
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("进程心跳")
        verbose_name_plural = _("进程心跳")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.process_id}"
