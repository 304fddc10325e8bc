"""The service-item catalogue (服务事项目录): what can be asked for, who handles it, within what time, with
which materials, on which channels, and the rules that route a request to its handling unit.

The catalogue is data, editable by admins: it is the "规范体系" of 厦司〔2019〕43号 第（十七）项 (统一业务规范，
明确办理流程；服务承诺制、限时办结制). Code reads it; it never hard-codes an item's limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.calendar.workdays import TimeUnit
from fawang.orgs.models import Unit
from fawang.regions.models import Region


class BusinessLine(models.TextChoices):
    """业务条线. A fixed list: code branches on some of them (complaints go to the supervising bureau)."""

    CONSULTATION = "consultation", _("法律咨询")
    LEGAL_AID = "legal_aid", _("法律援助")
    MEDIATION = "mediation", _("人民调解")
    NOTARY = "notary", _("公证")
    APPRAISAL = "appraisal", _("司法鉴定")
    LAWYER = "lawyer", _("律师服务")
    PUBLICITY = "publicity", _("法治宣传")
    RESETTLEMENT = "resettlement", _("安置帮教")
    CORRECTIONS = "corrections", _("社区矫正")
    REMOTE_VISIT = "remote_visit", _("监所远程探视")
    COMPLAINT = "complaint", _("投诉")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    """How a request reaches us (受理渠道): the three platforms plus post, proxies and home visits."""

    WINDOW = "window", _("窗口")
    HOTLINE = "hotline", _("热线")
    WEB = "web", _("网站")
    APP = "app", _("APP")
    WECHAT = "wechat", _("微信")
    MAIL = "mail", _("邮寄")
    PROXY = "proxy", _("代理")
    VISIT = "visit", _("上门")


class Step(models.TextChoices):
    """The timed steps of a matter. Each has its own limit on the service item and its own clock.

    accept: from receipt to the decision whether to take the request up (受理, or for legal aid the
            decision whether to grant it: 法律援助法 第四十三条 "自收到法律援助申请之日起七日内…作出是否给予
            法律援助的决定"); assign: from that decision to assigning a handler ("自作出决定之日起三日内指派");
    complete: from assignment (or acceptance, when there is no assign step) to completion (办结).
    """

    ACCEPT = "accept", _("受理")
    ASSIGN = "assign", _("指派")
    COMPLETE = "complete", _("办结")


def json_list_contains(field: str, value: str) -> Q:
    """Rows whose JSON list ``field`` contains the string ``value``, on PostgreSQL and SQLite alike.

    SQLite has no JSON containment look-up; there we match the quoted value in the JSON text, which is exact
    for lists of plain codes (a code never contains a double quote).
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": json.dumps(value)})


def validate_choice_list(value: Any, choices: type[models.TextChoices], what: str) -> list[str]:
    """A JSON list of distinct codes from ``choices``, in their declared order; raises a Chinese error."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("%(what)s应为代码列表。") % {"what": what}, code="not_a_list")
    unknown = [v for v in value if v not in choices.values]
    if unknown:
        raise ValidationError(
            _("未知的%(what)s：%(codes)s。") % {"what": what, "codes": "、".join(unknown)},
            code="unknown_choice",
        )
    return [v for v in choices.values if v in value]


def validate_channels(value: Any) -> None:
    validate_choice_list(value, Channel, str(_("渠道")))


class ServiceItemQuerySet(models.QuerySet["ServiceItem"]):
    def active(self) -> ServiceItemQuerySet:
        return self.filter(is_active=True)

    def offered_on(self, channel: str) -> ServiceItemQuerySet:
        return self.filter(json_list_contains("channels", channel))


class ServiceItem(models.Model):
    """One service item (服务事项): e.g. 法律援助申请, handled by a county 法律援助中心."""

    code = models.SlugField(
        _("事项代码"),
        max_length=40,
        unique=True,
        help_text=_("稳定的英文代码，程序、业务条线和种子数据按它引用事项；建立后不要修改。"),
    )
    name = models.CharField(_("事项名称"), max_length=60, unique=True)
    business_line = models.CharField(
        _("业务条线"),
        max_length=16,
        choices=BusinessLine.choices,
        db_index=True,
        help_text=_(
            "事项所属的业务条线（法律咨询、法律援助、人民调解等）；决定由哪个业务模块办理，投诉类事项交主管司法局。"
        ),
    )
    summary = models.CharField(
        _("简要说明"), max_length=200, blank=True, help_text=_("一句话说明事项内容，在门户的事项列表中显示。")
    )
    unit_kind = models.CharField(
        _("办理机构类型"),
        max_length=20,
        choices=Unit.Kind.choices,
        help_text=_("自动分派时，在事项所在区划及其上级区划中寻找此类型的机构。"),
    )
    unit_level = models.PositiveSmallIntegerField(
        _("办理层级"),
        choices=Region.Level.choices,
        default=Region.Level.COUNTY,
        help_text=_(
            "办理机构所在区划的最低层级；例如法律援助由县（区）级法律援助中心办理，乡镇的事项上转至县（区）。"
        ),
    )
    handled_at_intake = models.BooleanField(
        _("就地办理"),
        default=False,
        help_text=_("由受理机构直接办理，不再分派，例如窗口或热线即时解答的法律咨询。"),
    )

    accept_limit = models.PositiveSmallIntegerField(
        _("受理时限"), null=True, blank=True, help_text=_("为空表示该环节不计时。")
    )
    accept_limit_unit = models.CharField(
        _("受理时限单位"),
        max_length=10,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKDAYS,
        help_text=_("受理时限按工作日、工作小时或自然日计算；工作日按工作日历扣除节假日。"),
    )
    accept_basis = models.CharField(
        _("受理时限依据"),
        max_length=200,
        blank=True,
        help_text=_("法律依据或服务承诺，例如：《中华人民共和国法律援助法》第四十三条第一款。"),
    )
    assign_limit = models.PositiveSmallIntegerField(
        _("指派时限"), null=True, blank=True, help_text=_("为空表示该环节不计时。")
    )
    assign_limit_unit = models.CharField(
        _("指派时限单位"),
        max_length=10,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKDAYS,
        help_text=_("指派时限按工作日、工作小时或自然日计算；工作日按工作日历扣除节假日。"),
    )
    assign_basis = models.CharField(
        _("指派时限依据"),
        max_length=200,
        blank=True,
        help_text=_("法律依据或服务承诺，例如：《中华人民共和国法律援助法》第四十三条第一款。"),
    )
    complete_limit = models.PositiveSmallIntegerField(
        _("办结时限"), null=True, blank=True, help_text=_("为空表示该环节不计时。")
    )
    complete_limit_unit = models.CharField(
        _("办结时限单位"),
        max_length=10,
        choices=TimeUnit.choices,
        default=TimeUnit.WORKDAYS,
        help_text=_("办结时限按工作日、工作小时或自然日计算。"),
    )
    complete_basis = models.CharField(
        _("办结时限依据"),
        max_length=200,
        blank=True,
        help_text=_("法律依据或服务承诺，例如：《中华人民共和国法律援助法》第四十三条第一款。"),
    )
    supply_limit_workdays = models.PositiveSmallIntegerField(
        _("补正期限（工作日）"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("一次性告知补正材料后，申请人逾期未补正的视为撤回申请（法律援助法 第四十三条第二款）。"),
    )
    warn_share = models.FloatField(
        _("预警比例"),
        default=0.8,
        validators=[MinValueValidator(0.1), MaxValueValidator(0.99)],
        help_text=_("时限用去此比例时向承办人预警，例如 0.8 表示用去八成时预警。"),
    )

    guide_conditions = models.TextField(
        _("办理条件"), blank=True, help_text=_("办事指南：谁可以申请、需满足的条件。")
    )
    guide_procedure = models.TextField(
        _("办理流程"), blank=True, help_text=_("办事指南：申请、受理、审查、办结的步骤。")
    )
    guide_fees = models.CharField(
        _("收费标准"), max_length=200, default="免费", help_text=_("公共法律服务一般免费。")
    )
    legal_basis = models.TextField(
        _("设定依据"), blank=True, help_text=_("法律、法规、规章及规范性文件依据。")
    )
    channels = models.JSONField(
        _("受理渠道"),
        default=list,
        blank=True,
        validators=[validate_channels],
        help_text=_("提供该事项的渠道：窗口、热线、网站、APP、微信、邮寄、代理、上门。"),
    )
    requires_id_number = models.BooleanField(
        _("须登记身份证号码"),
        default=False,
        help_text=_("勾选后，受理或转换为本事项时必须登记服务对象的身份证号码。"),
    )
    is_active = models.BooleanField(
        _("启用"),
        default=True,
        help_text=_("停用的事项不再受理新申请，也不能转换为本事项；已有事项照常办理。"),
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("门户和受理页面中的显示顺序，数字小的在前。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.channels = validate_choice_list(self.channels, Channel, str(_("渠道")))

    def limit(self, step: str) -> tuple[int, str] | None:
        """The (amount, unit) of ``step``'s time limit, or None when the step is not timed."""
        amount = getattr(self, f"{step}_limit")
        return None if amount is None else (amount, getattr(self, f"{step}_limit_unit"))

    def limit_display(self, step: str) -> str:
        limit = self.limit(step)
        if limit is None:
            return ""
        return f"{limit[0]} {TimeUnit(limit[1]).label}"

    def offers(self, channel: str) -> bool:
        return channel in (self.channels or [])

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels or [] if c in Channel.values]

    def required_materials(self) -> Iterable[Material]:
        return [m for m in self.materials.all() if m.is_required]


