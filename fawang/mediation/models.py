"""People's mediation (人民调解法): screening records and 研判 meetings, risk warnings, the mediation case with its
parties, mediators, sessions and outcome, the agreement with its judicial confirmation and performance follow-ups,
referrals from courts, police and petition offices, and the committees' and mediators' own particulars.

Every row hangs off a unit (the 人民调解委员会 that keeps it): who sees it is the unit rule of
``fawang.orgs.authority`` (a committee its own rows, the 司法所 those of the committees under it, the 司法局 those of
its region). The writers are in ``actions.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, mask_name, mask_phone, validate_id_number
from fawang.matters.models import Matter, validate_person_phone
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Practitioner, Unit

from .choices import (
    CaseSource,
    CommitteeKind,
    Consent,
    DisputeType,
    Employment,
    PartyRole,
    ReferrerKind,
    RiskLevel,
    ScreeningRound,
    WarningKind,
)

if TYPE_CHECKING:
    from fawang.accounts.models import User

# 人民调解法 第三十三条: 双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认 (natural days).
CONFIRMATION_DAYS = 30
# A committee's time limit for a case when it has set none of its own (人民调解工作若干规定: 一般在一个月内调结).
DEFAULT_TIME_LIMIT_DAYS = 30


class UnitScoped(models.QuerySet):
    def visible_to(self, user: User) -> UnitScoped:
        return self.filter(unit_ids_filter(user, "unit_id"))


class CommitteeProfile(models.Model):
    """The particulars of a 人民调解委员会 the directory does not keep."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("调解委员会"),
        on_delete=models.CASCADE,
        related_name="mediation_profile",
        help_text=_("本信息所属的人民调解委员会（单位名录中的调委会）。"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=12,
        choices=CommitteeKind.choices,
        help_text=_(
            "村（居）、乡镇（街道）人民调解委员会，或行业性、专业性人民调解委员会（人民调解法 第八条、第三十四条）。"
        ),
    )
    field = models.CharField(
        _("专业领域"),
        max_length=40,
        blank=True,
        help_text=_("行业性、专业性调委会的领域，如医疗、交通、劳动。"),
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("调解期限（日）"), default=DEFAULT_TIME_LIMIT_DAYS, help_text=_("本调委会规定的一般调解期限。")
    )
    members = models.PositiveSmallIntegerField(
        _("委员人数"),
        null=True,
        blank=True,
        help_text=_("人民调解委员会由委员三至九人组成（人民调解法 第八条）。"),
    )
    full_time_posts = models.PositiveSmallIntegerField(
        _("专职人民调解员配备数"),
        null=True,
        blank=True,
        help_text=_("按规定应配备的专职人民调解员人数，用于对照实有人数。"),
    )

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("调解委员会信息")
        verbose_name_plural = _("调解委员会信息")

    def __str__(self) -> str:
        return self.unit.name


class MediatorProfile(models.Model):
    """A 人民调解员 (a practitioner of the directory): full- or part-time, and the training received."""

    practitioner = models.OneToOneField(
        Practitioner,
        verbose_name=_("人民调解员"),
        on_delete=models.CASCADE,
        related_name="mediator_profile",
        help_text=_("单位名录中的人民调解员。"),
    )
    employment = models.CharField(
        _("专兼职"), max_length=10, choices=Employment.choices, help_text=_("专职或兼职人民调解员。")
    )
    training_hours = models.PositiveSmallIntegerField(
        _("累计培训学时"), default=0, help_text=_("登记的培训记录学时之和，每登记一次培训自动累加。")
    )
    last_trained_on = models.DateField(
        _("最近培训日期"), null=True, blank=True, help_text=_("已登记培训中最晚的培训日期。")
    )

    class Meta:
        verbose_name = _("人民调解员信息")
        verbose_name_plural = _("人民调解员信息")

    def __str__(self) -> str:
        return self.practitioner.name


