"""法律援助 (legal aid) records beyond the shared matter: the hardship standards the means facts are compared with
(经济困难标准, 法律援助法 第三十四条) and the figures they refer to, the decisions and their notices (第四十三条),
the roster of legal-aid lawyers and their assignments (指派, 第二十六条、第四十三条), the case record (承办、结案),
objections (第四十九条) and subsidies (第五十二条).

State changes only through fawang/legalaid/actions.py (each leaves a MatterEvent or an audit row).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.matters.models import Matter
from fawang.orgs.models import Practitioner, Unit
from fawang.regions.models import Region

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class ReferenceFigure(models.Model):
    """A dated figure a hardship standard may refer to (最低工资标准、最低生活保障标准), per region."""

    class Kind(models.TextChoices):
        MIN_WAGE = "min_wage", _("月最低工资标准")
        DIBAO = "dibao", _("城乡居民最低生活保障标准（月）")

    kind = models.CharField(
        _("参照标准"),
        max_length=10,
        choices=Kind.choices,
        help_text=_("经济困难标准可参照的数额：当地月最低工资标准或城乡居民最低生活保障标准。"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("公布此数额的行政区划；下级区划没有自己的数额时沿用上级的。"),
    )
    amount = models.DecimalField(_("金额（元/月）"), **MONEY, help_text=_("当地政府公布的每月金额。"))  # type: ignore[arg-type]
    effective_from = models.DateField(
        _("执行日期"), help_text=_("此数额开始执行的日期；调整即新增一行，前一行截止于前一天。")
    )
    effective_to = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("为空表示现行有效。"))
    document = models.CharField(_("设定文件"), max_length=200, help_text=_("公布此数额的文件名称和文号。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("录入此数额的工作人员。"),
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("参照标准")
        verbose_name_plural = _("参照标准")
        ordering = ["region", "kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "effective_from"], name="reference_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.get_kind_display()} {self.amount}"


class HardshipStandard(models.Model):
    """经济困难标准 of a region from a date: a fixed monthly per-capita amount, or a multiple of a reference figure
    (e.g. 当地最低工资标准的 1 倍). A change is a new row from a later date; the one before it ends the day
    before, and nothing already decided is recomputed (decisions keep their own copy of the comparison)."""

    class Basis(models.TextChoices):
        FIXED = "fixed", _("固定金额")
        MULTIPLE = "multiple", _("参照标准的倍数")

    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "适用此标准的行政区划；下级区划没有自己的标准时沿用上级的（法律援助法 第三十四条：由省级人民政府根据本行政区域经济发展状况和法律援助工作需要确定）。"
        ),
    )
    basis = models.CharField(
        _("确定方式"),
        max_length=10,
        choices=Basis.choices,
        help_text=_("固定的家庭人均月收入金额，或当地参照标准的若干倍。"),
    )
    amount = models.DecimalField(
        _("家庭人均月收入标准（元）"),
        null=True,
        blank=True,
        **MONEY,  # type: ignore[arg-type]
        help_text=_("确定方式为固定金额时必填：家庭人均月收入低于此数即为经济困难。"),
    )
    reference_kind = models.CharField(
        _("参照标准"),
        max_length=10,
        choices=ReferenceFigure.Kind.choices,
        blank=True,
        help_text=_("确定方式为倍数时参照的数额：月最低工资标准或最低生活保障标准。"),
    )
    multiple = models.DecimalField(
        _("倍数"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("确定方式为倍数时必填：家庭人均月收入低于参照标准的此倍数即为经济困难。"),
    )
    effective_from = models.DateField(
        _("执行日期"), help_text=_("此标准开始执行的日期；按申请日适用当时有效的标准，已作出的决定不重算。")
    )
    effective_to = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("为空表示现行有效。"))
    document = models.CharField(_("设定文件"), max_length=200, help_text=_("文件名称和文号。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("录入此标准的工作人员。"),
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("经济困难标准")
        verbose_name_plural = _("经济困难标准")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="hardship_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.rule_text()}"

    def rule_text(self) -> str:
        if self.basis == self.Basis.FIXED:
            return str(_("家庭人均月收入低于 %(amount)s 元")) % {"amount": self.amount}
        return str(_("家庭人均月收入低于%(kind)s的 %(multiple)s 倍")) % {
            "kind": ReferenceFigure.Kind(self.reference_kind).label,
            "multiple": self.multiple,
        }


def in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


class Decision(models.Model):
    """给予 / 不予 / 终止法律援助 on an application, with the means comparison as it stood when decided."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("给予法律援助")
        REFUSE = "refuse", _("不予法律援助")
        TERMINATE = "terminate", _("终止法律援助")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="aid_decisions",
        help_text=_("作出决定的法律援助申请事项。"),
    )
    kind = models.CharField(
        _("决定"),
        max_length=10,
        choices=Kind.choices,
        help_text=_(
            "给予、不予或终止法律援助（法律援助法 第四十三条、第四十八条）；不予、终止的可提出异议。"
        ),
    )
    number = models.CharField(
        _("文书编号"),
        max_length=40,
        unique=True,
        help_text=_("决定书编号：前缀、年份和随机字符，不按顺序编号。"),
    )
    reasons = models.TextField(_("理由"), help_text=_("纯文本；显示时转义。"))
    checklist = models.JSONField(
        _("审查清单"),
        default=list,
        blank=True,
        help_text=_(
            "审查时已核对的项目代码：身份证明、经济困难证明（含诚信承诺）、事项材料、事项范围（第三十一、三十二条）、受理范围（第三十八条）。"
        ),
    )
    pledged = models.BooleanField(
        _("申请人已作个人诚信承诺"),
        default=False,
        help_text=_("申请人以个人诚信承诺说明经济困难状况（法律援助法 第四十一条）。"),
    )
    # The comparison with the hardship standard, copied when decided (a later standard changes nothing here).
    standard = models.ForeignKey(
        HardshipStandard,
        verbose_name=_("适用的经济困难标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("按申请日适用的经济困难标准；以后标准调整不影响本决定。"),
    )
    standard_rule = models.CharField(
        _("适用规则"),
        max_length=200,
        blank=True,
        help_text=_("作出决定时适用标准的文字表述，如“家庭人均月收入低于月最低工资标准的 1 倍”。"),
    )
    threshold = models.DecimalField(
        _("标准金额（元/月）"),
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        help_text=_("作出决定时按适用标准算出的家庭人均月收入标准。"),
    )
    per_capita = models.DecimalField(
        _("家庭人均月收入（元）"),
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        help_text=_("申请人填报的家庭月收入除以家庭人口数。"),
    )
    comparison = models.CharField(
        _("比对结果"),
        max_length=200,
        blank=True,
        help_text=_("家庭人均月收入与标准比对的结论文字（作出决定时的副本）。"),
    )
    objection_unit = models.ForeignKey(
        Unit,
        verbose_name=_("异议受理机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "设立法律援助机构的司法行政部门（上级司法局），受理对不予、终止决定的异议（法律援助法 第四十九条）。"
        ),
    )
    objection_due = models.DateField(
        _("异议期限"), null=True, blank=True, help_text=_("第四十九条未规定提出异议的期限，目前始终为空。")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出决定的工作人员。"),
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now, help_text=_("作出决定的时间。"))

    class Meta:
        verbose_name = _("法律援助决定")
        verbose_name_plural = _("法律援助决定")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def objectionable(self) -> bool:
        return self.kind in (self.Kind.REFUSE, self.Kind.TERMINATE)


class AidLawyer(models.Model):
    """A legal-aid lawyer or 基层法律服务工作者 on a 法律援助中心's roster (法律援助人员名册)."""

    centre = models.ForeignKey(
        Unit,
        verbose_name=_("法律援助机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("名册所属的法律援助中心。"),
    )
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("法律服务人员"),
        on_delete=models.PROTECT,
        related_name="aid_rosters",
        help_text=_("列入名册的律师或基层法律服务工作者。"),
    )
    criminal_since = models.DateField(
        _("从事刑事辩护起始日期"),
        null=True,
        blank=True,
        help_text=_(
            "法律援助法 第二十六条：可能被判处无期徒刑、死刑的案件须指派具有三年以上相关执业经历的律师。"
        ),
    )
    available = models.BooleanField(
        _("可接受指派"), default=True, help_text=_("不可接受指派时轮流指派跳过此人。")
    )
    max_open = models.PositiveSmallIntegerField(
        _("同时承办上限"), default=5, help_text=_("在办案件达到此数时轮流指派跳过此人。")
    )
    last_assigned_at = models.DateTimeField(
        _("最近一次指派"),
        null=True,
        blank=True,
        help_text=_("最近一次被指派的时间；在办件数相同时，间隔最久的优先。"),
    )
    added_at = models.DateTimeField(
        _("列入名册时间"), default=timezone.now, help_text=_("列入法律援助人员名册的时间。")
    )

    class Meta:
        verbose_name = _("法律援助人员")
        verbose_name_plural = _("法律援助人员名册")
        ordering = ["centre", "practitioner__name"]
        constraints = [models.UniqueConstraint(fields=["centre", "practitioner"], name="aid_roster_once")]

    def __str__(self) -> str:
        return self.practitioner.name

    def relevant_years(self, on: dt.date) -> int:
        if self.criminal_since is None or self.practitioner.kind != Practitioner.Kind.LAWYER:
            return 0
        years = on.year - self.criminal_since.year
        if (on.month, on.day) < (self.criminal_since.month, self.criminal_since.day):
            years -= 1
        return max(years, 0)


class Assignment(models.Model):
    """指派: a matter given to a lawyer of the roster at their firm; the firm accepts, the lawyer keeps the case
    log and closes it, the centre checks the file."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待接受")
        ACCEPTED = "accepted", _("承办中")
        CLOSED = "closed", _("已结案待审查")
        CHECKED = "checked", _("已审查归档")
        RETURNED = "returned", _("退回补充")
        TERMINATED = "terminated", _("已终止")

    class Outcome(models.TextChoices):
        WON = "won", _("胜诉或主张得到支持")
        PARTIAL = "partial", _("部分支持")
        SETTLED = "settled", _("调解或和解结案")
        LOST = "lost", _("未获支持")
        OTHER = "other", _("其他")

    class CaseType(models.TextChoices):
        CIVIL = "civil", _("民事")
        CRIMINAL = "criminal", _("刑事")
        ADMINISTRATIVE = "administrative", _("行政")
        NON_LITIGATION = "non_litigation", _("非诉讼")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="aid_assignments",
        help_text=_("被指派的法律援助事项。"),
    )
    lawyer = models.ForeignKey(
        AidLawyer,
        verbose_name=_("法律援助人员"),
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("名册中承办此案的法律援助人员。"),
    )
    firm = models.ForeignKey(
        Unit,
        verbose_name=_("所在机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("承办人员所在的律师事务所或基层法律服务所，由其接受指派。"),
    )
    number = models.CharField(
        _("指派通知书编号"),
        max_length=40,
        unique=True,
        help_text=_("指派通知书编号：“援指字〔年份〕”加随机字符，不按顺序编号。"),
    )
    case_type = models.CharField(
        _("案件类别"),
        max_length=16,
        choices=CaseType.choices,
        default=CaseType.CIVIL,
        help_text=_("民事、刑事、行政或非诉讼；决定适用的办案补贴标准。"),
    )
    serious = models.BooleanField(
        _("可能被判处无期徒刑、死刑"),
        default=False,
        help_text=_(
            "可能被判处无期徒刑、死刑的，须指派具有三年以上相关执业经历的律师（法律援助法 第二十六条）。"
        ),
    )
    advance = models.BooleanField(
        _("先行提供法律援助"),
        default=False,
        help_text=_("在作出给予决定前先行指派（法律援助法 第四十四条）。"),
    )
    advance_reason = models.CharField(
        _("先行提供的理由"),
        max_length=300,
        blank=True,
        help_text=_("先行提供法律援助的情形，如距法定时效或期限届满不足七日。"),
    )
    materials_owed = models.CharField(
        _("尚需补交的材料"), max_length=300, blank=True, help_text=_("先行提供时申请人尚需补交的材料。")
    )
    rotation_note = models.CharField(
        _("指派依据"),
        max_length=300,
        blank=True,
        help_text=_("为何指派此人：在办案件数、业务专长、第二十六条执业经历，或人工指派的说明。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=Status.choices,
        default=Status.ASSIGNED,
        help_text=_("待接受、承办中、已结案待审查、退回补充、已审查归档或已终止。"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出指派的工作人员。"),
        verbose_name=_("指派人"),
    )
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now, help_text=_("作出指派的时间。"))
    accepted_at = models.DateTimeField(
        _("接受时间"), null=True, blank=True, help_text=_("承办机构接受指派的时间。")
    )
    closed_at = models.DateTimeField(
        _("结案时间"),
        null=True,
        blank=True,
        help_text=_("承办人提交结案的时间；办案补贴按此日有效的标准核算。"),
    )
    outcome = models.CharField(
        _("办理结果"),
        max_length=10,
        choices=Outcome.choices,
        blank=True,
        help_text=_("承办人结案时报告的办理结果。"),
    )
    closing_note = models.TextField(_("结案报告"), blank=True, help_text=_("承办人提交的结案报告。"))
    case_file = models.FileField(
        _("案卷材料"),
        upload_to="legalaid/files/%Y/%m/",
        blank=True,
        help_text=_("承办人提交的案卷材料，供法律援助机构审查。"),
    )
    checked_at = models.DateTimeField(
        _("审查时间"), null=True, blank=True, help_text=_("法律援助机构审查案卷的时间。")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("审查案卷的工作人员。"),
        verbose_name=_("审查人"),
    )
    check_note = models.TextField(_("审查意见"), blank=True, help_text=_("审查意见；退回补充时必填。"))
    quality_score = models.PositiveSmallIntegerField(
        _("案卷质量评分"),
        null=True,
        blank=True,
        help_text=_("0 至 100；审查时未打分的，取质量监督记录评分的平均值（法律援助法 第五十九条）。"),
    )

    class Meta:
        verbose_name = _("指派")
        verbose_name_plural = _("指派")
        ordering = ["-assigned_at", "-pk"]
        indexes = [models.Index(fields=["firm", "status"], name="aid_assignment_firm")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ASSIGNED, self.Status.ACCEPTED, self.Status.RETURNED)


class CaseLog(models.Model):
    """承办记录: what the lawyer did on the case (会见、开庭、文书...)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("会见/约谈")
        COURT = "court", _("开庭/庭审")
        DOCUMENT = "document", _("提交文书")
        INVESTIGATION = "investigation", _("调查取证")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("指派"),
        on_delete=models.CASCADE,
        related_name="logs",
        help_text=_("承办记录所属的指派。"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("会见或约谈、开庭、提交文书、调查取证等承办活动。"),
    )
    happened_on = models.DateField(_("日期"), help_text=_("承办活动发生的日期。"))
    note = models.TextField(_("记录"), help_text=_("纯文本；显示时转义。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记承办记录的人员。"),
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("承办记录")
        verbose_name_plural = _("承办记录")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class Objection(models.Model):
    """异议 (法律援助法 第四十九条) against one decision, decided by the 司法行政部门 that set up the centre within
    five working days: 维持 or 责令改正 (which reopens the application)."""

    class Outcome(models.TextChoices):
        MAINTAIN = "maintain", _("维持")
        CORRECT = "correct", _("责令改正")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("所异议的决定"),
        on_delete=models.PROTECT,
        related_name="objections",
        help_text=_("申请人对之提出异议的不予或终止法律援助决定。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("审查机关"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("设立法律援助机构的司法行政部门（法律援助法 第四十九条）。"),
    )
    reasons = models.TextField(_("异议理由"), help_text=_("纯文本；显示时转义。"))
    filed_at = models.DateTimeField(
        _("提出时间"), default=timezone.now, help_text=_("收到异议的时间，审查期限从次日起算。")
    )
    due_at = models.DateTimeField(
        _("审查期限"),
        help_text=_(
            "收到异议之日起五日内审查完毕（法律援助法 第四十九条第二款；末日为休息日的顺延至下一工作日）。"
        ),
    )
    outcome = models.CharField(
        _("审查结论"),
        max_length=10,
        choices=Outcome.choices,
        blank=True,
        help_text=_("维持原决定，或责令法律援助机构改正（改正的重新审查申请）。"),
    )
    decision_note = models.TextField(
        _("审查意见"), blank=True, help_text=_("审查机关的审查意见，书面告知异议人。")
    )
    decided_at = models.DateTimeField(
        _("作出时间"), null=True, blank=True, help_text=_("作出审查结论的时间。")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出审查结论的工作人员。"),
        verbose_name=_("审查人"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记或提交异议的账号。"),
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("法律援助异议")
        verbose_name_plural = _("法律援助异议")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        pending = _("待审查")
        return f"{self.decision.number} {self.get_outcome_display() or pending}"


class SubsidyRate(models.Model):
    """办案补贴标准 by case type and region from a date (法律援助法 第五十二条)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("适用此补贴标准的行政区划。"),
    )
    case_type = models.CharField(
        _("案件类别"),
        max_length=16,
        choices=Assignment.CaseType.choices,
        help_text=_("民事、刑事、行政或非诉讼案件。"),
    )
    amount = models.DecimalField(
        _("每件补贴（元）"),
        **MONEY,  # type: ignore[arg-type]
        help_text=_("每件案件的办案补贴（法律援助法 第五十二条：由省级司法行政部门会同财政部门确定）。"),
    )
    effective_from = models.DateField(
        _("执行日期"), help_text=_("此标准开始执行的日期；按结案日适用当时有效的标准。")
    )
    effective_to = models.DateField(
        _("截止日期"), null=True, blank=True, help_text=_("此标准停止执行的日期；为空表示现行有效。")
    )
    document = models.CharField(_("设定文件"), max_length=200, help_text=_("设定补贴标准的文件名称和文号。"))

    class Meta:
        verbose_name = _("办案补贴标准")
        verbose_name_plural = _("办案补贴标准")
        ordering = ["region", "case_type", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.get_case_type_display()} {self.amount}"


class Subsidy(models.Model):
    """The subsidy of one checked case, at the rate in force on its closing date; approved, then paid."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("待审批")
        APPROVED = "approved", _("已审批")

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("指派"),
        on_delete=models.PROTECT,
        related_name="subsidy",
        help_text=_("案卷审查合格后核算补贴的指派。"),
    )
    rate = models.ForeignKey(
        SubsidyRate,
        verbose_name=_("补贴标准"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("按结案日有效的补贴标准。"),
    )
    amount = models.DecimalField(
        _("补贴金额（元）"),
        help_text=_("核算时补贴标准的每件金额（副本，标准调整不影响）。"),
        **MONEY,  # type: ignore[arg-type]
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.COMPUTED,
        help_text=_("案卷审查合格后自动核算为待审批，经审批后发放。"),
    )
    computed_at = models.DateTimeField(
        _("核算时间"), default=timezone.now, help_text=_("核算补贴的时间（案卷审查合格时）。")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True, help_text=_("审批补贴的时间。"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("审批补贴的工作人员。"),
        verbose_name=_("审批人"),
    )

    class Meta:
        verbose_name = _("办案补贴")
        verbose_name_plural = _("办案补贴")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment.number} {self.amount}"


class Organ(models.TextChoices):
    """The organs that notify a legal-aid centre (法律援助法 第二十五条、第二十八条、第三十六条)."""

    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")


class NotifyingPartner(models.Model):
    """A court, procuratorate or public-security organ that notifies cases through the signed API (its key id
    and secret; the centre of its place receives what it sends)."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    kind = models.CharField(
        _("类别"),
        max_length=16,
        choices=Organ.choices,
        help_text=_("人民法院、人民检察院或公安机关（法律援助法 第二十五条、第二十八条）。"),
    )
    centre = models.ForeignKey(
        Unit,
        verbose_name=_("对接的法律援助机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("接收该单位通知的法律援助机构。"),
    )
    key_id = models.CharField(
        _("接入标识"),
        max_length=40,
        unique=True,
        help_text=_("对接单位签名请求中携带的标识，用于查找签名密钥。"),
    )
    secret = crypto.EncryptedTextField(_("签名密钥"), help_text=_("HMAC-SHA256 签名密钥，加密保存。"))
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后该单位的接口请求一律拒绝。"))

    class Meta:
        verbose_name = _("通知辩护对接单位")
        verbose_name_plural = _("通知辩护对接单位")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """通知辩护 / 通知代理: a court, procuratorate or police organ notifies the centre to assign a lawyer
    (第二十五条、第二十八条). No economic-hardship review; the centre assigns within three days of receiving it
    and tells the organ (第三十六条). The case runs on a matter of the legal-aid line, already 受理."""

    class Ground(models.TextChoices):
        MINOR = "minor", _("未成年人（第二十五条第一款第一项）")
        DISABLED = "disabled", _("视力、听力、言语残疾人（第二十五条第一款第二项）")
        INCAPABLE = "incapable", _("不能完全辨认自己行为的成年人（第二十五条第一款第三项）")
        LIFE_OR_DEATH = "life_or_death", _("可能被判处无期徒刑、死刑的人（第二十五条第一款第四项）")
        DEATH_REVIEW = "death_review", _("申请法律援助的死刑复核案件被告人（第二十五条第一款第五项）")
        ABSENTIA = "absentia", _("缺席审判案件的被告人（第二十五条第一款第六项）")
        OTHER = "other", _("法律法规规定的其他人员（第二十五条第一款第七项）")
        ORDINARY = "ordinary", _("适用普通程序审理的刑事案件被告人（第二十五条第二款）")
        COMPULSORY = "compulsory", _("强制医疗案件的被申请人或者被告人（第二十八条）")

    # 第二十六条: these need a lawyer with three years' relevant practice.
    SERIOUS = frozenset({Ground.LIFE_OR_DEATH, Ground.DEATH_REVIEW})
    # 第二十五条第二款、第二十八条: only a court notifies these.
    COURT_ONLY = frozenset({Ground.ORDINARY, Ground.COMPULSORY})

    matter = models.OneToOneField(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="aid_notification",
        help_text=_("收到通知即受理的法律援助事项，不审查经济困难状况。"),
    )
    centre = models.ForeignKey(
        Unit,
        verbose_name=_("法律援助机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("收到通知、负责指派的法律援助机构。"),
    )
    organ_kind = models.CharField(
        _("通知机关类别"),
        max_length=16,
        choices=Organ.choices,
        help_text=_("人民法院、人民检察院或公安机关；普通程序和强制医疗案件只由人民法院通知。"),
    )
    organ_name = models.CharField(_("通知机关"), max_length=80, help_text=_("发出通知的机关名称。"))
    partner = models.ForeignKey(
        NotifyingPartner,
        verbose_name=_("对接单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        help_text=_("经签名接口通知时的对接单位；人工登记的为空。"),
    )
    reference_no = models.CharField(
        _("通知机关文书编号"),
        max_length=60,
        help_text=_("通知机关的文书编号；同一机关的同一编号只登记一次。"),
    )
    ground = models.CharField(
        _("法定情形"),
        max_length=16,
        choices=Ground.choices,
        help_text=_("应当通知辩护或代理的法定情形（法律援助法 第二十五条、第二十八条）。"),
    )
    charge = models.CharField(
        _("涉嫌罪名或案由"),
        max_length=100,
        help_text=_("犯罪嫌疑人、被告人涉嫌的罪名，或强制医疗案件的案由。"),
    )
    custody = models.CharField(
        _("羁押场所"), max_length=100, blank=True, help_text=_("羁押的看守所；未羁押的为空。")
    )
    received_at = models.DateTimeField(
        _("收到通知时间"), default=timezone.now, help_text=_("法律援助机构收到通知的时间。")
    )
    due_at = models.DateTimeField(
        _("指派期限"), help_text=_("收到通知之日起三日内指派并函告通知机关（法律援助法 第三十六条）。")
    )
    replied_at = models.DateTimeField(
        _("函告通知机关时间"), null=True, blank=True, help_text=_("将指派情况函告通知机关的时间。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记通知的工作人员；经接口通知的为空。"),
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("通知辩护")
        verbose_name_plural = _("通知辩护")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organ_name", "reference_no"], name="aid_notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.organ_name} {self.reference_no}"

    @property
    def serious(self) -> bool:
        return self.ground in self.SERIOUS

    @property
    def role_label(self) -> str:
        return str(_("诉讼代理人") if self.ground == self.Ground.COMPULSORY else _("辩护人"))


class DutyStation(models.Model):
    """A place where the centre keeps duty lawyers (值班律师, 第十四条、第三十条): a court or a detention centre."""

    class Kind(models.TextChoices):
        COURT = "court", _("人民法院")
        DETENTION = "detention", _("看守所")
        PROCURATORATE = "procuratorate", _("人民检察院")

    centre = models.ForeignKey(
        Unit,
        verbose_name=_("法律援助机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("派驻值班律师的法律援助机构。"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("设在人民法院、看守所或人民检察院的法律援助工作站（法律援助法 第十四条）。"),
    )
    name = models.CharField(_("名称"), max_length=80)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后不能再排班。"))

    class Meta:
        verbose_name = _("法律援助工作站")
        verbose_name_plural = _("法律援助工作站")
        ordering = ["centre", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="duty_station_once")]

    def __str__(self) -> str:
        return self.name


class DutyShift(models.Model):
    """One duty lawyer of the roster on duty at a station on a day (值班排班)."""

    station = models.ForeignKey(
        DutyStation,
        verbose_name=_("工作站"),
        on_delete=models.CASCADE,
        related_name="shifts",
        help_text=_("值班的法律援助工作站。"),
    )
    lawyer = models.ForeignKey(
        AidLawyer,
        verbose_name=_("值班律师"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        help_text=_("名册中当天在此工作站值班的律师（法律援助法 第三十条）。"),
    )
    on = models.DateField(_("值班日期"), help_text=_("值班的日期。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("安排值班的工作人员。"),
        verbose_name=_("排班人"),
    )

    class Meta:
        verbose_name = _("值班排班")
        verbose_name_plural = _("值班排班")
        ordering = ["-on", "station", "pk"]
        constraints = [models.UniqueConstraint(fields=["station", "lawyer", "on"], name="duty_shift_once")]

    def __str__(self) -> str:
        return f"{self.station} {self.on} {self.lawyer}"


HELP_KINDS = (
    ("consultation", _("法律咨询")),
    ("procedure", _("程序选择建议")),
    ("coercive", _("申请变更强制措施")),
    ("opinion", _("对案件处理提出意见")),
    ("plea", _("认罪认罚在场见证")),
)


class DutyLog(models.Model):
    """值班律师工作台账: who was helped on a shift and what advice was given (第三十条). The person's name is
    masked in lists."""

    shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("值班"),
        on_delete=models.PROTECT,
        related_name="logs",
        help_text=_("提供法律帮助时的值班。"),
    )
    person_name = models.CharField(
        _("受帮助人"), max_length=32, help_text=_("获得法律帮助的犯罪嫌疑人、被告人姓名；列表中遮蔽显示。")
    )
    charge = models.CharField(
        _("涉嫌罪名或案由"), max_length=100, blank=True, help_text=_("受帮助人涉嫌的罪名或案由。")
    )
    help_kinds = models.JSONField(
        _("法律帮助类别"),
        default=list,
        help_text=_(
            "法律咨询、程序选择建议、申请变更强制措施、对案件处理提出意见、认罪认罚在场见证（法律援助法 第三十条）。"
        ),
    )
    advice = models.TextField(_("提供的法律帮助"), help_text=_("纯文本；显示时转义。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记台账的值班律师或工作人员。"),
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, help_text=_("登记台账的时间。"))

    class Meta:
        verbose_name = _("值班律师工作台账")
        verbose_name_plural = _("值班律师工作台账")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shift} {self.pk}"

    def help_labels(self) -> list[str]:
        labels = dict(HELP_KINDS)
        return [str(labels[k]) for k in self.help_kinds if k in labels]


class QualityRecord(models.Model):
    """质量监督 of one case (第五十九条): 庭审旁听, 案卷检查, 征询司法机关意见, 回访受援人, each with a score; the
    centre's check of the closed case takes their mean when it gives no score of its own."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("庭审旁听")
        FILE = "file", _("案卷检查")
        OPINION = "opinion", _("征询办案机关意见")
        VISIT = "visit", _("回访受援人")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("指派"),
        on_delete=models.CASCADE,
        related_name="quality_records",
        help_text=_("受监督的指派案件。"),
    )
    kind = models.CharField(
        _("方式"),
        max_length=10,
        choices=Kind.choices,
        help_text=_("庭审旁听、案卷检查、征询办案机关意见或回访受援人（法律援助法 第五十九条）。"),
    )
    happened_on = models.DateField(_("日期"), help_text=_("开展此次监督的日期。"))
    source = models.CharField(
        _("对象"), max_length=100, blank=True, help_text=_("旁听的法庭、征询的办案机关或回访的对象。")
    )
    score = models.PositiveSmallIntegerField(
        _("评分"),
        validators=[MinValueValidator(0)],
        help_text=_("0 至 100；审查案卷未打分时取各次评分的平均值。"),
    )
    note = models.TextField(_("情况"), help_text=_("纯文本；显示时转义。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记监督情况的工作人员。"),
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("质量监督记录")
        verbose_name_plural = _("质量监督记录")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"


def new_number(prefix: str) -> str:
    """A document number: prefix, year and a random part (never sequential, never guessable)."""
    return f"{prefix}〔{timezone.localdate().year}〕{secrets.token_hex(4).upper()}"
