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
        AdvisorAssignment,
        verbose_name=_("聘任"),
        on_delete=models.CASCADE,
        related_name="service_days",
        help_text=_("这条安排所属的村（居）法律顾问聘任（一村一法律顾问）。"),
    )
    room = models.ForeignKey(
        Unit,
        verbose_name=_("工作室"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("聘任所在村（社区）的公共法律服务工作室，决定谁能看到这条安排。"),
    )
    kind = models.CharField(
        _("服务方式"),
        max_length=8,
        choices=ServiceKind.choices,
        help_text=_("定点驻村：每周固定一天在村工作室；流动服务：指定日期的上门、讲座或现场调解。"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("每周"), choices=WEEKDAYS, null=True, blank=True, help_text=_("定点驻村：每周的哪一天。")
    )
    date = models.DateField(_("日期"), null=True, blank=True, help_text=_("流动服务：哪一天。"))
    start_time = models.TimeField(_("开始时间"), help_text=_("服务开始时间。"))
    end_time = models.TimeField(_("结束时间"), help_text=_("服务结束时间，须晚于开始时间。"))
    place = models.CharField(
        _("地点"),
        max_length=100,
        blank=True,
        help_text=_("流动服务的地点，如某学校、某村民家；定点驻村可留空（在工作室）。"),
    )
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
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        help_text=_("此联系人所在的村（社区）；每村一名。"),
    )
    name = models.CharField(
        _("联系人"), max_length=32, help_text=_("村（居）委会负责确认法律顾问工作日志的人。")
    )
    title = models.CharField(_("职务"), max_length=32, blank=True, help_text=_("例如：村委会主任、文书"))
    phone = models.CharField(
        _("手机号码"),
        max_length=11,
        validators=[validate_mobile],
        help_text=_("接收工作日志确认码短信的手机号码。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("村（居）委会确认联系人")
        verbose_name_plural = _("村（居）委会确认联系人")

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


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
        AdvisorAssignment,
        verbose_name=_("聘任"),
        on_delete=models.PROTECT,
        related_name="work_logs",
        help_text=_("填报此日志的法律顾问聘任；每个聘任每天只能填报一份。"),
    )
    room = models.ForeignKey(
        Unit,
        verbose_name=_("工作室"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("聘任所在村（社区）的工作室，决定谁能看到此日志。"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("提供服务的村（社区），确认码发给该村的确认联系人，补助按该村适用的补助办法计算。"),
    )
    date = models.DateField(
        _("服务日期"), help_text=_("在村服务的日期：在聘任期内，不晚于今天，最多补填 7 天内的服务。")
    )
    kind = models.CharField(
        _("服务方式"),
        max_length=8,
        choices=ServiceKind.choices,
        help_text=_("定点驻村或流动服务，决定适用的每次补助标准。"),
    )
    hours = models.DecimalField(
        _("在村时长（小时）"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
        help_text=_("在村服务的小时数，0.5 至 12。"),
    )
    consultations = models.PositiveSmallIntegerField(
        _("解答咨询（人次）"), default=0, help_text=_("当天解答法律咨询的人次。")
    )
    disputes_mediated = models.PositiveSmallIntegerField(
        _("参与调解纠纷（件）"), default=0, help_text=_("当天参与调解的纠纷件数，按件计补助。")
    )
    documents_reviewed = models.PositiveSmallIntegerField(
        _("审查村委会文件、合同（份）"), default=0, help_text=_("为村（居）委会审查的村规民约、合同等。")
    )
    talks = models.PositiveSmallIntegerField(
        _("法治讲座（场）"), default=0, help_text=_("当天举办法治讲座的场数，按场计补助。")
    )
    audience = models.PositiveIntegerField(
        _("讲座受众（人次）"), default=0, help_text=_("讲座的听众人次；没有讲座时应为 0。")
    )
    summary = models.TextField(
        _("工作摘要"), max_length=500, blank=True, help_text=_("当天工作的简要说明，村委会确认时可见。")
    )
    matters = models.ManyToManyField(
        Matter,
        verbose_name=_("关联事项"),
        blank=True,
        related_name="+",
        help_text=_("当天服务中登记的事项。"),
    )
    status = models.CharField(
        _("确认状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
        help_text=_("待村委会确认、已确认或有异议；只有已确认的日志计入补助。"),
    )
    confirmed_at = models.DateTimeField(
        _("确认时间"), null=True, blank=True, help_text=_("村委会确认或提出异议的时间。")
    )
    confirmed_by_name = models.CharField(
        _("确认人"), max_length=32, blank=True, help_text=_("确认时村委会联系人的姓名。")
    )
    rating = models.PositiveSmallIntegerField(
        _("村委会评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1–5 分，村委会确认时给出。"),
    )
    committee_note = models.CharField(
        _("村委会意见"), max_length=200, blank=True, help_text=_("村委会确认时的意见；有异议时说明理由。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("填报日志的法律顾问本人账号。"),
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True, help_text=_("提交日志的时间。"))

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

    work_log = models.ForeignKey(
        WorkLog,
        on_delete=models.CASCADE,
        related_name="codes",
        help_text=_("要确认的工作日志。"),
        verbose_name=_("工作日志"),
    )
    phone = models.CharField(_("手机号码"), max_length=11, help_text=_("确认码发往的村委会联系人手机号码。"))
    code_hash = models.CharField(
        max_length=64, help_text=_("确认码的带密钥哈希；确认码本身不保存。"), verbose_name=_("确认码索引")
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text=_("输入确认码的次数；达到 5 次后此码作废。"), verbose_name=_("已尝试次数")
    )
    used_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("确认码被正确输入的时间；每个码只能用一次。"),
        verbose_name=_("使用时间"),
    )
    expires_at = models.DateTimeField(
        help_text=_("发送后七天失效；只有最近发出的一个码有效。"), verbose_name=_("失效时间")
    )
    created_at = models.DateTimeField(
        auto_now_add=True, help_text=_("生成并发送确认码的时间。"), verbose_name=_("发送时间")
    )

    class Meta:
        verbose_name = _("确认码")
        verbose_name_plural = _("确认码")

    def __str__(self) -> str:
        return f"{self.work_log_id}:{self.created_at:%Y-%m-%d %H:%M}"


class SubsidyRule(models.Model):
    """A dated rule of the 法律服务工作补助办法: the amounts paid for confirmed work from ``effective_from`` on, in
    ``region`` (a county's or city's code; the most specific region's rule in force on the day applies)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("适用区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("适用的县（区）或市；某村适用其所属区划中最具体、在服务日已施行的规则。"),
    )
    title = models.CharField(
        _("文件名称"),
        max_length=100,
        default="法律服务工作补助办法",
        help_text=_("设定补助的文件名称，默认“法律服务工作补助办法”。"),
    )
    document_no = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("设定补助的文件文号。"))
    effective_from = models.DateField(
        _("施行日期"), help_text=_("此规则施行的日期；服务日期在此之后的已确认日志按此计算。")
    )
    per_fixed_day = models.DecimalField(
        _("定点驻村（元/次）"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("每份已确认的定点驻村日志的补助。"),
    )
    per_roving_day = models.DecimalField(
        _("流动服务（元/次）"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("每份已确认的流动服务日志的补助。"),
    )
    per_talk = models.DecimalField(
        _("法治讲座（元/场）"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("每场法治讲座另计的补助。"),
    )
    per_mediation = models.DecimalField(
        _("参与调解（元/件）"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("每件参与调解的纠纷另计的补助。"),
    )
    per_document = models.DecimalField(
        _("审查文件（元/份）"),
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text=_("每份为村（居）委会审查的文件、合同另计的补助。"),
    )
    monthly_cap = models.DecimalField(
        _("每村每月上限（元）"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("每个村每月补助的最高金额；为空表示不设上限。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("录入此规则的工作人员。"),
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
        AdvisorAssignment,
        verbose_name=_("聘任"),
        on_delete=models.CASCADE,
        related_name="missed_days",
        help_text=_("未按服务安排履职的法律顾问聘任。"),
    )
    room = models.ForeignKey(
        Unit,
        verbose_name=_("工作室"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("聘任所在村（社区）的工作室。"),
    )
    date = models.DateField(
        _("应到日期"),
        help_text=_("服务安排中应到村服务的日期；次日结束仍无工作日志即生成预警，短信提醒法律顾问。"),
    )
    kind = models.CharField(
        _("服务方式"), max_length=8, choices=ServiceKind.choices, help_text=_("当天安排的服务方式。")
    )
    created_at = models.DateTimeField(
        _("预警时间"), auto_now_add=True, help_text=_("发现未履职、生成预警的时间。")
    )

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
        Practitioner,
        verbose_name=_("法律服务人员"),
        on_delete=models.CASCADE,
        related_name="talent",
        help_text=_("人才信息库中的律师或基层法律服务工作者；专长、执业年限取自名录。"),
    )
    languages = models.CharField(
        _("语言"),
        max_length=60,
        blank=True,
        help_text=_("普通话以外的语言或方言，顿号分隔，例如：闽南语、莆仙话"),
    )
    available = models.BooleanField(
        _("可接受聘任"), default=True, help_text=_("不可接受聘任的人不在推荐人选中。")
    )
    max_villages = models.PositiveSmallIntegerField(
        _("最多服务村（社区）数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("同时服务的村（社区）达到此数时不再推荐（1 至 10）。"),
    )
    reserve_towns = models.ManyToManyField(
        Region,
        verbose_name=_("储备乡镇（街道）"),
        blank=True,
        related_name="+",
        help_text=_("将此人列入储备名单的乡镇（街道）；为这些乡镇的村推荐时优先。"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, help_text=_("关于此人的补充说明。"))
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
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("接待场所所在的行政区划。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True, help_text=_("接待场所的详细地址。"))
    is_active = models.BooleanField(_("在用"), default=True, help_text=_("不在用的场所不能再排班。"))
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
        PetitionPost,
        verbose_name=_("接待场所"),
        on_delete=models.CASCADE,
        related_name="duties",
        help_text=_("值班的信访接待场所。"),
    )
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("值班律师"),
        on_delete=models.PROTECT,
        related_name="petition_duties",
        help_text=_("参与信访接待值班的律师（律师参与信访接待）。"),
    )
    date = models.DateField(_("值班日期"), help_text=_("值班日期；同一律师在同一场所每天一班。"))
    start_time = models.TimeField(_("开始时间"), help_text=_("值班开始时间。"))
    end_time = models.TimeField(_("结束时间"), help_text=_("值班结束时间，须晚于开始时间。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("排班人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("安排此值班的工作人员。"),
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
        PetitionDuty,
        verbose_name=_("值班"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="log",
        help_text=_("此记录所属的值班。"),
    )
    present = models.BooleanField(_("按时到岗"), default=True, help_text=_("律师是否按时到岗值班。"))
    visitors = models.PositiveSmallIntegerField(
        _("接待来访群众（人次）"), default=0, help_text=_("值班期间接待来访群众的人次。")
    )
    cases = models.PositiveSmallIntegerField(
        _("涉及信访事项（件）"), default=0, help_text=_("接待中涉及的信访事项件数。")
    )
    to_litigation = models.PositiveSmallIntegerField(
        _("引导通过诉讼、仲裁、行政复议解决（件）"),
        default=0,
        help_text=_("依法分类处理：引导通过诉讼、仲裁、行政复议解决的件数。"),
    )
    to_legal_aid = models.PositiveSmallIntegerField(
        _("引导申请法律援助（件）"), default=0, help_text=_("依法分类处理：引导申请法律援助的件数。")
    )
    to_mediation = models.PositiveSmallIntegerField(
        _("引导调解（件）"), default=0, help_text=_("依法分类处理：引导人民调解等调解途径的件数。")
    )
    summary = models.TextField(
        _("值班情况"), max_length=500, blank=True, help_text=_("值班接待情况的简要说明。")
    )
    matters = models.ManyToManyField(
        Matter,
        verbose_name=_("关联事项"),
        blank=True,
        related_name="+",
        help_text=_("值班时登记受理的事项（如法律援助申请）。"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("登记值班记录的账号。"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True, help_text=_("登记值班记录的时间。"))

    class Meta:
        verbose_name = _("信访值班记录")
        verbose_name_plural = _("信访值班记录")

    def __str__(self) -> str:
        return str(self.duty)
