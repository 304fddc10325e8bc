"""安置帮教 (resettlement of released prisoners): the prison's release notice about a month before release
(衔接), the 必接必送 hand-over of 重点帮教对象, and the five-year 帮教 file with the help given and the placement.

The 司法所 of the registered residence (户籍地) gets the case. A correction that ends by 解除 also opens a file
here (the hook registered with fawang.corrections.actions.on_end). Every write goes through actions.py with an
audit row in its transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, mask_name, validate_id_number
from fawang.orgs.models import Unit
from fawang.regions.models import Region

FILE_YEARS = 5


class ReleaseNotice(models.Model):
    """刑满释放人员衔接: what a prison or detention centre sends before release, and how the 司法所 met it."""

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("待衔接")
        CONNECTED = "connected", _("已衔接")

    prison = models.ForeignKey(
        Unit,
        verbose_name=_("监狱或看守所"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发出释放通知的监狱或看守所（释放前约一个月通知户籍地司法所）。"),
    )
    notice_no = models.CharField(
        _("通知编号"), max_length=40, help_text=_("监所自己的编号；重复发送时据此识别。")
    )
    name = models.CharField(_("姓名"), max_length=32, help_text=_("即将刑满释放人员的姓名；列表中遮蔽显示。"))
    id_number = crypto.EncryptedTextField(
        _("身份证号码"), validators=[validate_id_number], help_text=_("加密保存；页面只显示前六位和后四位。")
    )
    id_number_hash = models.CharField(
        max_length=64,
        editable=False,
        db_index=True,
        help_text=_("带密钥的哈希值，用于按号码查找，不可还原号码。"),
        verbose_name=_("身份证号码索引"),
    )
    residence = models.ForeignKey(
        Region,
        verbose_name=_("户籍地"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("释放人员的户籍所在地，决定接收通知的司法所。"),
    )
    office = models.ForeignKey(
        Unit,
        verbose_name=_("户籍地司法所"),
        on_delete=models.PROTECT,
        related_name="release_notices",
        help_text=_("户籍地所在乡镇（街道）的司法所，负责衔接和帮教。"),
    )
    crime = models.CharField(_("罪名"), max_length=100, help_text=_("判决认定的罪名。"))
    sentence = models.CharField(_("刑期"), max_length=50, help_text=_("判处的刑期，如“有期徒刑三年”。"))
    release_on = models.DateField(
        _("释放日期"),
        db_index=True,
        help_text=_("刑满释放的日期；衔接时间不得早于此日前一天，五年帮教期从此日起算。"),
    )
    is_key = models.BooleanField(
        _("重点帮教对象"),
        default=False,
        help_text=_(
            "重点帮教对象须必接必送，衔接率目标 100%；一般帮教对象 70% 以上（仙政办〔2017〕134号）。"
        ),
    )
    key_reasons = models.CharField(
        _("列为重点的原因"), max_length=300, blank=True, help_text=_("监所列为重点帮教对象的原因。")
    )
    received_at = models.DateTimeField(
        _("收到时间"), default=timezone.now, help_text=_("司法所收到释放通知的时间。")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.NOTIFIED,
        help_text=_("待衔接；登记接收人（重点帮教对象还须交接地点）后为已衔接，并建立帮教档案。"),
    )
    connected_at = models.DateTimeField(
        _("衔接时间"), null=True, blank=True, help_text=_("接回或首次联系上释放人员的时间。")
    )
    received_by = models.CharField(
        _("接收人"), max_length=100, blank=True, help_text=_("必接必送：谁接的人。")
    )
    handover_place = models.CharField(
        _("交接地点"), max_length=200, blank=True, help_text=_("必接必送的交接地点；重点帮教对象必填。")
    )
    connected_note = models.CharField(
        _("衔接情况"), max_length=500, blank=True, help_text=_("衔接的经过和情况说明。")
    )

    class Meta:
        verbose_name = _("刑满释放衔接")
        verbose_name_plural = _("刑满释放衔接")
        ordering = ["release_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["prison", "notice_no"], name="resettle_notice_once")]

    def __str__(self) -> str:
        return f"{self.notice_no} {mask_name(self.name)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_hash = crypto.lookup_hash(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class HelpFile(models.Model):
    """五年帮教档案: from release (or the end of correction) for five years."""

    class Source(models.TextChoices):
        PRISON = "prison", _("刑满释放")
        CORRECTIONS = "corrections", _("社区矫正解除")

    class Placement(models.TextChoices):
        NONE = "none", _("未安置")
        JOB = "job", _("就业安置")
        BUSINESS = "business", _("自主创业")
        ASSISTANCE = "assistance", _("社会救助")
        FAMILY = "family", _("家庭接纳")

    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=Source.choices,
        help_text=_("刑满释放（经衔接）或社区矫正期满解除后转入安置帮教。"),
    )
    notice = models.OneToOneField(
        ReleaseNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_file",
        help_text=_("刑满释放的，衔接时据以建档的释放通知。"),
        verbose_name=_("释放通知"),
    )
    correction_file_no = models.CharField(
        _("社区矫正档案编号"),
        max_length=32,
        blank=True,
        help_text=_("社区矫正期满解除转入的，原社区矫正档案编号；同一编号只建一份档案。"),
    )
    office = models.ForeignKey(
        Unit,
        verbose_name=_("负责司法所"),
        on_delete=models.PROTECT,
        related_name="help_files",
        help_text=_("负责帮教的司法所：户籍地司法所，或原负责社区矫正的司法所。"),
    )
    name = models.CharField(_("姓名"), max_length=32, help_text=_("帮教对象姓名；列表中遮蔽显示。"))
    id_number = crypto.EncryptedTextField(
        _("身份证号码"), help_text=_("加密保存，取自释放通知或社区矫正档案。")
    )
    id_number_hash = models.CharField(
        max_length=64,
        editable=False,
        db_index=True,
        help_text=_("带密钥的哈希值，用于按号码查找，不可还原号码。"),
        verbose_name=_("身份证号码索引"),
    )
    is_key = models.BooleanField(
        _("重点帮教对象"), default=False, help_text=_("重点帮教对象，取自释放通知。")
    )
    opened_on = models.DateField(
        _("帮教起始日期"), help_text=_("释放日期或社区矫正解除日期；五年帮教期从此起算。")
    )
    ends_on = models.DateField(_("帮教期满日期"), help_text=_("帮教起始日期后五年（安置帮教期限为五年）。"))
    plan = models.TextField(
        _("帮教计划"), blank=True, help_text=_("帮教小组的帮教计划：需要哪些帮扶、由谁负责。")
    )
    placement = models.CharField(
        _("安置情况"),
        max_length=16,
        choices=Placement.choices,
        default=Placement.NONE,
        help_text=_("就业安置、自主创业、社会救助或家庭接纳；安置率目标 95% 以上（仙政办〔2017〕134号）。"),
    )
    placed_on = models.DateField(_("安置日期"), null=True, blank=True, help_text=_("落实安置的日期。"))
    reoffended_on = models.DateField(
        _("重新犯罪日期"),
        null=True,
        blank=True,
        help_text=_("帮教期内重新犯罪的日期；登记后不再计入安置率，计入重新犯罪率。"),
    )
    reoffence = models.CharField(
        _("重新犯罪情况"),
        max_length=300,
        blank=True,
        help_text=_("帮教期内重新犯罪的罪名和处理情况（重新犯罪率的依据）。"),
    )

    class Meta:
        verbose_name = _("帮教档案")
        verbose_name_plural = _("帮教档案")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{mask_name(self.name)} {self.opened_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number_hash = crypto.lookup_hash((self.id_number or "").strip().upper())
        super().save(*args, **kwargs)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def is_placed(self) -> bool:
        return self.placement != self.Placement.NONE

    def is_open(self, day: dt.date) -> bool:
        return self.opened_on <= day <= self.ends_on


class HelpRecord(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("联系走访")
        JOB = "job", _("介绍就业")
        TRAINING = "training", _("职业技能培训")
        INSURANCE = "insurance", _("社会保险")
        DIBAO = "dibao", _("最低生活保障")
        HOUSING = "housing", _("住房")
        EDUCATION = "education", _("教育")

    file = models.ForeignKey(
        HelpFile,
        on_delete=models.CASCADE,
        related_name="records",
        help_text=_("帮扶记录所属的帮教档案。"),
        verbose_name=_("帮教档案"),
    )
    kind = models.CharField(
        _("帮扶内容"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("联系走访、介绍就业、职业技能培训、社会保险、最低生活保障、住房或教育帮扶。"),
    )
    note = models.TextField(_("情况"), help_text=_("本次帮扶的具体情况。"))
    on = models.DateField(_("日期"), help_text=_("提供帮扶的日期。"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记帮扶记录的工作人员。"),
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("帮教记录")
        verbose_name_plural = _("帮教记录")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Assistant(models.Model):
    """司法协理员 of a 司法所 (the seed's 15:1), for corrections or for resettlement. Invented in the demo."""

    class Line(models.TextChoices):
        CORRECTIONS = "corrections", _("社区矫正")
        RESETTLEMENT = "resettlement", _("安置帮教")

    office = models.ForeignKey(
        Unit,
        verbose_name=_("司法所"),
        on_delete=models.PROTECT,
        related_name="assistants",
        help_text=_("配备司法协理员的司法所。"),
    )
    name = models.CharField(_("姓名"), max_length=32, help_text=_("司法协理员姓名。"))
    line = models.CharField(
        _("岗位"),
        max_length=16,
        choices=Line.choices,
        help_text=_("社区矫正或安置帮教岗位；按 15:1 的比例配备（仙政办〔2017〕134号）。"),
    )
    is_active = models.BooleanField(_("在岗"), default=True, help_text=_("只有在岗的协理员计入配备比例。"))

    class Meta:
        verbose_name = _("司法协理员")
        verbose_name_plural = _("司法协理员")
        ordering = ["office", "line", "pk"]

    def __str__(self) -> str:
        return self.name
