"""What the supervision app keeps of its own: daily facts (a rollup of the matters, rebuilt from them), the
rollup's watermark, and the early warnings (风险预警) with their audited loop.

No business line imports this app; it reads the matters and writes only these tables.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import Channel, ServiceItem
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region


def _dim(model: type[models.Model], label: Any, *, null: bool = False) -> Any:
    # Facts are a copy of the matters' numbers: no database constraint, so a rebuild never waits on the
    # dimension tables and a deleted unit or item never blocks (its facts go with the next rebuild).
    return models.ForeignKey(
        model,
        verbose_name=label,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=null,
        blank=null,
    )


class DailyFact(models.Model):
    """One day's numbers of one combination of region (down to the village) × service item × topic × channel ×
    handling unit. Each number counts the event of its own day (a matter received on Monday and completed on
    Friday is in Monday's ``received`` and Friday's ``completed``). Written only by ``rollup``."""

    day = models.DateField(_("日期"), help_text=_("北京时间的自然日。"))
    region = _dim(Region, _("所涉区划"))
    service_item = _dim(ServiceItem, _("服务事项"))
    topic = _dim(Speciality, _("所涉领域"), null=True)
    channel = models.CharField(_("受理渠道"), max_length=8, choices=Channel.choices)
    unit = _dim(Unit, _("办理机构"))
    received = models.PositiveIntegerField(_("受理登记"), default=0, help_text=_("当日提交的事项数。"))
    accepted = models.PositiveIntegerField(_("受理"), default=0)
    completed = models.PositiveIntegerField(_("办结"), default=0)
    on_time = models.PositiveIntegerField(
        _("按时办结"), default=0, help_text=_("当日办结、最后一个计时环节未因超期被督办的事项数。")
    )
    overdue = models.PositiveIntegerField(
        _("超期"), default=0, help_text=_("当日超过办理时限（被超期督办）的事项数。")
    )
    rated = models.PositiveIntegerField(_("评价"), default=0)
    good = models.PositiveIntegerField(_("好评"), default=0, help_text=_("非常满意、满意、基本满意。"))
    bad = models.PositiveIntegerField(_("差评"), default=0, help_text=_("不满意、非常不满意。"))
    complaints = models.PositiveIntegerField(_("投诉"), default=0)

    class Meta:
        verbose_name = _("每日统计")
        verbose_name_plural = _("每日统计")
        indexes = [
            # A dashboard reads a region range over a period.
            models.Index(fields=["day", "region"], name="fact_day_region"),
            models.Index(fields=["region", "day"], name="fact_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id}"


class RollupState(models.Model):
    """The rollup's watermark: the incremental update looks at what changed since ``refreshed_at``."""

    name = models.CharField(_("名称"), max_length=20, unique=True, default="facts")
    refreshed_at = models.DateTimeField(_("上次更新时间"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("上次重建时间"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("统计行数"), default=0)

    class Meta:
        verbose_name = _("统计更新状态")
        verbose_name_plural = _("统计更新状态")

    def __str__(self) -> str:
        return self.name


class Warning(models.Model):
    """风险预警: a hotspot, a drop in time limits kept or in satisfaction, raised for the supervisors of a region.
    The loop — acknowledge, assign, note the action taken, close — goes through ``actions`` and each step writes
    an audit row."""

    class Kind(models.TextChoices):
        HOTSPOT = "hotspot", _("热点问题")
        TIME_LIMIT = "time_limit", _("按时办结率下降")
        SATISFACTION = "satisfaction", _("满意率下降")

    class Status(models.TextChoices):
        OPEN = "open", _("待签收")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        ASSIGNED = "assigned", _("已交办")
        CLOSED = "closed", _("已办结")

    OPEN_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.ASSIGNED)

    kind = models.CharField(_("预警类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey(
        Speciality,
        verbose_name=_("所涉领域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    title = models.CharField(_("标题"), max_length=120)
    observed = models.FloatField(_("实际值"))
    expected = models.FloatField(_("预期值"))
    p_value = models.FloatField(_("显著性 p 值"), null=True, blank=True)
    explanation = models.JSONField(
        _("成因分析"), default=dict, blank=True, help_text=_("上升最多的词语、机构、事项、渠道和示例事项。")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("处置期限"))
    assigned_unit = models.ForeignKey(
        Unit, verbose_name=_("交办单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action_taken = models.TextField(_("处置情况"), blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("预警时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Raising the same warning again (the next scheduler pass) finds the one raised.
            models.UniqueConstraint(
                fields=["kind", "region", "topic", "period_end"], name="warning_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "region"], name="warning_status_region")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()
