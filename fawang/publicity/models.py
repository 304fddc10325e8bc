"""Legal publicity (普法): the register of sites — 法治文化阵地 (parks, squares, corridors), 宣传栏 and LED screens —
with their photos and the content shown on them by date; activities ("法律六进") with organiser, audience, numbers
reached, photos and the 以案释法 cases used; households reached and the sample survey of awareness (知晓率) per
village; and the public's bookings of a talk (普法讲座预约).

Sites, activities and bookings belong to a unit (the town's 司法所 or the bureau that keeps them), so lists are
scoped by unit like every other line (docs/authority.md); survey entries are region-keyed (a village)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fawang.knowledge.models import KnowledgeEntry
from fawang.lib import crypto
from fawang.lib.validators import mask_phone
from fawang.orgs.authority import regions_filter, unit_ids_filter
from fawang.orgs.models import Unit
from fawang.regions.models import Region

if TYPE_CHECKING:
    from fawang.accounts.models import User


# The seed: 实现每个乡镇（街道）有两个以上法治文化阵地.
SITES_PER_TOWN = 2


class SiteQuerySet(models.QuerySet["Site"]):
    def visible_to(self, user: User) -> SiteQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class Site(models.Model):
    class Kind(models.TextChoices):
        CULTURE = "culture", _("法治文化阵地")
        BOARD = "board", _("法治宣传栏")
        LED = "led", _("法治宣传LED显示屏")

    class Form(models.TextChoices):
        PARK = "park", _("法治公园")
        SQUARE = "square", _("法治广场")
        CORRIDOR = "corridor", _("法治长廊")
        STREET = "street", _("法治街区")
        OTHER = "other", _("其他")

    kind = models.CharField(
        _("类型"),
        max_length=10,
        choices=Kind.choices,
        db_index=True,
        help_text=_(
            "法治文化阵地（公园、广场、长廊等）、法治宣传栏或法治宣传 LED 显示屏；每个乡镇（街道）应有两个以上法治文化阵地（仙政办〔2017〕134号）。"
        ),
    )
    form = models.CharField(
        _("形式"), max_length=10, choices=Form.choices, blank=True, help_text=_("法治文化阵地的形式。")
    )
    name = models.CharField(_("名称"), max_length=80, help_text=_("阵地名称，同一乡镇（街道）内不重复。"))
    town = models.ForeignKey(
        Region,
        verbose_name=_("乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("阵地所在的乡镇（街道），用于统计每个乡镇的阵地数。"),
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("阵地所在的村（社区）；位于乡镇驻地等不属某村的可留空。"),
    )
    address = models.CharField(_("位置"), max_length=200, help_text=_("阵地的具体位置，公众页面显示。"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("管理单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责维护阵地的司法所或司法局，决定谁能看到和管理。"),
    )
    is_active = models.BooleanField(
        _("在用"), default=True, help_text=_("拆除或停用的阵地不计入阵地数，公众页面不显示。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("登记阵地的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("普法阵地")
        verbose_name_plural = _("普法阵地")
        ordering = ["town_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="publicity_site_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: User) -> ActivityQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class Activity(models.Model):
    """A 普法 activity: "法律六进" — 进机关、进乡村、进社区、进学校、进企业、进单位."""

    class Target(models.TextChoices):
        ORGANS = "organs", _("进机关")
        VILLAGES = "villages", _("进乡村")
        COMMUNITIES = "communities", _("进社区")
        SCHOOLS = "schools", _("进学校")
        ENTERPRISES = "enterprises", _("进企业")
        UNITS = "units", _("进单位")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        DONE = "done", _("已开展")

    title = models.CharField(_("活动名称"), max_length=100, help_text=_("活动名称，如“普法讲座：某小学”。"))
    target = models.CharField(
        _("法律六进"),
        max_length=12,
        choices=Target.choices,
        help_text=_(
            "法律进机关、进乡村、进社区、进学校、进企业、进单位（“法律六进”，仙政办〔2017〕134号）。"
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("组织活动的司法所或司法局。"),
    )
    organiser = models.CharField(
        _("承办人或协办单位"),
        max_length=100,
        blank=True,
        help_text=_("具体承办人或协办单位，如某律师事务所。"),
    )
    town = models.ForeignKey(
        Region,
        verbose_name=_("乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("活动所在的乡镇（街道）。"),
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("活动所在的村（社区）；不在某村的可留空。"),
    )
    place = models.CharField(_("地点"), max_length=120, help_text=_("活动举办的具体地点。"))
    starts_at = models.DateTimeField(_("开始时间"), help_text=_("活动开始的时间。"))
    audience = models.CharField(_("对象"), max_length=100, help_text=_("例如：村民、中小学生、企业职工"))
    reached = models.PositiveIntegerField(_("覆盖人数"), default=0, help_text=_("开展后填写。"))
    cases = models.ManyToManyField(
        KnowledgeEntry,
        verbose_name=_("以案释法案例"),
        blank=True,
        related_name="+",
        help_text=_("活动中以案释法使用的典型案例（知识库中的案例）。"),
    )
    summary = models.TextField(
        _("活动情况"), max_length=2000, blank=True, help_text=_("开展后填写的活动情况。")
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_("计划中；开展后登记覆盖人数和情况，转为已开展。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("登记活动的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("普法活动")
        verbose_name_plural = _("普法活动")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Photo(models.Model):
    """A photo of a site or an activity: JPG or PNG, checked by its first bytes (fawang.matters.uploads), stored
    under a random name; shown on the public pages through a view, never by its path."""

    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        help_text=_("照片所属的阵地；与活动二选一。"),
        verbose_name=_("阵地"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        help_text=_("照片所属的活动；与阵地二选一。"),
        verbose_name=_("活动"),
    )
    file = models.FileField(
        _("文件"),
        upload_to="publicity/%Y/%m/",
        help_text=_("JPG 或 PNG 照片，按文件头检查，以随机文件名保存，公众只能经页面查看。"),
    )
    content_type = models.CharField(
        max_length=40,
        help_text=_("按文件内容识别的类型：image/jpeg 或 image/png。"),
        verbose_name=_("文件类型"),
    )
    size = models.PositiveIntegerField(help_text=_("上传文件的字节数。"), verbose_name=_("大小（字节）"))
    sha256 = models.CharField(
        max_length=64,
        help_text=_("文件内容的 SHA-256 摘要，用于核对文件未被改动。"),
        verbose_name=_("SHA-256"),
    )
    caption = models.CharField(_("说明"), max_length=80, blank=True, help_text=_("照片说明，公众页面显示。"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("上传照片的工作人员。"),
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(
        auto_now_add=True, help_text=_("上传照片的时间。"), verbose_name=_("上传时间")
    )

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False, activity__isnull=True)
                | Q(site__isnull=True, activity__isnull=False),
                name="publicity_photo_of_one",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class DisplayItem(models.Model):
    """Content shown on an LED screen or a 宣传栏 from ``starts_on`` to ``ends_on`` (the display schedule)."""

    site = models.ForeignKey(
        Site,
        verbose_name=_("阵地"),
        on_delete=models.CASCADE,
        related_name="display_items",
        help_text=_("展示此内容的宣传栏或 LED 显示屏。"),
    )
    title = models.CharField(_("标题"), max_length=80, help_text=_("展示内容的标题。"))
    content = models.TextField(
        _("内容"), max_length=1000, help_text=_("宣传栏或显示屏上展示的文字；公众页面显示当日在展的内容。")
    )
    starts_on = models.DateField(_("开始展示"), help_text=_("开始展示的日期。"))
    ends_on = models.DateField(_("结束展示"), help_text=_("结束展示的日期（含当天），不早于开始日期。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("登记展示内容的工作人员。"),
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True, help_text=_("登记展示内容的时间。"), verbose_name=_("登记时间")
    )

    class Meta:
        verbose_name = _("展示内容")
        verbose_name_plural = _("展示内容")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="publicity_display_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuerySet(models.QuerySet["VillageSurvey"]):
    def visible_to(self, user: User) -> SurveyQuerySet:
        return self.filter(regions_filter(user, "village_id"))


class VillageSurvey(models.Model):
    """A village's figures for one year: households, households reached (入户率), and the sample survey of
    awareness (知晓率: how many of the people asked knew the law in question)."""

    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("调查的村（社区）；每村每年一条。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("数据所属的年度。"))
    households = models.PositiveIntegerField(
        _("户数"), validators=[MinValueValidator(1)], help_text=_("村（社区）的总户数。")
    )
    households_reached = models.PositiveIntegerField(
        _("宣传入户数"),
        help_text=_(
            "普法宣传入户的户数，不超过总户数；入户率 = 入户数 ÷ 户数，目标 100%（仙政办〔2017〕134号）。"
        ),
    )
    sample_size = models.PositiveIntegerField(
        _("抽样调查人数"), validators=[MinValueValidator(1)], help_text=_("知晓率抽样调查询问的人数。")
    )
    aware = models.PositiveIntegerField(
        _("知晓人数"),
        help_text=_(
            "被调查人中知晓所问法律的人数，不超过抽样人数；知晓率 = 知晓人数 ÷ 抽样人数，目标 100%（仙政办〔2017〕134号）。"
        ),
    )
    surveyed_on = models.DateField(_("调查日期"), help_text=_("开展抽样调查的日期。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("登记调查数据的工作人员。"),
        verbose_name=_("登记人"),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("村（居）普法覆盖与知晓率")
        verbose_name_plural = _("村（居）普法覆盖与知晓率")
        ordering = ["village_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="publicity_one_survey_a_year"),
            models.CheckConstraint(
                condition=Q(households_reached__lte=F("households")), name="publicity_reached_le_households"
            ),
            models.CheckConstraint(
                condition=Q(aware__lte=F("sample_size")), name="publicity_aware_le_sample"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"

    @property
    def reach_rate(self) -> float:
        return round(100 * self.households_reached / self.households, 1)

    @property
    def awareness(self) -> float:
        return round(100 * self.aware / self.sample_size, 1)


class BookingQuerySet(models.QuerySet["TalkBooking"]):
    def visible_to(self, user: User) -> BookingQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


def new_number() -> str:
    return uuid.uuid4().hex[:10].upper()


class TalkBooking(models.Model):
    """A member of the public's booking of a 普法讲座 for their village, school or company, sent to the town's
    司法所; the contact's phone is encrypted and shown masked."""

    class OrgKind(models.TextChoices):
        VILLAGE = "village", _("村（社区）")
        SCHOOL = "school", _("学校")
        COMPANY = "company", _("企业")
        OTHER = "other", _("机关或其他单位")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待安排")
        ACCEPTED = "accepted", _("已安排")
        DECLINED = "declined", _("无法安排")

    number = models.CharField(
        _("预约号"),
        max_length=10,
        unique=True,
        default=new_number,
        editable=False,
        help_text=_("10 位随机预约号，告知预约人用于查询。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约人账号"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("提交预约的公众账号；每人同时最多 3 个待安排的预约。"),
    )
    town = models.ForeignKey(
        Region,
        verbose_name=_("乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("希望举办讲座的乡镇（街道）。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该乡镇（街道）的司法所，负责安排讲座。"),
    )
    org_kind = models.CharField(
        _("单位类型"),
        max_length=8,
        choices=OrgKind.choices,
        help_text=_("村（社区）、学校、企业或机关等，决定安排为“法律六进”的哪一类。"),
    )
    org_name = models.CharField(
        _("单位名称"), max_length=80, help_text=_("希望听讲座的单位名称，也作为讲座地点。")
    )
    contact_name = models.CharField(_("联系人"), max_length=32, help_text=_("预约单位的联系人。"))
    phone_encrypted = models.TextField(
        _("联系电话（加密）"), help_text=_("联系人手机号码，加密保存，页面只显示掩码。")
    )
    preferred_date = models.DateField(_("希望日期"), help_text=_("希望举办讲座的日期：明天起半年内。"))
    topic = models.CharField(_("希望讲解的内容"), max_length=200, help_text=_("希望讲解的法律内容。"))
    audience_size = models.PositiveIntegerField(
        _("预计人数"), validators=[MinValueValidator(1)], help_text=_("预计听讲座的人数。")
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        help_text=_("待安排；司法所安排时间后为已安排（生成普法活动），或答复无法安排。"),
    )
    reply = models.CharField(
        _("答复"), max_length=200, blank=True, help_text=_("司法所给预约人的答复，安排或不安排都须填写。")
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("安排的活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("安排后生成的普法活动（计划中）。"),
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, help_text=_("提交预约的时间。"))

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("普法讲座预约")
        verbose_name_plural = _("普法讲座预约")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
