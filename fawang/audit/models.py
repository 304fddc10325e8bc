"""The audit trail (操作审计): one row per change to units, windows, staff, roles, second factors, credit records,
village advisors and appointment schedules, written by the action that makes the change, in its transaction.

Rows are only ever added: ``save`` refuses to change a stored row and the queryset refuses bulk updates and
deletes. Users and units are referred to by settings.AUTH_USER_MODEL and "orgs.Unit" so that this app depends on
nothing but ``lib``; the actor's user name and the target's name are kept as text, so a row still reads the
same after the account or the unit is renamed or gone.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import codes


class AppendOnly(Exception):
    """An attempt to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("审计记录只能新增，不能修改。")

    def delete(self) -> NoReturn:
        raise AppendOnly("审计记录只能新增，不能删除。")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed with the time below
        help_text=_("做出这项变更的账号；为空表示由系统（演示数据、定时任务、命令行）完成。"),
    )
    actor_name = models.CharField(
        _("操作人用户名"),
        max_length=150,
        blank=True,
        help_text=_("操作时的用户名，账号改名或删除后仍可追溯。"),
    )
    action = models.CharField(
        _("操作代码"),
        max_length=64,
        help_text=_(
            "点分的操作代码，例如 orgs.grant_role（授予角色）；由各应用在 fawang/audit/codes.py 登记。"
        ),
    )
    label = models.CharField(_("操作"), max_length=64, help_text=_("写入时的中文操作名称，供列表展示。"))
    target_type = models.CharField(
        _("对象类型"), max_length=64, help_text=_("被变更的数据的模型标识，例如 orgs.membership。")
    )
    target_id = models.CharField(_("对象编号"), max_length=64, help_text=_("被变更的数据的主键。"))
    target_name = models.CharField(
        _("对象名称"), max_length=200, blank=True, help_text=_("写入时对象的名称快照，例如“思明区司法局”。")
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("所涉机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed with the time below
        help_text=_("变更所涉的机构；审计查询按机构筛选，查看范围也由它决定。"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("所涉人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed with the time below
        help_text=_(
            "变更所涉的工作人员（例如被授予角色的人）；与机构无关的账号变更按此人的任职决定查看范围。"
        ),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所涉区划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed with the time below
        help_text=_("按区划管理的数据（例如一村一法律顾问）所在的村（社区）。"),
    )
    before = models.JSONField(
        _("变更前"),
        default=dict,
        blank=True,
        help_text=_("变更前的字段值，只含有变化的字段；从不记录密码、动态口令密钥或完整身份证号码。"),
    )
    after = models.JSONField(
        _("变更后"), default=dict, blank=True, help_text=_("变更后的字段值，只含有变化的字段。")
    )
    ip = models.GenericIPAddressField(
        _("IP 地址"), null=True, blank=True, help_text=_("操作人的客户端地址。")
    )
    note = models.CharField(
        _("说明"), max_length=500, blank=True, help_text=_("补充说明，例如停止预约的原因。")
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        # The console lists newest first, filtered by one of these (and a date range): each filter reads its
        # own index in the list's order.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_time"),
            models.Index(fields=["unit", "-created_at"], name="audit_unit_time"),
            models.Index(fields=["person", "-created_at"], name="audit_person_time"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
            models.Index(fields=["region", "-created_at"], name="audit_region_time"),
            models.Index(fields=["action", "-created_at"], name="audit_action_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {self.actor_name or '系统'} {self.label} {self.target_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("审计记录只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("审计记录只能新增，不能删除。")

    @property
    def action_label(self) -> str:
        """The label in the current language when the code is registered, else the one stored."""
        return codes.label(self.action) if self.action in codes.CODES else self.label
