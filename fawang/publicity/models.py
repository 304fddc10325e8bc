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

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, db_index=True)
    form = models.CharField(
        _("形式"), max_length=10, choices=Form.choices, blank=True, help_text=_("法治文化阵地的形式。")
    )
    name = models.CharField(_("名称"), max_length=80)
    town = models.ForeignKey(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("位置"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("管理单位"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
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

    title = models.CharField(_("活动名称"), max_length=100)
    target = models.CharField(_("法律六进"), max_length=12, choices=Target.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    organiser = models.CharField(_("承办人或协办单位"), max_length=100, blank=True)
    town = models.ForeignKey(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    audience = models.CharField(_("对象"), max_length=100, help_text=_("例如：村民、中小学生、企业职工"))
    reached = models.PositiveIntegerField(_("覆盖人数"), default=0, help_text=_("开展后填写。"))
    cases = models.ManyToManyField(
        KnowledgeEntry, verbose_name=_("以案释法案例"), blank=True, related_name="+"
    )
    summary = models.TextField(_("活动情况"), max_length=2000, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
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

    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    file = models.FileField(_("文件"), upload_to="publicity/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("说明"), max_length=80, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

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
        Site, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="display_items"
    )
    title = models.CharField(_("标题"), max_length=80)
    content = models.TextField(_("内容"), max_length=1000)
    starts_on = models.DateField(_("开始展示"))
    ends_on = models.DateField(_("结束展示"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
        Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    households = models.PositiveIntegerField(_("户数"), validators=[MinValueValidator(1)])
    households_reached = models.PositiveIntegerField(_("宣传入户数"))
    sample_size = models.PositiveIntegerField(_("抽样调查人数"), validators=[MinValueValidator(1)])
    aware = models.PositiveIntegerField(_("知晓人数"))
    surveyed_on = models.DateField(_("调查日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
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

    number = models.CharField(_("预约号"), max_length=10, unique=True, default=new_number, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人账号"), on_delete=models.PROTECT, related_name="+"
    )
    town = models.ForeignKey(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    org_kind = models.CharField(_("单位类型"), max_length=8, choices=OrgKind.choices)
    org_name = models.CharField(_("单位名称"), max_length=80)
    contact_name = models.CharField(_("联系人"), max_length=32)
    phone_encrypted = models.TextField(_("联系电话（加密）"))
    preferred_date = models.DateField(_("希望日期"))
    topic = models.CharField(_("希望讲解的内容"), max_length=200)
    audience_size = models.PositiveIntegerField(_("预计人数"), validators=[MinValueValidator(1)])
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reply = models.CharField(_("答复"), max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("安排的活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

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
