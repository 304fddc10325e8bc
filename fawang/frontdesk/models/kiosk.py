"""The self-service terminal (自助终端) of a service point: a look-up of a matter by ID card number and tracking
number, and the link that lets the person upload materials for that matter from their own phone.

``KioskLookup`` is one row per look-up, found or not: it is both the access log of a search by ID number on a
shared terminal and what the terminal's rate limit counts. ``UploadHandoff`` is the link behind the QR code the
terminal shows: unguessable, short-lived (FRONTDESK_HANDOFF_MINUTES, 10) and good for one upload. Both are written
only by fawang.frontdesk.actions.kiosk, with an audit row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import Matter
from fawang.orgs.models import Unit


class KioskLookup(models.Model):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("查询所在终端的服务点。"),
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("查到的事项；身份证号码与受理编号不符时为空。"),
    )
    ip = models.GenericIPAddressField(_("终端地址"), null=True, blank=True, help_text=_("用于限制查询频率。"))
    created_at = models.DateTimeField(_("查询时间"), db_index=True)

    class Meta:
        verbose_name = _("自助终端查询")
        verbose_name_plural = _("自助终端查询")
        indexes = [models.Index(fields=["unit", "ip", "created_at"], name="frontdesk_kiosklookup_ip")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.created_at:%Y-%m-%d %H:%M}"


class UploadHandoff(models.Model):
    token = models.CharField(
        _("链接令牌"), max_length=64, unique=True, help_text=_("二维码中的随机令牌，不可猜测。")
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("手机上传的材料归入的事项。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("显示二维码的终端所在服务点。"),
    )
    created_at = models.DateTimeField(_("生成时间"))
    expires_at = models.DateTimeField(_("失效时间"), help_text=_("过期后链接不能再上传。"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True, help_text=_("上传一次后即失效。"))
    files = models.PositiveSmallIntegerField(_("文件数"), default=0, help_text=_("经此链接上传的文件数。"))

    class Meta:
        verbose_name = _("扫码上传链接")
        verbose_name_plural = _("扫码上传链接")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.created_at:%Y-%m-%d %H:%M}"