class TrainingRecord(models.Model):
    """One training a mediator attended (人民调解法 第十四条: 县级人民政府司法行政部门应当定期对人民调解员进行业务培训).
    The mediator's profile keeps the running total of hours and the latest date."""

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("人民调解员"),
        on_delete=models.CASCADE,
        related_name="mediation_trainings",
        help_text=_("参加培训的人民调解员。"),
    )
    trained_on = models.DateField(
        _("培训日期"),
        help_text=_("参加培训的日期（人民调解法 第十四条：司法行政部门定期对人民调解员进行业务培训）。"),
    )
    hours = models.PositiveSmallIntegerField(
        _("学时"), help_text=_("本次培训的学时，计入调解员的累计培训学时。")
    )
    subject = models.CharField(_("培训内容"), max_length=120, help_text=_("培训的主题或课程。"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记培训记录的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人民调解员培训记录")
        verbose_name_plural = _("人民调解员培训记录")
        ordering = ["-trained_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.trained_on:%Y-%m-%d} {self.subject}"


class Screening(models.Model):
    """One dispute found in 矛盾纠纷排查 (regular, before holidays and sensitive dates)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待化解")
        CASE = "case", _("已转入调解")
        RESOLVED = "resolved", _("已化解")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("排查单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("开展排查、登记此记录的调委会或司法所。"),
    )
    screened_on = models.DateField(_("排查日期"), help_text=_("发现此纠纷的排查日期。"))
    round = models.CharField(
        _("排查类型"),
        max_length=12,
        choices=ScreeningRound.choices,
        help_text=_("每月例行、节假日前、敏感时期排查，或日常走访发现。"),
    )
    parties = models.CharField(
        _("当事人"), max_length=200, help_text=_("纠纷各方，如“王某与李某”“某小区业主与物业公司”。")
    )
    dispute_type = models.CharField(
        _("纠纷类型"),
        max_length=12,
        choices=DisputeType.choices,
        help_text=_("民间纠纷的类别（人民调解法 第二条）。"),
    )
    place = models.CharField(_("发生地点"), max_length=120, help_text=_("纠纷发生的地点。"))
    people_count = models.PositiveIntegerField(
        _("涉及人数"), default=2, help_text=_("纠纷涉及的人数，群体性纠纷据此研判。")
    )
    amount = models.DecimalField(
        _("涉及金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("纠纷涉及的金额；不涉及金额的为空。"),
    )
    summary = models.TextField(_("纠纷简要情况"), help_text=_("纠纷起因、经过和当前状况。"))
    risk_level = models.CharField(
        _("风险等级"),
        max_length=8,
        choices=RiskLevel.choices,
        help_text=_("低、中、高；中、高风险须选择风险因素，高风险且有相应因素的自动发出风险预警。"),
    )
    risk_reasons = models.JSONField(
        _("风险因素"),
        default=list,
        blank=True,
        help_text=_("扬言报复、暴力、群体性、多次信访、金额较大等因素的代码列表。"),
    )
    action_taken = models.TextField(
        _("已采取的措施"), blank=True, help_text=_("排查时已采取的稳控、化解措施。")
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("待化解、已转入调解（已立案）或已化解。"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记排查记录的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷排查记录")
        verbose_name_plural = _("矛盾纠纷排查记录")
        ordering = ["-screened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.screened_on:%Y-%m-%d} {self.parties}"

    def reason_labels(self) -> list[str]:
        from .choices import RiskReason

        return [str(RiskReason(r).label) for r in self.risk_reasons if r in RiskReason.values]


class ReviewMeeting(models.Model):
    """A town-level 矛盾纠纷研判会: the disputes reviewed and what was decided."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("召开单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("召开研判会的乡镇（街道）司法所或调委会。"),
    )
    held_on = models.DateField(_("召开日期"), help_text=_("研判会召开的日期。"))
    attendees = models.CharField(_("参会人员"), max_length=300, help_text=_("参加研判会的人员和单位。"))
    screenings = models.ManyToManyField(
        Screening,
        verbose_name=_("研判的纠纷"),
        related_name="meetings",
        help_text=_("本次会议研判的排查记录。"),
    )
    decisions = models.TextField(
        _("研判意见和工作安排"), help_text=_("对所研判纠纷的意见、化解责任人和工作安排。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("记录研判会的工作人员。"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷研判会")
        verbose_name_plural = _("矛盾纠纷研判会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 研判会"


class RiskWarning(models.Model):
    """A 风险预警 (人民调解法 第二十五条): a dispute that may turn into a criminal case, a group incident or a repeated
    petition, reported to the 司法所 and the 司法局 and followed up until the risk is lowered."""

    class Status(models.TextChoices):
        OPEN = "open", _("预警中")
        LOWERED = "lowered", _("已解除")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("预警单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发出预警的调委会或司法所。"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("预警单位所在的行政区划（取自预警单位）。"),
    )
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("排查记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
        help_text=_("引发预警的排查记录。"),
    )
    case = models.ForeignKey(
        "Case",
        verbose_name=_("调解案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
        help_text=_("引发预警的调解案件；由排查发出的为空。"),
    )
    kind = models.CharField(
        _("预警类型"),
        max_length=10,
        choices=WarningKind.choices,
        help_text=_("可能民转刑、可能引发群体性事件或重复信访（人民调解法 第二十五条）。"),
    )
    summary = models.TextField(_("预警情况"), help_text=_("预警所涉纠纷的当事人和情况。"))
    told_bodies = models.CharField(
        _("已通报单位"), max_length=200, blank=True, help_text=_("已同时报告或通报的公安机关、其他有关部门。")
    )
    told_at = models.DateTimeField(
        _("通报时间"), null=True, blank=True, help_text=_("登记已通报单位的时间；尚未通报的为空。")
    )
    raised_at = models.DateTimeField(
        _("预警时间"), default=timezone.now, help_text=_("发出预警的时间，预警天数从此算起。")
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预警人"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发出预警的工作人员。"),
    )
    next_check_on = models.DateField(_("下次跟踪日期"), help_text=_("预警解除前定期跟踪。"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("预警中的纠纷定期跟踪，风险消除后解除。"),
    )
    lowered_at = models.DateTimeField(_("解除时间"), null=True, blank=True, help_text=_("解除预警的时间。"))
    lowered_note = models.TextField(_("解除说明"), blank=True, help_text=_("风险为何消除、如何化解。"))
    overdue_reminded_for = models.DateField(
        _("已提醒的逾期跟踪日期"),
        null=True,
        blank=True,
        help_text=_("逾期未跟踪时提醒一次；记下提醒的是哪一个跟踪日期，跟踪后再逾期会再次提醒。"),
    )

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_check_on"], name="med_warning_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit.name}"

    def age_days(self, today: dt.date | None = None) -> int:
        """Days since it was raised (until lowered)."""
        end = timezone.localdate(self.lowered_at) if self.lowered_at else (today or timezone.localdate())
        return (end - timezone.localdate(self.raised_at)).days


class WarningCheck(models.Model):
    """One follow-up of an open warning (跟踪稳控)."""

    warning = models.ForeignKey(
        RiskWarning,
        on_delete=models.CASCADE,
        related_name="checks",
        help_text=_("被跟踪的风险预警。"),
        verbose_name=_("风险预警"),
    )
    note = models.TextField(_("跟踪情况"), help_text=_("本次跟踪稳控的情况。"))
    checked_at = models.DateTimeField(
        _("跟踪时间"), default=timezone.now, help_text=_("本次跟踪的时间；下次跟踪日期从此顺延。")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记跟踪情况的工作人员。"),
        verbose_name=_("跟踪人"),
    )

    class Meta:
        ordering = ["checked_at", "pk"]

    def __str__(self) -> str:
        return self.note[:30]


class ReferralPartner(models.Model):
    """A court, police station or petition office that refers disputes through the signed API."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    kind = models.CharField(
        _("类别"),
        max_length=10,
        choices=ReferrerKind.choices,
        help_text=_("人民法院（诉调对接）、公安派出所（警调对接）或信访部门（访调对接）。"),
    )
    key_id = models.CharField(
        _("接入标识"),
        max_length=40,
        unique=True,
        help_text=_("对接单位签名请求中携带的标识，用于查找签名密钥。"),
    )
    secret = crypto.EncryptedTextField(_("签名密钥"), help_text=_("HMAC-SHA256 签名密钥，加密保存。"))
    callback_url = models.URLField(
        _("结果回传地址"), blank=True, help_text=_("案件办结后向对接单位回传调解结果的地址；为空则不回传。")
    )
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后该单位的接口请求一律拒绝。"))

    class Meta:
        verbose_name = _("对接单位")
        verbose_name_plural = _("对接单位")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A mediation case (调解案件) of a 人民调解委员会."""

    class Status(models.TextChoices):
        CONSENT = "consent", _("征询当事人意见")
        MEDIATING = "mediating", _("调解中")
        AGREED = "agreed", _("调解成功")
        TERMINATED = "terminated", _("终止调解")
        REFUSED = "refused", _("当事人拒绝调解")
        WITHDRAWN = "withdrawn", _("当事人撤回")

    OPEN_STATUSES = (Status.CONSENT, Status.MEDIATING)

    number = models.CharField(
        _("案号"),
        max_length=40,
        unique=True,
        help_text=_("“（年份）调委会编号调字第 N 号”，按调委会、年度顺序编号。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("调解委员会"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("受理、调解此案的人民调解委员会。"),
    )
    matter = models.OneToOneField(
        Matter,
        verbose_name=_("申请事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_case",
        help_text=_("当事人提出人民调解申请的事项；立案时受理该事项，结案时一并办结。"),
    )
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("排查记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("由排查发现转入调解的排查记录。"),
    )
    source = models.CharField(
        _("案件来源"),
        max_length=12,
        choices=CaseSource.choices,
        help_text=_("当事人申请、排查发现、主动调解或法院、公安、信访委托移送（人民调解法 第十八条）。"),
    )
    dispute_type = models.CharField(
        _("纠纷类型"),
        max_length=12,
        choices=DisputeType.choices,
        help_text=_("民间纠纷的类别（人民调解法 第二条）。"),
    )
    summary = models.TextField(_("纠纷简要情况"), help_text=_("纠纷的起因、经过和争议焦点。"))
    place = models.CharField(_("纠纷发生地"), max_length=120, blank=True, help_text=_("纠纷发生的地点。"))
    amount = models.DecimalField(
        _("争议金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("当事人争议的金额；不涉及金额的为空。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=Status.choices,
        default=Status.CONSENT,
        help_text=_(
            "立案后先征询当事人意见：一方明确拒绝的不得调解（人民调解法 第十七条）；调解中的案件以调解成功、终止调解或撤回结案。"
        ),
    )
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now, help_text=_("立案的时间。"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("经接口移送立案的为空。"),
    )
    due_on = models.DateField(_("调解期限"), help_text=_("立案日加调委会规定的调解期限（未规定时 30 日）。"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, help_text=_("结案的时间。"))
    outcome_note = models.TextField(_("结案情况"), blank=True, help_text=_("结案时的情况说明。"))
    routes_told = models.TextField(
        _("告知的其他途径"),
        blank=True,
        help_text=_(
            "终止调解时告知当事人可依法通过仲裁、行政、司法等途径维护权利（人民调解法 第二十六条）。"
        ),
    )

    objects = UnitScoped.as_manager()

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def days_taken(self) -> int | None:
        if self.closed_at is None:
            return None
        return (timezone.localdate(self.closed_at) - timezone.localdate(self.opened_at)).days


class Party(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="parties",
        help_text=_("当事人所在的案件。"),
        verbose_name=_("调解案件"),
    )
    role = models.CharField(
        _("当事人地位"),
        max_length=12,
        choices=PartyRole.choices,
        help_text=_("申请人或被申请人；每个案件至少各一位。"),
    )
    name = models.CharField(
        _("姓名或名称"), max_length=60, help_text=_("自然人姓名或单位名称；列表中遮蔽显示。")
    )
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        blank=True,
        validators=[validate_id_number],
        help_text=_("加密保存，页面只显示前六位和后四位。"),
    )
    phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_person_phone],
        help_text=_("当事人联系电话，用于通知和提醒；列表中遮蔽显示。"),
    )
    address = models.CharField(_("住所"), max_length=200, blank=True, help_text=_("当事人的住所地。"))
    consent = models.CharField(
        _("是否同意调解"),
        max_length=10,
        choices=Consent.choices,
        default=Consent.PENDING,
        help_text=_("是否同意调解；一方明确拒绝调解的，不得调解（人民调解法 第十七条）。"),
    )
    consent_at = models.DateTimeField(
        _("征询时间"), null=True, blank=True, help_text=_("登记当事人意见的时间。")
    )

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class CaseMediator(models.Model):
    """A mediator on a case (人民调解法 第十九条: 一名或者数名). Removed with a reason on 回避."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="mediators",
        help_text=_("调解员承办的案件。"),
        verbose_name=_("调解案件"),
    )
    mediator = models.ForeignKey(
        Practitioner,
        verbose_name=_("人民调解员"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("调委会指定或当事人选择的人民调解员（人民调解法 第十九条）。"),
    )
    is_lead = models.BooleanField(
        _("主持调解"), default=False, help_text=_("主持调解的调解员；每个案件至多一人。")
    )
    assigned_at = models.DateTimeField(_("指定时间"), default=timezone.now, help_text=_("指定调解员的时间。"))
    recused_at = models.DateTimeField(
        _("回避时间"), null=True, blank=True, help_text=_("调解员回避、退出此案的时间；为空表示仍在承办。")
    )
    recusal_reason = models.CharField(
        _("回避理由"), max_length=200, blank=True, help_text=_("回避的理由，如与当事人有利害关系。")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "mediator"], name="med_case_mediator_once")]
        ordering = ["-is_lead", "pk"]

    def __str__(self) -> str:
        return self.mediator.name


class Session(models.Model):
    """One mediation session (调解记录)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="sessions",
        help_text=_("本次调解所属的案件。"),
        verbose_name=_("调解案件"),
    )
    held_on = models.DateField(_("调解日期"), help_text=_("调解进行的日期。"))
    place = models.CharField(_("调解地点"), max_length=120, help_text=_("调解的地点。"))
    attendees = models.CharField(
        _("参加人员"),
        max_length=300,
        help_text=_("参加调解的当事人、调解员和其他人员（人民调解法 第二十条）。"),
    )
    content = models.TextField(_("调解情况"), help_text=_("本次调解的经过和各方意见（调解记录）。"))
    agreed = models.TextField(
        _("达成的一致意见"), blank=True, help_text=_("本次调解各方达成的一致意见；未达成的为空。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记调解记录的工作人员。"),
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text=_("登记调解记录的时间。"), verbose_name=_("登记时间")
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}"


def signed_copy_path(instance: Agreement, filename: str) -> str:
    return f"mediation/agreements/{instance.case_id}/{uuid.uuid4().hex}"


class Agreement(models.Model):
    """人民调解协议书 (第二十八、二十九条) or an oral agreement (第三十条), with its judicial confirmation (第三十三条)."""

    class Form(models.TextChoices):
        WRITTEN = "written", _("书面调解协议")
        ORAL = "oral", _("口头调解协议")

    class Confirmation(models.TextChoices):
        NONE = "none", _("未申请")
        APPLIED = "applied", _("已申请，待法院确认")
        CONFIRMED = "confirmed", _("法院已确认有效")
        REFUSED = "refused", _("法院驳回申请")

    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        related_name="agreement",
        help_text=_("达成协议的案件；登记协议即以调解成功结案。"),
        verbose_name=_("调解案件"),
    )
    form = models.CharField(
        _("协议形式"),
        max_length=8,
        choices=Form.choices,
        help_text=_("书面调解协议（人民调解法 第二十八、二十九条）或口头调解协议（第三十条）。"),
    )
    facts = models.TextField(
        _("纠纷的主要事实、争议事项"),
        help_text=_("协议书载明的纠纷主要事实、争议事项（人民调解法 第二十九条）。"),
    )
    terms = models.TextField(
        _("各方当事人的权利和义务（调解协议内容）"),
        help_text=_("协议书载明的各方当事人的权利和义务（人民调解法 第二十九条）。"),
    )
    performance = models.TextField(
        _("履行协议的方式、地点、期限"),
        help_text=_("协议书载明的履行方式、地点、期限（人民调解法 第二十九条）。"),
    )
    agreed_on = models.DateField(
        _("达成协议日期"), help_text=_("各方达成协议的日期，不得晚于登记当天；口头协议自此生效。")
    )
    effective_on = models.DateField(
        _("生效日期"),
        null=True,
        blank=True,
        help_text=_(
            "书面协议自各方签名（按指印）、调解员签名并加盖调委会印章之日起生效；口头协议自达成之日起生效。"
        ),
    )
    signed_copy = models.FileField(
        _("签字盖章件"),
        upload_to=signed_copy_path,
        blank=True,
        help_text=_("各方签名（按指印）、调解员签名并加盖调委会印章的协议书扫描件；上传后书面协议生效。"),
    )
    signed_copy_type = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("上传文件经检查后的类型（如 application/pdf），下载时使用。"),
        verbose_name=_("签字盖章件文件类型"),
    )
    signed_uploaded_at = models.DateTimeField(
        _("上传时间"), null=True, blank=True, help_text=_("上传签字盖章件的时间。")
    )
    confirmation = models.CharField(
        _("司法确认"),
        max_length=10,
        choices=Confirmation.choices,
        default=Confirmation.NONE,
        help_text=_("双方自协议生效之日起三十日内可共同向人民法院申请司法确认（人民调解法 第三十三条）。"),
    )
    court = models.CharField(
        _("受理法院"), max_length=80, blank=True, help_text=_("受理司法确认申请的人民法院。")
    )
    confirmation_applied_on = models.DateField(
        _("申请司法确认日期"), null=True, blank=True, help_text=_("当事人向法院申请司法确认的日期。")
    )
    confirmation_decided_on = models.DateField(
        _("法院决定日期"), null=True, blank=True, help_text=_("法院确认有效或驳回申请的日期。")
    )
    confirmation_note = models.TextField(
        _("法院决定情况"),
        blank=True,
        help_text=_(
            "法院确认或驳回的情况；驳回的，当事人可变更原协议或达成新协议，也可起诉（人民调解法 第三十三条）。"
        ),
    )
    reminded_on = models.DateField(
        _("提醒日期"),
        null=True,
        blank=True,
        help_text=_("司法确认申请期限届满前 7 日内提醒当事人和调解员的日期；每份协议只提醒一次。"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text=_("登记协议的时间。"), verbose_name=_("登记时间")
    )

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return f"{self.case.number} 调解协议"

    @property
    def confirmation_due_on(self) -> dt.date | None:
        """The last day for the joint application: 30 natural days from the effective date (第三十三条)."""
        return confirmation_due(self.effective_on) if self.effective_on else None

    def days_left(self, today: dt.date) -> int | None:
        due = self.confirmation_due_on
        return None if due is None else (due - today).days


def confirmation_due(effective_on: dt.date) -> dt.date:
    """自调解协议生效之日起三十日内: natural days, not working days, counted from the day after it takes effect."""
    return effective_on + dt.timedelta(days=CONFIRMATION_DAYS)


class FollowUp(models.Model):
    """履行回访 on an agreed date (人民调解法 第三十一条: 人民调解委员会应当对调解协议的履行情况进行监督)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待回访")
        PERFORMED = "performed", _("已履行")
        PARTLY = "partly", _("部分履行")
        NOT_PERFORMED = "not_performed", _("未履行")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        help_text=_("回访的调解协议。"),
        verbose_name=_("调解协议"),
    )
    due_on = models.DateField(
        _("回访日期"),
        help_text=_(
            "登记协议时约定的回访日期，不早于达成协议日期（人民调解法 第三十一条：调委会对协议履行情况进行监督）。"
        ),
    )
    result = models.CharField(
        _("履行情况"),
        max_length=14,
        choices=Result.choices,
        default=Result.PENDING,
        help_text=_("回访时协议的履行情况。"),
    )
    note = models.TextField(_("回访记录"), blank=True, help_text=_("回访的经过和当事人反映。"))
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True, help_text=_("实际回访的时间。"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("登记回访的工作人员。"),
        verbose_name=_("回访人"),
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} 履行回访"


class Referral(models.Model):
    """A dispute referred by a court, police station or petition office (诉调、警调、访调对接), with their reference
    number; the case's outcome is reported back to them."""

    class Report(models.TextChoices):
        WAITING = "waiting", _("案件办理中")
        PENDING = "pending", _("待回传")
        SENT = "sent", _("已回传")
        FAILED = "failed", _("回传失败")

    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        related_name="referral",
        help_text=_("移送后立案的调解案件。"),
        verbose_name=_("调解案件"),
    )
    kind = models.CharField(
        _("移送单位类别"),
        max_length=10,
        choices=ReferrerKind.choices,
        help_text=_("人民法院（诉调对接）、公安派出所（警调对接）或信访部门（访调对接）。"),
    )
    referrer = models.CharField(
        _("移送单位"), max_length=80, help_text=_("移送纠纷的法院、派出所或信访部门的名称。")
    )
    reference_no = models.CharField(
        _("移送单位案号"), max_length=60, help_text=_("移送单位自己的案号；同一单位的同一案号只接收一次。")
    )
    partner = models.ForeignKey(
        ReferralPartner,
        verbose_name=_("对接单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("经签名接口移送时的对接单位；人工登记的为空。"),
    )
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, help_text=_("接收移送的时间。"))
    report = models.CharField(
        _("结果回传"),
        max_length=10,
        choices=Report.choices,
        default=Report.WAITING,
        help_text=_("结案后向对接单位回传结果的进度；回传失败的按间隔自动重发，直至成功或次数用尽。"),
    )
    reported_at = models.DateTimeField(
        _("回传时间"), null=True, blank=True, help_text=_("对接单位成功接收（2xx 应答）结果的时间。")
    )
    report_attempts = models.PositiveSmallIntegerField(
        _("回传次数"), default=0, help_text=_("已尝试回传的次数（最多 6 次：首次加 5 次重发）。")
    )
    report_tried_at = models.DateTimeField(
        _("最近一次回传时间"), null=True, blank=True, help_text=_("回传失败后按间隔重发，从这一时刻起算。")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referrer", "reference_no"], name="med_referral_reference_once")
        ]

    def __str__(self) -> str:
        return f"{self.referrer} {self.reference_no}"
