"""Units (机构), their windows, staff memberships, practitioners and their credit records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes
from fawang.lib.validators import validate_phone
from fawang.regions.models import Region

from .authority import regions_filter, unit_ids_filter, units_filter

if TYPE_CHECKING:
    from fawang.accounts.models import User


class Function(models.Model):
    """A service function of a unit: the "3" basic ones (法律援助, 人民调解, 法律咨询) plus extras ("X")."""

    code = models.SlugField(
        _("代码"),
        max_length=32,
        unique=True,
        help_text=_("稳定的英文代码，程序和导入数据按它引用职能；建立后不要修改。"),
    )
    name = models.CharField(_("名称"), max_length=32, unique=True)
    is_basic = models.BooleanField(
        _("基本职能"), default=False, help_text=_("“3+X”中的“3”：法律援助、人民调解、法律咨询。")
    )
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("列表和门户中的显示顺序，数字小的在前。")
    )

    class Meta:
        verbose_name = _("服务职能")
        verbose_name_plural = _("服务职能")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Speciality(models.Model):
    """A legal area (业务专长), shared with topic classification of consultations."""

    code = models.SlugField(
        _("代码"),
        max_length=32,
        unique=True,
        help_text=_(
            "稳定的英文代码，也是咨询自动分类给出的领域代码（受理时据此填写所涉领域）；建立后不要修改。"
        ),
    )
    name = models.CharField(_("名称"), max_length=16, unique=True)
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("列表中的显示顺序，数字小的在前。")
    )

    class Meta:
        verbose_name = _("业务领域")
        verbose_name_plural = _("业务领域")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def id_for_code(cls, code: str) -> int | None:
        """The id of the area ``code`` (a topic of the classifier), remembered per process: the codes are seeded
        with the taxonomy and never change, and every consultation taken in asks for one."""
        found = _SPECIALITY_IDS.get(code)
        if found is None:
            found = cls.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is not None:
                _SPECIALITY_IDS[code] = found
        return found


_SPECIALITY_IDS: dict[str, int] = {}


PATH_WIDTH = 8


def path_segment(pk: int) -> str:
    """A unit's own step in ``tree_path``: its id, zero-padded to a fixed width, so the path is a digit string
    and "this unit and every unit under it" is one half-open range (``codes.under``), as region codes are."""
    return str(pk).zfill(PATH_WIDTH)


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: User) -> UnitQuerySet:
        """The units the user reaches (docs/authority.md)."""
        return self.filter(units_filter(user))

    def service_points(self) -> UnitQuerySet:
        return self.filter(kind__in=Unit.SERVICE_POINT_KINDS)

    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("司法局")
        CENTRE = "centre", _("公共法律服务中心")
        STATION = "station", _("公共法律服务工作站")
        ROOM = "room", _("公共法律服务工作室")
        LEGAL_AID = "legal_aid", _("法律援助中心")
        MEDIATION = "mediation", _("人民调解委员会")
        JUDICIAL_OFFICE = "judicial_office", _("司法所")
        NOTARY = "notary", _("公证处")
        LAW_FIRM = "law_firm", _("律师事务所")
        APPRAISAL = "appraisal", _("司法鉴定机构")
        GRASSROOTS = "grassroots", _("基层法律服务所")
        PRISON = "prison", _("监狱/看守所")
        HOTLINE = "hotline", _("外部热线")

    # 实体平台: the centre (市/区/县), station (镇/街) and room (村/居) are where the public walks in.
    SERVICE_POINT_KINDS = (Kind.CENTRE, Kind.STATION, Kind.ROOM)
    # Units with a credit file of their own: the licensed service institutions (信用信息公开 of 律师事务所, 公证处,
    # 司法鉴定机构 and 基层法律服务所), on which 行政处罚 and 行业惩戒 fall as on their practitioners.
    CREDIT_FILE_KINDS = (Kind.LAW_FIRM, Kind.NOTARY, Kind.APPRAISAL, Kind.GRASSROOTS)

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(
        _("简称"),
        max_length=40,
        blank=True,
        help_text=_("常用简称，例如“思明区法援中心”；工作台可按简称查找机构，接口也返回简称。"),
    )
    kind = models.CharField(
        _("机构类型"),
        max_length=20,
        choices=Kind.choices,
        db_index=True,
        help_text=_(
            "司法局、公共法律服务中心/工作站/工作室、法律援助中心、人民调解委员会、司法所，或律师事务所、公证处等机构；决定本单位工作人员能看到和办理什么（docs/authority.md）。"
        ),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_(
            "机构所在的行政区划。区划本身不授予权限：司法局的监督范围是其区划及下级区划，"
            "其他机构看其在机构树中的位置（docs/authority.md）。"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主管单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
        help_text=_("业务主管或监督单位，例如区司法局；超时升级与投诉转至此单位。"),
    )
    address = models.CharField(
        _("地址"),
        max_length=200,
        blank=True,
        help_text=_("对外公布的办公地址，在门户的服务网点页面显示。"),
    )
    phone = models.CharField(
        _("联系电话"),
        max_length=32,
        blank=True,
        validators=[validate_phone],
        help_text=_("对外公布的联系电话，在门户的服务网点页面显示。"),
    )
    opening_hours = models.CharField(
        _("服务时间"),
        max_length=120,
        blank=True,
        help_text=_("例如：工作日 8:30-12:00，14:30-17:30（节假日除外）"),
    )
    hotline_number = models.CharField(
        _("热线号码"), max_length=8, blank=True, help_text=_("外部热线的号码，例如 12345、12315、110。")
    )
    functions = models.ManyToManyField(
        Function,
        verbose_name=_("服务职能"),
        blank=True,
        related_name="units",
        help_text=_("本单位提供的服务职能（“3+X”）；门户按职能查找服务网点。"),
    )
    description = models.TextField(
        _("简介"), blank=True, help_text=_("在门户机构页面显示的简介；纯文本，显示时转义。")
    )
    is_active = models.BooleanField(
        _("启用"),
        default=True,
        help_text=_("停用的机构，其工作人员的任职不再生效，也不再作为督办升级的主管司法局；历史事项保留。"),
    )
    tree_path = models.CharField(
        _("层级路径"),
        max_length=160,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("由主管单位链上各单位编号组成，保存时自动维护；用于一次查出某单位及其下属单位。"),
    )
    require_2fa = models.BooleanField(
        _("要求双因素登录"), default=False, help_text=_("开启后，本单位工作人员登录须使用动态口令（TOTP）。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["region_id", "kind", "name"]
        indexes = [models.Index(fields=["kind", "region"], name="unit_kind_region")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep ``tree_path`` (and the paths of the units under this one) in step with ``parent``."""
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        if update_fields is None or "parent" in update_fields or not self.tree_path:
            self.sync_tree_path()

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            parent = Unit.objects.filter(pk=self.parent_id).values_list("tree_path", flat=True).first() or ""
            if self.parent_id == self.pk or (self.tree_path and parent.startswith(self.tree_path)):
                raise ValidationError(
                    {"parent": _("主管单位不能是本单位或其下属单位。")}, code="parent_cycle"
                )

    def sync_tree_path(self) -> None:
        parent_path = ""
        if self.parent_id is not None:
            parent_path = (
                Unit.objects.filter(pk=self.parent_id).values_list("tree_path", flat=True).first() or ""
            )
        old = Unit.objects.filter(pk=self.pk).values_list("tree_path", flat=True).first() or ""
        if old and parent_path.startswith(old):
            raise ValidationError({"parent": _("主管单位不能是本单位或其下属单位。")}, code="parent_cycle")
        new = parent_path + path_segment(self.pk)
        self.tree_path = new
        if new == old:
            return
        Unit.objects.filter(pk=self.pk).update(tree_path=new)
        if old:
            below = Unit.objects.filter(codes.under("tree_path", old)).exclude(pk=self.pk)
            for pk, path in below.values_list("pk", "tree_path"):
                Unit.objects.filter(pk=pk).update(tree_path=new + path[len(old) :])
        from .scoping import bump

        bump()  # the paths were updated in bulk (no signal): the copies of the memberships are out of date

    @property
    def has_credit_file(self) -> bool:
        return self.kind in self.CREDIT_FILE_KINDS

    @property
    def is_service_point(self) -> bool:
        return self.kind in self.SERVICE_POINT_KINDS


