"""便民箱: suggestions and complaints about a service point, put online from a 工作室's public page (anonymous
allowed, contact optional) or entered by staff from paper slips. Each goes to the town's 工作站 (the room's
parent), which answers it within a time limit; the answer is published on the room's page only if the author
agreed. Moves only through fawang.frontdesk.actions.suggestions, each with an audit row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.lib.validators import mask_phone
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit

if TYPE_CHECKING:
    from fawang.accounts.models import User


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def visible_to(self, user: User) -> SuggestionQuerySet:
        """Staff reaching the station it was sent to, or the point it was made at."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(unit_ids_filter(user, "unit_id") | unit_ids_filter(user, "point_id"))

    def published(self) -> SuggestionQuerySet:
        return self.filter(status=Suggestion.Status.ANSWERED, may_publish=True)


class Suggestion(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("网上留言")
        PAPER = "paper", _("纸质意见")

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    point = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("意见所涉的服务点。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("办理单位"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("工作室的意见转所在乡镇（街道）工作站答复；其他服务点由本点答复。"),
    )
    source = models.CharField(
        _("来源"),
        max_length=8,
        choices=Source.choices,
        help_text=_("网上留言（工作室公开页面，可匿名）或工作人员录入的纸质意见。"),
    )
    body = models.TextField(_("意见内容"), max_length=2000, help_text=_("纯文本；显示时转义。"))
    name = models.CharField(_("署名"), max_length=32, blank=True, help_text=_("可匿名。"))
    phone = models.CharField(_("联系电话"), max_length=11, blank=True, help_text=_("选填，用于回复。"))
    may_publish = models.BooleanField(
        _("同意公开答复"), default=False, help_text=_("同意后，答复（不含署名和电话）在服务点页面公开。")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, help_text=_("待答复或已答复。")
    )
    due_at = models.DateTimeField(
        _("答复期限"), help_text=_("提交后 FRONTDESK_SUGGESTION_WORKDAYS 个工作日（默认 10）内答复。")
    )
    answer = models.TextField(
        _("答复"),
        max_length=2000,
        blank=True,
        help_text=_("办理单位的答复；同意公开时在服务点页面显示（不含署名和电话）。"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出答复的工作人员。"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, help_text=_("作出答复的时间。"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("纸质意见的录入人。"),
    )
    created_at = models.DateTimeField(_("提交时间"), help_text=_("留言提交或纸质意见录入的时间。"))
    ip = models.GenericIPAddressField(
        _("提交地址"), null=True, blank=True, help_text=_("网上留言的客户端地址，用于限制频率。")
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("便民箱意见")
        verbose_name_plural = _("便民箱意见")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status", "due_at"], name="frontdesk_suggestion_due")]

    def __str__(self) -> str:
        return f"{self.point.name} · {self.created_at:%Y-%m-%d}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""
