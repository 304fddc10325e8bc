"""Online applications (网上申请, 一网通办): a draft a signed-in citizen fills in step by step and resumes on any
device, which on submission becomes one Matter (``matters.actions.do_submit``) with the application's facts kept
here, keyed to that Matter.

- ``Application``: one per citizen and service item while it is a draft; the applicant's details as applied
  (a snapshot of the real-name profile, the ID number encrypted), the matter's region and description, and the
  item's own facts (``facts``, checked by the item's form definition in definitions.py).
- ``Party``: the other party (法律援助) or the respondents (人民调解).
- ``Means`` and ``HouseholdMember``: the legal-aid means facts (法律援助法 第四十一条) and the exemption grounds
  that waive the means test (第三十二条、第四十二条).
- ``ApplicationFile``: a material uploaded to the draft (checked like every upload, fawang/matters/uploads.py);
  on submission each becomes an ``matters.Attachment`` of the Matter.

State changes only through fawang/applications/actions.py.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import Channel, Material, ServiceItem
from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, mask_phone, validate_id_number
from fawang.matters.models import (
    Attachment,
    Matter,
    SpecialGroup,
    validate_person_phone,
    validate_special_groups,
)
from fawang.regions.models import Region

from .choices import ExemptionGround, PartyKind, PartyRole, Relation

if TYPE_CHECKING:
    from fawang.accounts.models import User

MAX_INCOME = Decimal("9999999.99")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def of_user(self, user: User) -> ApplicationQuerySet:
        """A citizen's own applications; nobody else's, whatever they ask for."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def visible_to(self, user: User) -> ApplicationQuerySet:
        """Staff see the submitted applications of the matters they may see (Matter.objects.visible_to)."""
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def drafts(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.DRAFT)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公众账号"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    service_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("服务事项"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "申请的服务事项；决定填写哪些步骤和事项信息（definitions.py），每个账号每个事项只保留一份草稿。"
        ),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("草稿可以分步保存、换设备继续填写；提交后生成服务事项办理记录，不能再修改。"),
    )
    steps_done = models.JSONField(
        _("已完成的步骤"), default=list, blank=True, help_text=_("已保存且校验通过的步骤代码。")
    )

    # 申请人信息: what the applicant applied with (the real-name profile when the step was saved).
    applicant_name = models.CharField(
        _("申请人姓名"), max_length=32, blank=True, help_text=_("保存申请人信息步骤时取自账号的实名信息。")
    )
    applicant_id_number = crypto.EncryptedTextField(
        _("申请人身份证号码"),
        blank=True,
        validators=[validate_id_number],
        help_text=_("来自实名信息，加密保存；页面上只显示前六位和后四位。"),
    )
    applicant_phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_person_phone],
        help_text=_("申请人的联系电话，提交后成为服务对象的联系电话；页面上打码显示。"),
    )
    applicant_address = models.CharField(
        _("住所地（联系地址）"),
        max_length=200,
        blank=True,
        help_text=_("申请人的住所地或经常居住地，也可作为联系地址。"),
    )
    special_groups = models.JSONField(
        _("特殊群体"),
        default=list,
        blank=True,
        validators=[validate_special_groups],
        help_text=_("老年人、残疾人、未成年人等特殊群体，可多选；提交后记入服务对象档案。"),
    )

    # 事项情况: what every item asks, plus the item's own facts.
    region = models.ForeignKey(
        Region,
        verbose_name=_("所涉区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("办案机关所在地、事由或纠纷发生地等；决定由哪个机构办理。"),
    )
    description = models.TextField(_("事项说明"), blank=True, help_text=_("纯文本；显示时转义。"))
    facts = models.JSONField(
        _("事项情况"),
        default=dict,
        blank=True,
        help_text=_(
            "各服务事项特有的申请事实（如法律援助的案由和阶段、公证事项和用途），按事项的申请表定义校验。"
        ),
    )

    channel = models.CharField(
        _("提交渠道"),
        max_length=8,
        choices=Channel.choices,
        blank=True,
        help_text=_("提交时所用的渠道（网站、APP 或微信）。"),
    )
    matter = models.OneToOneField(
        Matter,
        verbose_name=_("服务事项办理"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="application",
        help_text=_("提交后生成的事项。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(
        _("提交时间"), null=True, blank=True, help_text=_("提交并生成事项的时间。")
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("网上申请")
        verbose_name_plural = _("网上申请")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            # One draft per citizen and service item: starting again resumes it (on any device).
            models.UniqueConstraint(
                fields=["user", "service_item"], condition=Q(status="draft"), name="application_one_draft"
            )
        ]
        indexes = [models.Index(fields=["user", "-updated_at"], name="application_user_recent")]

    def __str__(self) -> str:
        return f"{self.service_item} · {self.get_status_display()}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def applicant_id_number_masked(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def applicant_phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def special_group_labels(self) -> list[str]:
        return [str(SpecialGroup(g).label) for g in self.special_groups or [] if g in SpecialGroup.values]


class Party(models.Model):
    """对方当事人 of a legal-aid application, or a 被申请人 of a mediation request."""

    application = models.ForeignKey(
        Application, verbose_name=_("网上申请"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(
        _("身份"),
        max_length=12,
        choices=PartyRole.choices,
        help_text=_("法律援助申请中的对方当事人，或人民调解申请中的被申请人。"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=12,
        choices=PartyKind.choices,
        default=PartyKind.PERSON,
        help_text=_("自然人，或法人或者其他组织。"),
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_person_phone],
        help_text=_("当事人的联系电话（可不填）；11 位手机号码或带区号的固定电话。"),
    )
    address = models.CharField(
        _("住所地或联系地址"),
        max_length=200,
        blank=True,
        help_text=_("当事人的住所地或联系地址（可不填）。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("多个当事人时的填写顺序。"))

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["application", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Means(models.Model):
    """家庭经济状况 of a legal-aid application, or the grounds that waive the means test.

    法律援助法 第四十一条: 因经济困难申请法律援助的，申请人应当如实说明经济困难状况; the centre checks it through
    information sharing or the applicant's personal pledge (个人诚信承诺). 第三十二条 cases are not subject to the
    economic-difficulty condition; 第四十二条 people with material proving it are not checked. The standard itself
    is set by each province (第三十四条): the centre decides; the form only computes the per-capita income.
    """

    application = models.OneToOneField(
        Application, verbose_name=_("网上申请"), on_delete=models.CASCADE, related_name="means"
    )
    exemption_grounds = models.JSONField(
        _("免予审查经济困难的情形"),
        default=list,
        blank=True,
        help_text=_("法律援助法 第三十二条、第四十二条规定的情形代码。"),
    )
    exemption_note = models.CharField(
        _("其他情形的依据"),
        max_length=300,
        blank=True,
        help_text=_("选择“其他情形/人员”时写明所依据的规定。"),
    )
    applicant_income = models.DecimalField(
        _("申请人本人月收入（元）"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_INCOME)],
        help_text=_(
            "申请人本人的月收入；与家庭成员收入合计后计算家庭人均月收入，供法律援助机构对照本省经济困难标准（《法律援助法》第三十四条）。"
        ),
    )
    hardship_statement = models.TextField(
        _("经济困难状况说明"),
        blank=True,
        help_text=_("申请人如实说明的经济困难状况（《法律援助法》第四十一条第一款）。"),
    )
    pledged = models.BooleanField(
        _("个人诚信承诺"),
        default=False,
        help_text=_("申请人承诺所说明的经济困难状况真实（第四十一条第二款）。"),
    )

    class Meta:
        verbose_name = _("家庭经济状况")
        verbose_name_plural = _("家庭经济状况")

    def __str__(self) -> str:
        return str(self.application)

    @property
    def exemption_labels(self) -> list[str]:
        return [str(ExemptionGround(g).label) for g in self.exemption_grounds if g in ExemptionGround.values]


class HouseholdMember(models.Model):
    """A member of the applicant's household (共同生活的家庭成员) and their monthly income."""

    application = models.ForeignKey(
        Application, verbose_name=_("网上申请"), on_delete=models.CASCADE, related_name="household"
    )
    name = models.CharField(_("姓名"), max_length=32)
    relation = models.CharField(
        _("与申请人关系"),
        max_length=12,
        choices=Relation.choices,
        help_text=_("与申请人共同生活的家庭成员的关系：配偶、子女、父母、兄弟姐妹等。"),
    )
    monthly_income = models.DecimalField(
        _("月收入（元）"),
        max_digits=9,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_INCOME)],
        help_text=_("该成员的月收入，计入家庭人均月收入。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("家庭成员的填写顺序。"))

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["application", "order", "pk"]

    def __str__(self) -> str:
        return self.name


def draft_file_path(instance: ApplicationFile, filename: str) -> str:
    """A random stored name: the original name is kept in a column, never trusted as a path."""
    now = timezone.localtime()
    return f"applications/{now:%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class ApplicationFile(models.Model):
    """A material uploaded to a draft, in one of the item's material slots."""

    class Slot(models.TextChoices):
        MATERIAL = "material", _("申请材料")
        EXEMPTION_PROOF = "exemption_proof", _("免予核查经济困难状况的证明材料")
        OTHER = "other", _("其他材料")

    application = models.ForeignKey(
        Application, verbose_name=_("网上申请"), on_delete=models.CASCADE, related_name="files"
    )
    slot = models.CharField(
        _("材料栏目"),
        max_length=16,
        choices=Slot.choices,
        default=Slot.MATERIAL,
        help_text=_("文件属于哪个材料栏目：事项的申请材料、免予核查经济困难状况的证明材料，或其他材料。"),
    )
    material = models.ForeignKey(
        Material,
        verbose_name=_("对应材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("该文件对应的事项申请材料；免予核查经济困难的证明和其他材料为空。"),
    )
    file = models.FileField(
        _("文件"),
        upload_to=draft_file_path,
        blank=True,
        help_text=_("以随机文件名加密保存的草稿文件；提交后转为事项的材料附件。"),
    )
    original_name = models.CharField(
        _("原文件名"), max_length=200, help_text=_("上传时的文件名，只用于显示。")
    )
    content_type = models.CharField(
        _("文件类型"), max_length=100, help_text=_("按文件内容识别的类型（PDF、JPEG 或 PNG），不是按扩展名。")
    )
    size = models.PositiveIntegerField(
        _("大小（字节）"), help_text=_("文件大小，单个文件上限见 MATTERS_UPLOAD_MAX_BYTES（默认 10 MB）。")
    )
    sha256 = models.CharField(
        _("文件摘要（SHA-256）"),
        max_length=64,
        help_text=_("上传时按文件内容计算的 SHA-256 摘要，可用于核对文件是否被改动。"),
    )
    attachment = models.OneToOneField(
        Attachment,
        verbose_name=_("事项材料附件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("提交后文件转为事项的材料附件，草稿中的副本随即删除。"),
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    # Set by the upload check before save; decides the stored file's extension.
    extension = ""

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def slot_key(self) -> str:
        """The key of the slot on the materials step: ``m<material id>``, or the slot code."""
        return f"m{self.material_id}" if self.slot == self.Slot.MATERIAL else self.slot
