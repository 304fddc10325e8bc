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
        Unit, verbose_name=_("调解委员会"), on_delete=models.CASCADE, related_name="mediation_profile"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=CommitteeKind.choices)
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
        Practitioner, verbose_name=_("人民调解员"), on_delete=models.CASCADE, related_name="mediator_profile"
    )
    employment = models.CharField(_("专兼职"), max_length=10, choices=Employment.choices)
    training_hours = models.PositiveSmallIntegerField(_("累计培训学时"), default=0)
    last_trained_on = models.DateField(_("最近培训日期"), null=True, blank=True)

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
    )
    trained_on = models.DateField(_("培训日期"))
    hours = models.PositiveSmallIntegerField(_("学时"))
    subject = models.CharField(_("培训内容"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
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

    unit = models.ForeignKey(Unit, verbose_name=_("排查单位"), on_delete=models.PROTECT, related_name="+")
    screened_on = models.DateField(_("排查日期"))
    round = models.CharField(_("排查类型"), max_length=12, choices=ScreeningRound.choices)
    parties = models.CharField(
        _("当事人"), max_length=200, help_text=_("纠纷各方，如“王某与李某”“某小区业主与物业公司”。")
    )
    dispute_type = models.CharField(_("纠纷类型"), max_length=12, choices=DisputeType.choices)
    place = models.CharField(_("发生地点"), max_length=120)
    people_count = models.PositiveIntegerField(_("涉及人数"), default=2)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.TextField(_("纠纷简要情况"))
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    risk_reasons = models.JSONField(_("风险因素"), default=list, blank=True)
    action_taken = models.TextField(_("已采取的措施"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
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

    unit = models.ForeignKey(Unit, verbose_name=_("召开单位"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("召开日期"))
    attendees = models.CharField(_("参会人员"), max_length=300)
    screenings = models.ManyToManyField(Screening, verbose_name=_("研判的纠纷"), related_name="meetings")
    decisions = models.TextField(_("研判意见和工作安排"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
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

    unit = models.ForeignKey(Unit, verbose_name=_("预警单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("排查记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
    )
    case = models.ForeignKey(
        "Case",
        verbose_name=_("调解案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
    )
    kind = models.CharField(_("预警类型"), max_length=10, choices=WarningKind.choices)
    summary = models.TextField(_("预警情况"))
    told_bodies = models.CharField(
        _("已通报单位"), max_length=200, blank=True, help_text=_("已同时报告或通报的公安机关、其他有关部门。")
    )
    told_at = models.DateTimeField(_("通报时间"), null=True, blank=True)
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预警人"), on_delete=models.PROTECT, related_name="+"
    )
    next_check_on = models.DateField(_("下次跟踪日期"), help_text=_("预警解除前定期跟踪。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    lowered_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lowered_note = models.TextField(_("解除说明"), blank=True)
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

    warning = models.ForeignKey(RiskWarning, on_delete=models.CASCADE, related_name="checks")
    note = models.TextField(_("跟踪情况"))
    checked_at = models.DateTimeField(_("跟踪时间"), default=timezone.now)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["checked_at", "pk"]

    def __str__(self) -> str:
        return self.note[:30]


class ReferralPartner(models.Model):
    """A court, police station or petition office that refers disputes through the signed API."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=ReferrerKind.choices)
    key_id = models.CharField(_("接入标识"), max_length=40, unique=True)
    secret = crypto.EncryptedTextField(_("签名密钥"), help_text=_("HMAC-SHA256 签名密钥，加密保存。"))
    callback_url = models.URLField(_("结果回传地址"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

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

    number = models.CharField(_("案号"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("调解委员会"), on_delete=models.PROTECT, related_name="+")
    matter = models.OneToOneField(
        Matter,
        verbose_name=_("申请事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_case",
    )
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("排查记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    source = models.CharField(_("案件来源"), max_length=12, choices=CaseSource.choices)
    dispute_type = models.CharField(_("纠纷类型"), max_length=12, choices=DisputeType.choices)
    summary = models.TextField(_("纠纷简要情况"))
    place = models.CharField(_("纠纷发生地"), max_length=120, blank=True)
    amount = models.DecimalField(_("争议金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.CONSENT)
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("经接口移送立案的为空。"),
    )
    due_on = models.DateField(_("调解期限"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    outcome_note = models.TextField(_("结案情况"), blank=True)
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
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人地位"), max_length=12, choices=PartyRole.choices)
    name = models.CharField(_("姓名或名称"), max_length=60)
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        blank=True,
        validators=[validate_id_number],
        help_text=_("加密保存，页面只显示前六位和后四位。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_person_phone])
    address = models.CharField(_("住所"), max_length=200, blank=True)
    consent = models.CharField(
        _("是否同意调解"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("征询时间"), null=True, blank=True)

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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediators")
    mediator = models.ForeignKey(
        Practitioner, verbose_name=_("人民调解员"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("主持调解"), default=False)
    assigned_at = models.DateTimeField(_("指定时间"), default=timezone.now)
    recused_at = models.DateTimeField(_("回避时间"), null=True, blank=True)
    recusal_reason = models.CharField(_("回避理由"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "mediator"], name="med_case_mediator_once")]
        ordering = ["-is_lead", "pk"]

    def __str__(self) -> str:
        return self.mediator.name


class Session(models.Model):
    """One mediation session (调解记录)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("调解地点"), max_length=120)
    attendees = models.CharField(_("参加人员"), max_length=300)
    content = models.TextField(_("调解情况"))
    agreed = models.TextField(_("达成的一致意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

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

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    form = models.CharField(_("协议形式"), max_length=8, choices=Form.choices)
    facts = models.TextField(_("纠纷的主要事实、争议事项"))
    terms = models.TextField(_("各方当事人的权利和义务（调解协议内容）"))
    performance = models.TextField(_("履行协议的方式、地点、期限"))
    agreed_on = models.DateField(_("达成协议日期"))
    effective_on = models.DateField(
        _("生效日期"),
        null=True,
        blank=True,
        help_text=_(
            "书面协议自各方签名（按指印）、调解员签名并加盖调委会印章之日起生效；口头协议自达成之日起生效。"
        ),
    )
    signed_copy = models.FileField(_("签字盖章件"), upload_to=signed_copy_path, blank=True)
    signed_copy_type = models.CharField(max_length=100, blank=True)
    signed_uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True)
    confirmation = models.CharField(
        _("司法确认"), max_length=10, choices=Confirmation.choices, default=Confirmation.NONE
    )
    court = models.CharField(_("受理法院"), max_length=80, blank=True)
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_decided_on = models.DateField(_("法院决定日期"), null=True, blank=True)
    confirmation_note = models.TextField(_("法院决定情况"), blank=True)
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

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

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("回访日期"))
    result = models.CharField(_("履行情况"), max_length=14, choices=Result.choices, default=Result.PENDING)
    note = models.TextField(_("回访记录"), blank=True)
    done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    kind = models.CharField(_("移送单位类别"), max_length=10, choices=ReferrerKind.choices)
    referrer = models.CharField(_("移送单位"), max_length=80)
    reference_no = models.CharField(_("移送单位案号"), max_length=60)
    partner = models.ForeignKey(
        ReferralPartner,
        verbose_name=_("对接单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    report = models.CharField(_("结果回传"), max_length=10, choices=Report.choices, default=Report.WAITING)
    reported_at = models.DateTimeField(_("回传时间"), null=True, blank=True)
    report_attempts = models.PositiveSmallIntegerField(_("回传次数"), default=0)
    report_tried_at = models.DateTimeField(
        _("最近一次回传时间"), null=True, blank=True, help_text=_("回传失败后按间隔重发，从这一时刻起算。")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referrer", "reference_no"], name="med_referral_reference_once")
        ]

    def __str__(self) -> str:
        return f"{self.referrer} {self.reference_no}"
