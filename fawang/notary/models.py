"""公证 (notary) requests on the matter workflow: the notary type asked for (with its materials and fee basis), and
whether the person is a legal-aid recipient (法律援助受援人), in which case the notary office reduces or waives the
notary fee (公证法 第三十四条第二款; 法律援助法 第五十三条第二款)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import Matter


class NotaryType(models.TextChoices):
    INHERITANCE = "inheritance", _("继承")
    POWER = "power", _("委托")
    DECLARATION = "declaration", _("声明")
    KINSHIP = "kinship", _("亲属关系")
    EDUCATION = "education", _("学历、学位")
    NO_RECORD = "no_record", _("无犯罪记录")
    CONTRACT = "contract", _("合同（协议）")
    PRESERVATION = "preservation", _("保全证据")


class NotaryRequest(models.Model):
    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, primary_key=True, related_name="notary"
    )
    notary_type = models.CharField(
        _("公证事项"),
        max_length=16,
        choices=NotaryType.choices,
        blank=True,
        help_text=_("空：由公证员受理时确认。"),
    )
    for_use_abroad = models.BooleanField(
        _("用于境外"), default=False, help_text=_("需要翻译、认证的，另行收费。")
    )
    aid_matter = models.ForeignKey(
        Matter,
        verbose_name=_("法律援助事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("受理时该当事人正在或已经获得法律援助的事项：公证费依法减收或者免收。"),
    )
    # 材料预审: the notary office checks the materials before the person comes in, and tells them at once
    # everything that is missing (公证程序规则 第二十条 一次性告知).
    reviewed_at = models.DateTimeField(
        _("预审时间"),
        null=True,
        blank=True,
        help_text=_(
            "公证员最近一次材料预审的时间；预审后一次性告知申请人尚缺的全部材料（《公证程序规则》）。为空表示尚未预审。"
        ),
    )
    missing = models.JSONField(
        _("尚缺材料"), default=list, blank=True, help_text=_("最近一次预审时申请人尚未提交的材料。")
    )
    review_note = models.CharField(
        _("预审意见"),
        max_length=300,
        blank=True,
        help_text=_("预审时给申请人的说明，随尚缺材料清单一并告知。"),
    )
    # 预约办理: the day and place the person comes to sign before the notary, once the materials are complete.
    appointment_at = models.DateTimeField(
        _("预约办理时间"),
        null=True,
        blank=True,
        help_text=_("材料齐全后约定申请人到公证处当面签署的日期和时间。"),
    )
    appointment_place = models.CharField(
        _("办理地点"),
        max_length=100,
        blank=True,
        help_text=_("约定办理的地点，例如公证处某办证大厅或某窗口。"),
    )

    class Meta:
        verbose_name = _("公证申请")
        verbose_name_plural = _("公证申请")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_notary_type_display()}"

    @property
    def fee_reduced(self) -> bool:
        return self.aid_matter_id is not None

    @property
    def materials_complete(self) -> bool:
        """Pre-reviewed, and nothing was missing."""
        return self.reviewed_at is not None and not self.missing
