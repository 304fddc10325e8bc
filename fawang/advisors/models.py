"""Village legal advisors at work (村居法律顾问工作): the service schedule (定点 fixed days at the village's room,
流动 visits), the work log an advisor enters after each day of service, its confirmation by the village committee
(村委会确认, by a one-time code sent to the committee's contact), the dated subsidy rules (法律服务工作补助办法), the
days an advisor missed, and the talent pool (人才信息库) the next advisor is recommended from.

Everything hangs off the appointment records of fawang.orgs (``AdvisorAssignment``, 一村一法律顾问): this app
never appoints. Rows carry the village's room (工作室) so that lists are scoped by unit like every other line
(docs/authority.md): a 司法局 sees the rooms of its region, a 工作站 the rooms under it, the room itself its own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.calendar.models import WEEKDAY_NAMES
from fawang.lib.validators import validate_mobile
from fawang.matters.models import Matter
from fawang.orgs.authority import reaches_everything, unit_ids_filter
from fawang.orgs.models import AdvisorAssignment, Practitioner, Unit
from fawang.regions.models import Region

if TYPE_CHECKING:
    from fawang.accounts.models import User

WEEKDAYS = [(i, WEEKDAY_NAMES[i]) for i in range(7)]


class ServiceKind(models.TextChoices):
    FIXED = "fixed", _("定点驻村")
    ROVING = "roving", _("流动服务")


def _visible(user: User, own_field: str) -> Q:
    """Rows at rooms the user reaches, and an advisor's own rows (through their practitioner record)."""
    if reaches_everything(user):
        return Q()  # an empty Q OR'ed with another one would narrow to that one
    q = unit_ids_filter(user, "room_id")
    if getattr(user, "is_authenticated", False):
        q |= Q(**{own_field: user.pk})
    return q


class ServiceDayQuerySet(models.QuerySet["ServiceDay"]):
    def visible_to(self, user: User) -> ServiceDayQuerySet:
        return self.filter(_visible(user, "assignment__practitioner__user_id"))