class Window(models.Model):
    """A window or position (窗口/岗位) at a service point."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("综合接待岗")
        CONSULTATION = "consultation", _("法律咨询岗")
        LEGAL_AID = "legal_aid", _("法律援助岗")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.CASCADE,
        related_name="windows",
        help_text=_("设有该窗口的服务点（公共法律服务中心、工作站等）。"),
    )
    kind = models.CharField(
        _("岗位类型"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("综合接待岗、法律咨询岗或法律援助岗。"),
    )
    number = models.PositiveSmallIntegerField(
        _("窗口号"), help_text=_("服务大厅中的窗口编号，同一服务点内唯一。")
    )
    name = models.CharField(_("名称"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用的窗口保留记录，不再使用。"))

    class Meta:
        verbose_name = _("窗口岗位")
        verbose_name_plural = _("窗口岗位")
        ordering = ["unit", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="window_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} 号窗口 · {self.get_kind_display()}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: User) -> MembershipQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))

    def active(self) -> MembershipQuerySet:
        """Memberships that count for authority: not paused, not ended, at an active unit."""
        return self.filter(is_active=True, ended_at__isnull=True, unit__is_active=True)

    def current(self) -> MembershipQuerySet:
        """Memberships not ended (active or paused)."""
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A staff user's role in one unit. Role decides what the user may do; the unit (its kind and place in
    the tree of units, docs/authority.md) where.

    Revoking a role ends the membership (``ended_at``/``ended_by``) and keeps the row as history; an ended
    membership never counts for authority. Granting the same role at the same unit again makes a new row, so
    each period of holding a role stays visible: the unique constraint covers memberships not ended only.
    """

    class Role(models.TextChoices):
        WINDOW_CLERK = "window_clerk", _("窗口受理员")
        HOTLINE_AGENT = "hotline_agent", _("热线座席员")
        HANDLER = "handler", _("承办人")
        SUPERVISOR = "supervisor", _("监督管理员")
        UNIT_ADMIN = "unit_admin", _("单位管理员")
        LEGAL_ADVISOR = "legal_advisor", _("法律顾问")
        CORRECTIONS_OFFICER = "corrections_officer", _("社区矫正工作人员")
        SYSTEM_ADMIN = "system_admin", _("系统管理员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_(
            "任职所在的机构；该机构的类型和在机构树中的位置决定角色的作用范围（docs/authority.md）。"
        ),
    )
    role = models.CharField(
        _("角色"),
        max_length=24,
        choices=Role.choices,
        help_text=_(
            "在该机构担任的角色，决定能做什么（受理、分派、承办、监督等，fawang/orgs/roles.py）；在哪里做由机构决定。"
        ),
    )
    title = models.CharField(_("职务"), max_length=32, blank=True)
    is_active = models.BooleanField(
        _("有效"), default=True, help_text=_("停用的任职暂不能使用，可以恢复；撤销的任职同时记录撤销时间。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    ended_at = models.DateTimeField(
        _("撤销时间"),
        null=True,
        blank=True,
        help_text=_("角色被撤销的时间；撤销的任职保留为历史，不再恢复。"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("撤销该角色的管理员。"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位任职")
        verbose_name_plural = _("岗位任职")
        ordering = ["unit", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ended_at__isnull=True),
                name="membership_unique_current_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None


class PractitionerQuerySet(models.QuerySet["Practitioner"]):
    def visible_to(self, user: User) -> PractitionerQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))

    def public(self) -> PractitionerQuerySet:
        return self.filter(is_public=True)


class Practitioner(models.Model):
    """A legal service practitioner (法律服务人员) with a licence, a unit and specialities."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("律师")
        NOTARY = "notary", _("公证员")
        APPRAISER = "appraiser", _("司法鉴定人")
        MEDIATOR = "mediator", _("人民调解员")
        GRASSROOTS_WORKER = "grassroots_worker", _("基层法律服务工作者")
        VILLAGE_ADVISOR = "village_advisor", _("村居法律顾问")

    class LicenceStatus(models.TextChoices):
        PRACTISING = "practising", _("正常执业")
        SUSPENDED = "suspended", _("停止执业")
        REVOKED = "revoked", _("吊销/注销")

    class Gender(models.TextChoices):
        MALE = "m", _("男")
        FEMALE = "f", _("女")

    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(
        _("性别"),
        max_length=1,
        choices=Gender.choices,
        blank=True,
        help_text=_("内部记录，不在门户名录中公开。"),
    )
    kind = models.CharField(
        _("类别"),
        max_length=20,
        choices=Kind.choices,
        db_index=True,
        help_text=_("律师、公证员、司法鉴定人、人民调解员、基层法律服务工作者或村居法律顾问。"),
    )
    licence_no = models.CharField(
        _("执业证号"), max_length=32, blank=True, help_text=_("执业证或工作证编号；人民调解员可为空。")
    )
    licence_status = models.CharField(
        _("执业状态"),
        max_length=12,
        choices=LicenceStatus.choices,
        default=LicenceStatus.PRACTISING,
        help_text=_(
            "正常执业、停止执业或吊销/注销，在公开名录中显示；只有正常执业的律师可被指派法律援助案件。"
        ),
    )
    licensed_on = models.DateField(
        _("首次执业日期"), null=True, blank=True, help_text=_("首次取得执业证的日期，在公开名录中显示。")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("执业机构"),
        on_delete=models.PROTECT,
        related_name="practitioners",
        null=True,
        blank=True,
        help_text=_(
            "执业所在的律师事务所、公证处、司法鉴定机构、基层法律服务所或调解组织；尚未登记机构时为空。"
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practitioner",
        help_text=_("本人登录平台的工作人员账号（例如承办法律援助案件的律师）；没有账号时为空。"),
    )
    phone = models.CharField(
        _("联系电话"),
        max_length=32,
        blank=True,
        validators=[validate_phone],
        help_text=_("工作联系电话，属个人信息，不在门户名录和服务网点页面公开。"),
    )
    specialities = models.ManyToManyField(
        Speciality,
        verbose_name=_("业务专长"),
        blank=True,
        related_name="practitioners",
        help_text=_("擅长的法律领域；工作台按领域筛选，指派法律援助案件时优先擅长案件所涉领域的律师。"),
    )
    is_public = models.BooleanField(_("公开"), default=True, help_text=_("是否在公众门户的名录中展示。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        verbose_name = _("法律服务人员")
        verbose_name_plural = _("法律服务人员")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "licence_no"], condition=~Q(licence_no=""), name="practitioner_unique_licence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class CreditRecord(models.Model):
    """A reward or penalty on the credit file (信用信息) of a practitioner or of a unit (a law firm, a notary office,
    an appraisal institution: 行政处罚 and 行业惩戒 fall on institutions too), public or internal. Exactly one of
    ``practitioner`` and ``unit`` is set."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("表彰奖励")
        PENALTY = "penalty", _("行政处罚/行业惩戒")

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("法律服务人员"),
        on_delete=models.CASCADE,
        related_name="credit_records",
        null=True,
        blank=True,
        help_text=_("记录所属的法律服务人员；记录属于机构时为空（二者选其一）。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="credit_records",
        null=True,
        blank=True,
        help_text=_(
            "记录所属的机构（律师事务所、公证处、司法鉴定机构、基层法律服务所）；记录属于个人时为空（二者选其一）。"
        ),
    )
    kind = models.CharField(
        _("类型"), max_length=8, choices=Kind.choices, help_text=_("表彰奖励，或行政处罚、行业惩戒。")
    )
    title = models.CharField(_("事由"), max_length=120)
    detail = models.TextField(
        _("详情"), blank=True, help_text=_("决定的主要内容，例如处罚种类和依据；纯文本，显示时转义。")
    )
    authority = models.CharField(
        _("决定机关"), max_length=80, help_text=_("作出决定的机关，例如某市司法局、某市律师协会。")
    )
    decided_on = models.DateField(_("决定日期"), help_text=_("决定书载明的日期；信用信息按此排序公开。"))
    is_public = models.BooleanField(
        _("公开"), default=True, help_text=_("公开的记录在信用信息公开页面展示。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("在平台录入该记录的工作人员。"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(practitioner__isnull=False, unit__isnull=True)
                | Q(practitioner__isnull=True, unit__isnull=False),
                name="credit_record_of_one_holder",
                violation_error_message=_("信用记录须属于一名法律服务人员或一个机构，二者选其一。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def holder(self) -> Practitioner | Unit | None:
        return self.practitioner or self.unit


class AdvisorAssignmentQuerySet(models.QuerySet["AdvisorAssignment"]):
    def visible_to(self, user: User) -> AdvisorAssignmentQuerySet:
        return self.filter(regions_filter(user, "region_id"))

    def current(self) -> AdvisorAssignmentQuerySet:
        return self.filter(ended_on__isnull=True)


class AdvisorAssignment(models.Model):
    """一村（社区）一法律顾问: the legal advisor serving one village or community."""

    practitioner = models.ForeignKey(
        Practitioner, verbose_name=_("法律顾问"), on_delete=models.PROTECT, related_name="assignments"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="advisor_assignments",
        help_text=_("法律顾问服务的村或社区（村级区划）；同一时间只有一名在任顾问。"),
    )
    room = models.ForeignKey(
        Unit,
        verbose_name=_("法律服务工作室"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor_assignments",
        help_text=_("法律顾问驻点的村（居）公共法律服务工作室。"),
    )
    started_on = models.DateField(
        _("聘任日期"),
        help_text=_("聘任开始日期；一个村（社区）同一时间只有一名在任的法律顾问（一村（社区）一法律顾问）。"),
    )
    ended_on = models.DateField(
        _("解聘日期"), null=True, blank=True, help_text=_("解聘日期；为空表示仍在任。")
    )
    service_schedule = models.CharField(
        _("驻点时间"), max_length=80, blank=True, help_text=_("例如：每月第一、三周周三上午")
    )

    objects = AdvisorAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("村居法律顾问聘任")
        verbose_name_plural = _("村居法律顾问聘任")
        ordering = ["region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(ended_on__isnull=True), name="one_current_advisor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.name}：{self.practitioner.name}"
