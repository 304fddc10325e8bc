"""上门服务: a home visit for someone who cannot come (the elderly, the disabled, the seriously ill), asked by the
person, a relative, the village or staff, kept beside its Matter. Asked online (上门服务申请, from 我的 on the
portal) it waits as 待安排; staff schedule it to a staff member or advisor on a date, then the visit record (what was done, the follow-up; signatures and photos are the matter's attachments).
Written only by fawang.frontdesk.actions.visits, each step with a MatterEvent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import Matter


class HomeVisit(models.Model):
    class Group(models.TextChoices):
        ELDERLY = "elderly", _("老年人")
        DISABLED = "disabled", _("残疾人")
        ILL = "ill", _("重病患者")
        OTHER = "other", _("其他行动不便者")

    class AskedBy(models.TextChoices):
        SELF = "self", _("本人")
        RELATIVE = "relative", _("亲属")
        VILLAGE = "village", _("村（居）委会")
        STAFF = "staff", _("工作人员")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待安排")
        SCHEDULED = "scheduled", _("已安排")
        VISITED = "visited", _("已上门")

    matter = models.OneToOneField(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="home_visit",
        help_text=_("上门服务对应的事项，签名和照片作为事项附件保存。"),
    )
    group = models.CharField(
        _("服务对象类别"),
        max_length=10,
        choices=Group.choices,
        help_text=_("老年人、残疾人、重病患者或其他行动不便、无法到场的人。"),
    )
    asked_by = models.CharField(
        _("申请人"),
        max_length=10,
        choices=AskedBy.choices,
        help_text=_("谁提出上门服务：本人、亲属、村（居）委会或工作人员。"),
    )
    address = models.CharField(_("上门地址"), max_length=200, help_text=_("列表中不显示。"))
    visitee_name = models.CharField(
        _("服务对象姓名"),
        max_length=32,
        blank=True,
        help_text=_("亲属代为申请时，需要上门服务的人的姓名；本人申请时为空。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_("网上申请为待安排；安排人员和日期后为已安排；上门后为已上门。"),
    )
    scheduled_on = models.DateField(_("上门日期"), null=True, blank=True, help_text=_("安排的上门日期。"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上门人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("安排上门的工作人员或法律顾问。"),
    )
    record = models.TextField(_("服务记录"), max_length=5000, blank=True, help_text=_("上门做了什么。"))
    follow_up = models.TextField(
        _("后续跟进"), max_length=2000, blank=True, help_text=_("上门后仍需跟进的事项。")
    )
    visited_at = models.DateTimeField(
        _("上门时间"), null=True, blank=True, help_text=_("登记上门记录的时间。")
    )
    created_at = models.DateTimeField(_("登记时间"), help_text=_("上门服务申请或登记的时间。"))

    class Meta:
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_status_display()}"