class ServiceDay(models.Model):
    """One line of an advisor's service schedule (服务安排): a weekday at the village's room every week (定点),
    or a dated visit (流动: a home visit, a talk at a school, a dispute on the spot)."""

    assignment = models.ForeignKey(
        AdvisorAssignment, verbose_name=_("聘任"), on_delete=models.CASCADE, related_name="service_days"
    )
    room = models.ForeignKey(
        Unit, verbose_name=_("工作室"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("服务方式"), max_length=8, choices=ServiceKind.choices)
    weekday = models.PositiveSmallIntegerField(
        _("每周"), choices=WEEKDAYS, null=True, blank=True, help_text=_("定点驻村：每周的哪一天。")
    )
    date = models.DateField(_("日期"), null=True, blank=True, help_text=_("流动服务：哪一天。"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ServiceDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务安排")
        verbose_name_plural = _("服务安排")
        ordering = ["kind", "weekday", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="fixed", weekday__isnull=False, date__isnull=True)
                | Q(kind="roving", weekday__isnull=True, date__isnull=False),
                name="service_day_fixed_weekday_or_roving_date",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="service_day_times"
            ),
        ]

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.kind == ServiceKind.FIXED else str(self.date)
        return f"{self.get_kind_display()} {when} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class CommitteeContact(models.Model):
    """The village (居) committee's contact who confirms the advisor's visits (村委会确认): the one-time code of
    each visit goes to this phone."""

    region = models.OneToOneField(
        Region, verbose_name=_("村（社区）"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    name = models.CharField(_("联系人"), max_length=32)
    title = models.CharField(_("职务"), max_length=32, blank=True, help_text=_("例如：村委会主任、文书"))
    phone = models.CharField(_("手机号码"), max_length=11, validators=[validate_mobile])
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("村（居）委会确认联系人")
        verbose_name_plural = _("村（居）委会确认联系人")

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


class BoardProfile(models.Model):
    """What the village 公示牌 and the room's public page may show of an advisor beyond name, kind and firm (the
    seeds: "公示牌 … 法律顾问照片、联系方式"): a photo, shown only while the advisor consents to it, and their own
    telephone, posted only if they opted in (otherwise the board gives the room's telephone or 12348). Each consent
    keeps who recorded it and when (the advisor on their own page, or the bureau from a signed consent form);
    withdrawing it clears both, and the audit log keeps the history. Written only by
    ``actions.set_board_profile``."""

    practitioner = models.OneToOneField(
        Practitioner,
        verbose_name=_("法律顾问"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="board_profile",
    )
    photo = models.FileField(
        _("照片"),
        upload_to="advisors/photos/",
        blank=True,
        help_text=_("JPG 或 PNG，存为随机文件名；只经页面展示，不暴露路径。"),
    )
    photo_type = models.CharField(_("照片类型"), max_length=40, blank=True)
    photo_consent_at = models.DateTimeField(
        _("同意公示照片时间"),
        null=True,
        blank=True,
        help_text=_("为空表示未同意，公示牌和页面都不显示照片。"),
    )
    photo_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("照片同意登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("法律顾问本人，或据书面同意书登记的工作人员。"),
    )
    phone_consent_at = models.DateTimeField(
        _("同意公示本人电话时间"),
        null=True,
        blank=True,
        help_text=_("为空表示未同意，公示牌只写工作室电话或 12348。"),
    )
    phone_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("电话同意登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公示信息")
        verbose_name_plural = _("公示信息")

    def __str__(self) -> str:
        return str(self.practitioner)

    @property
    def shows_photo(self) -> bool:
        return bool(self.photo) and self.photo_consent_at is not None

    @property
    def shows_phone(self) -> bool:
        return self.phone_consent_at is not None and bool(self.practitioner.phone)


class WorkLogQuerySet(models.QuerySet["WorkLog"]):
    def visible_to(self, user: User) -> WorkLogQuerySet:
        return self.filter(_visible(user, "assignment__practitioner__user_id"))

    def confirmed(self) -> WorkLogQuerySet:
        return self.filter(status=WorkLog.Status.CONFIRMED)


def new_ref() -> str:
    return secrets.token_urlsafe(12)


class WorkLog(models.Model):
    """One day of an advisor's service in a village (工作日志), entered on a phone after the visit and confirmed
    by the village committee; only confirmed days count towards the subsidy."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待村委会确认")
        CONFIRMED = "confirmed", _("村委会已确认")
        DISPUTED = "disputed", _("村委会有异议")

    ref = models.CharField(
        _("确认链接编号"),
        max_length=20,
        unique=True,
        default=new_ref,
        editable=False,
        help_text=_("村委会确认页面地址中的编号，不可猜测。"),
    )
    assignment = models.ForeignKey(
        AdvisorAssignment, verbose_name=_("聘任"), on_delete=models.PROTECT, related_name="work_logs"
    )
    room = models.ForeignKey(
        Unit, verbose_name=_("工作室"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("服务日期"))
    kind = models.CharField(_("服务方式"), max_length=8, choices=ServiceKind.choices)
    hours = models.DecimalField(
        _("在村时长（小时）"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    consultations = models.PositiveSmallIntegerField(_("解答咨询（人次）"), default=0)
    disputes_mediated = models.PositiveSmallIntegerField(_("参与调解纠纷（件）"), default=0)
    documents_reviewed = models.PositiveSmallIntegerField(
        _("审查村委会文件、合同（份）"), default=0, help_text=_("为村（居）委会审查的村规民约、合同等。")
    )
    talks = models.PositiveSmallIntegerField(_("法治讲座（场）"), default=0)
    audience = models.PositiveIntegerField(_("讲座受众（人次）"), default=0)
    summary = models.TextField(_("工作摘要"), max_length=500, blank=True)
    matters = models.ManyToManyField(Matter, verbose_name=_("关联事项"), blank=True, related_name="+")
    status = models.CharField(
        _("确认状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("确认人"), max_length=32, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("村委会评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1–5 分，村委会确认时给出。"),
    )
    committee_note = models.CharField(_("村委会意见"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = WorkLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律顾问工作日志")
        verbose_name_plural = _("法律顾问工作日志")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "date"], name="one_work_log_per_day"),
        ]
        indexes = [models.Index(fields=["room", "date"], name="advisors_log_room_date")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.date}"


class ConfirmationCode(models.Model):
    """The one-time code sent to the committee's contact for one work log (fawang.lib.otp: kept as a keyed hash,
    the latest one counts, once, before it expires, within a few tries)."""

    work_log = models.ForeignKey(WorkLog, on_delete=models.CASCADE, related_name="codes")
    phone = models.CharField(_("手机号码"), max_length=11)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("确认码")
        verbose_name_plural = _("确认码")

    def __str__(self) -> str:
        return f"{self.work_log_id}:{self.created_at:%Y-%m-%d %H:%M}"


class SubsidyRule(models.Model):
    """A dated rule of the 法律服务工作补助办法: the amounts paid for confirmed work from ``effective_from`` on, in
    ``region`` (a county's or city's code; the most specific region's rule in force on the day applies)."""

    region = models.ForeignKey(Region, verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("文件名称"), max_length=100, default="法律服务工作补助办法")
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    effective_from = models.DateField(_("施行日期"))
    per_fixed_day = models.DecimalField(_("定点驻村（元/次）"), max_digits=8, decimal_places=2, default=0)
    per_roving_day = models.DecimalField(_("流动服务（元/次）"), max_digits=8, decimal_places=2, default=0)
    per_talk = models.DecimalField(_("法治讲座（元/场）"), max_digits=8, decimal_places=2, default=0)
    per_mediation = models.DecimalField(_("参与调解（元/件）"), max_digits=8, decimal_places=2, default=0)
    per_document = models.DecimalField(_("审查文件（元/份）"), max_digits=8, decimal_places=2, default=0)
    monthly_cap = models.DecimalField(
        _("每村每月上限（元）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("法律服务工作补助办法")
        verbose_name_plural = _("法律服务工作补助办法")
        ordering = ["region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="one_subsidy_rule_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.effective_from} 起施行）"


class MissedDayQuerySet(models.QuerySet["MissedDay"]):
    def visible_to(self, user: User) -> MissedDayQuerySet:
        return self.filter(_visible(user, "assignment__practitioner__user_id"))


class MissedDay(models.Model):
    """A scheduled day with no work log by the end of the next day (未按安排履职): the advisor is warned by SMS and
    the supervising bureau sees it in its list."""

    assignment = models.ForeignKey(
        AdvisorAssignment, verbose_name=_("聘任"), on_delete=models.CASCADE, related_name="missed_days"
    )
    room = models.ForeignKey(
        Unit, verbose_name=_("工作室"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("应到日期"))
    kind = models.CharField(_("服务方式"), max_length=8, choices=ServiceKind.choices)
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)

    objects = MissedDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("未履职预警")
        verbose_name_plural = _("未履职预警")
        ordering = ["-date", "pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "date"], name="one_missed_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class TalentProfile(models.Model):
    """A practitioner's entry in the talent pool (人才信息库): what the directory does not say — languages,
    whether they take a village now and how many at most, and the towns whose reserve list (储备名单) holds them.
    Specialities, licence and years of practice stay on ``Practitioner``; past assignments and ratings are read
    from the appointment records and the committee's ratings of confirmed work."""

    practitioner = models.OneToOneField(
        Practitioner, verbose_name=_("法律服务人员"), on_delete=models.CASCADE, related_name="talent"
    )
    languages = models.CharField(
        _("语言"),
        max_length=60,
        blank=True,
        help_text=_("普通话以外的语言或方言，顿号分隔，例如：闽南语、莆仙话"),
    )
    available = models.BooleanField(_("可接受聘任"), default=True)
    max_villages = models.PositiveSmallIntegerField(
        _("最多服务村（社区）数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reserve_towns = models.ManyToManyField(
        Region, verbose_name=_("储备乡镇（街道）"), blank=True, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人才信息")
        verbose_name_plural = _("人才信息")

    def __str__(self) -> str:
        return str(self.practitioner)

    @property
    def language_list(self) -> list[str]:
        return [
            w.strip() for w in self.languages.replace(",", "、").replace("，", "、").split("、") if w.strip()
        ]


def years_of_practice(practitioner: Practitioner, today: dt.date) -> int:
    if practitioner.licensed_on is None:
        return 0
    years = today.year - practitioner.licensed_on.year
    if (today.month, today.day) < (practitioner.licensed_on.month, practitioner.licensed_on.day):
        years -= 1
    return max(years, 0)


class PetitionPostQuerySet(models.QuerySet["PetitionPost"]):
    def visible_to(self, user: User) -> PetitionPostQuerySet:
        if reaches_everything(user):
            return self
        q = unit_ids_filter(user, "unit_id")
        if getattr(user, "is_authenticated", False):
            q |= Q(duties__practitioner__user_id=user.pk)
        return self.filter(q).distinct()


class PetitionPost(models.Model):
    """A petition reception (信访接待场所: a 信访局's reception hall, a 联合接访中心) where lawyers take turns on duty
    (律师参与信访接待: the lawyer explains the law, points to the lawful channel — litigation, arbitration, legal
    aid, mediation — and records the visit). Kept by the unit that organises the roster (a 司法局 as a rule)."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("安排律师值班的单位，通常为司法局；可见范围随该单位。"),
    )
    name = models.CharField(_("接待场所"), max_length=100, help_text=_("例如：思明区信访局接待大厅"))
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PetitionPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访接待场所")
        verbose_name_plural = _("信访接待场所")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class PetitionDuty(models.Model):
    """One lawyer's turn on duty at a petition reception (值班排班)."""

    post = models.ForeignKey(
        PetitionPost, verbose_name=_("接待场所"), on_delete=models.CASCADE, related_name="duties"
    )
    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("值班律师"), on_delete=models.PROTECT, related_name="petition_duties"
    )
    date = models.DateField(_("值班日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("排班人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("排班时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访值班")
        verbose_name_plural = _("信访值班")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "practitioner", "date"], name="one_petition_duty_per_day"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="petition_duty_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.practitioner_id}"


class PetitionDutyLog(models.Model):
    """The log of one duty (值班记录): how many people were received and where they were pointed (依法分类处理:
    诉讼、仲裁、行政复议、法律援助、调解), with the matters taken in linked."""

    duty = models.OneToOneField(
        PetitionDuty, verbose_name=_("值班"), on_delete=models.CASCADE, primary_key=True, related_name="log"
    )
    present = models.BooleanField(_("按时到岗"), default=True)
    visitors = models.PositiveSmallIntegerField(_("接待来访群众（人次）"), default=0)
    cases = models.PositiveSmallIntegerField(_("涉及信访事项（件）"), default=0)
    to_litigation = models.PositiveSmallIntegerField(_("引导通过诉讼、仲裁、行政复议解决（件）"), default=0)
    to_legal_aid = models.PositiveSmallIntegerField(_("引导申请法律援助（件）"), default=0)
    to_mediation = models.PositiveSmallIntegerField(_("引导调解（件）"), default=0)
    summary = models.TextField(_("值班情况"), max_length=500, blank=True)
    matters = models.ManyToManyField(Matter, verbose_name=_("关联事项"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信访值班记录")
        verbose_name_plural = _("信访值班记录")

    def __str__(self) -> str:
        return str(self.duty)
