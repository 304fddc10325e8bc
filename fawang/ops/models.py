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
    process_id = models.CharField(
        _("进程标识"),
        max_length=64,
        primary_key=True,
        help_text=_(
            "进程的唯一标识：任务执行进程为任务表 worker_ids 中记录的编号，调度进程为“scheduler:主机:进程号”。"
        ),
    )
    role = models.CharField(
        _("角色"),
        max_length=16,
        choices=Role.choices,
        help_text=_("任务执行进程（db_worker）或调度进程（scheduler）；/readyz 按角色检查心跳。"),
    )
    host = models.CharField(_("主机"), max_length=255, blank=True, help_text=_("进程所在主机名，便于排查。"))
    pid = models.PositiveIntegerField(_("进程号"), default=0, help_text=_("进程在主机上的进程号，便于排查。"))
    started_at = models.DateTimeField(_("启动时间"), help_text=_("进程启动的时间。"))
    beat_at = models.DateTimeField(
        _("最近心跳"),
        db_index=True,
        help_text=_(
            "最近一次心跳（默认每 10 秒，WORKER_HEARTBEAT_SECONDS）；任务执行进程超过租约（TASK_LEASE_SECONDS，默认 60 秒）未心跳，其任务交给其他进程重做。"
        ),
    )

    class Meta:
        verbose_name = _("进程心跳")
        verbose_name_plural = _("进程心跳")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.process_id}"