class Material(models.Model):
    """A material the applicant brings (申请材料); the request-for-materials form offers these."""

    service_item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("材料名称"), max_length=100)
    description = models.CharField(
        _("说明"), max_length=300, blank=True, help_text=_("份数、原件或复印件、由谁出具等。")
    )
    is_required = models.BooleanField(
        _("必须提交"),
        default=True,
        help_text=_(
            "必须提交的材料在网上申请中是必传项（已由其他材料涵盖的除外），接口和办事指南中标为必须。"
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("在材料清单中的顺序，数字小的在前。")
    )

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["service_item", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service_item", "name"], name="material_unique_name")]

    def __str__(self) -> str:
        return self.name


class RegionalBasis(models.Model):
    """地方依据: a local policy document an item rests on in one region only (厦司〔2019〕43号 in 厦门市,
    仙政办〔2017〕134号 in 仙游县). A matter's receipt and result notice cite the item's own 设定依据 (national law)
    and only the local documents whose region contains the matter's region, so no 仙游县 document is printed
    on a 思明区 receipt.

    The region is kept as its code (a prefix of the matter's region code), not a foreign key: the catalogue is
    seeded by migrations, before any region is imported."""

    service_item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="regional_bases"
    )
    region_code = models.CharField(
        _("适用区划代码"),
        max_length=12,
        help_text=_("适用的行政区划代码（省 2 位、市 4 位、县 6 位），含其下级区划，例如 3502 为厦门市。"),
    )
    text = models.TextField(
        _("依据"), help_text=_("文件名称、文号及条款，例如：厦司〔2019〕43号 第（四）项。")
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("同一区划有多条依据时的排列顺序，数字小的在前。")
    )

    class Meta:
        verbose_name = _("地方依据")
        verbose_name_plural = _("地方依据")
        ordering = ["service_item", "region_code", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.text}"

    def clean(self) -> None:
        if not self.region_code.isdigit() or len(self.region_code) not in (2, 4, 6, 9, 12):
            raise ValidationError({"region_code": _("请填写 2、4、6、9 或 12 位的行政区划代码。")})

    @staticmethod
    def for_region(item: ServiceItem, region_code: str) -> list[str]:
        """The local bases of ``item`` that apply in ``region_code`` (its own and its ancestors'), widest first."""
        prefixes = [region_code[:n] for n in (2, 4, 6, 9, 12) if n <= len(region_code)]
        rows = RegionalBasis.objects.filter(service_item=item, region_code__in=prefixes)
        return [row.text for row in sorted(rows, key=lambda r: (len(r.region_code), r.order, r.pk))]


class RoutingRule(models.Model):
    """An explicit route: requests for ``service_item`` concerning ``region`` (and everything under it) go
    to ``unit``. The rule with the longest region code wins, then the higher priority; without a rule the
    router walks up the region tree (see fawang/matters/routing.py)."""

    service_item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("适用区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("规则适用于此区划及其下级区划。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("办理机构"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text=_("符合规则的事项分派到的机构。"),
    )
    priority = models.SmallIntegerField(
        _("优先级"), default=0, help_text=_("同一区划有多条规则时，数值大的优先。")
    )
    is_active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用的规则不参与分派；办理机构停用时规则同样不生效。")
    )
    note = models.CharField(
        _("备注"),
        max_length=200,
        blank=True,
        help_text=_("设立规则的原因或依据，例如某文件指定由某机构集中办理。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        ordering = ["service_item", "region_id", "-priority"]
        indexes = [models.Index(fields=["service_item", "region"], name="routing_item_region")]

    def __str__(self) -> str:
        return f"{self.service_item} · {self.region} → {self.unit}"
