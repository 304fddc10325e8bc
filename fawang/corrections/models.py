"""社区矫正 (Community Corrections Law of the PRC, 2020): the person under correction (社区矫正对象) taken over
from the court's or prison's document, their supervision schedule (日定位、周听声、月走访), tasks raised when an
item is missed, electronic monitoring under 第二十九条, leave under 第二十七条, assessments and sanctions under
第二十八条, and the end of correction (第四十四条、第四十五条).

These are long supervision of a person, not request → answer matters: the records and their states are this
app's own; every write goes through ``actions.py`` and leaves an audit row (fawang.audit) in its transaction.
Who sees a file is decided in ``access.py``: the corrections staff of the responsible 司法所 and their 司法局.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, mask_name, mask_phone, validate_id_number
from fawang.orgs.models import Unit


class CorrectionType(models.TextChoices):
    """矫正类别 (第二条): the four kinds of sentence executed in the community."""

    CONTROL = "control", _("管制")
    PROBATION = "probation", _("缓刑")
    PAROLE = "parole", _("假释")
    MEDICAL_PAROLE = "medical_parole", _("暂予监外执行")


class DocumentKind(models.TextChoices):
    JUDGMENT = "judgment", _("判决书")
    RULING = "ruling", _("裁定书")
    DECISION = "decision", _("决定书")


class Category(models.TextChoices):
    """管理类别: decides the supervision schedule (schedule.py) and changes with assessments."""

    STRICT = "strict", _("严管")
    NORMAL = "normal", _("普管")
    LENIENT = "lenient", _("宽管")


class EndCause(models.TextChoices):
    """How a correction ended: 期满解除 (第四十四条), or one of the 终止 of 第四十五条, among them 收监执行."""

    EXPIRED = "expired", _("矫正期满解除")
    IMPRISONED = "imprisoned", _("撤销缓刑、假释或暂予监外执行，收监执行")
    NEW_SENTENCE = "new_sentence", _("因再犯罪被判处刑罚")
    DEATH = "death", _("死亡")
    OTHER = "other", _("其他终止情形")


class SubjectQuerySet(models.QuerySet["Subject"]):
    def active(self) -> SubjectQuerySet:
        return self.filter(status__in=Subject.SUPERVISED_STATUSES)


class Subject(models.Model):
    """社区矫正对象: one person's correction, from the takeover of the document to its end."""

    class Status(models.TextChoices):
        AWAITING_REPORT = "awaiting_report", _("待报到")
        SUPERVISED = "supervised", _("在矫")
        LOST = "lost", _("失去联系")
        RELEASED = "released", _("解除矫正")
        TERMINATED = "terminated", _("终止矫正")

    SUPERVISED_STATUSES = (Status.AWAITING_REPORT, Status.SUPERVISED, Status.LOST)
    ENDED_STATUSES = (Status.RELEASED, Status.TERMINATED)

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    file_no = models.CharField(
        _("档案编号"),
        max_length=32,
        unique=True,
        help_text=_("“SQJZ”加负责司法所区划代码前六位、文书生效年份和四位顺序号，接收时生成。"),
    )
    name = models.CharField(_("姓名"), max_length=32, help_text=_("社区矫正对象姓名；列表中遮蔽显示。"))
    gender = models.CharField(
        _("性别"), max_length=8, choices=Gender.choices, help_text=_("取自身份证号码或法律文书。")
    )
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        validators=[validate_id_number],
        help_text=_("加密保存；列表中只显示前六位和后四位。"),
    )
    id_number_hash = models.CharField(
        _("身份证号码索引"),
        max_length=64,
        editable=False,
        db_index=True,
        help_text=_("带密钥的哈希值，用于查重（同一人不能有两份在矫档案），不可还原号码。"),
    )
    birth_date = models.DateField(_("出生日期"), help_text=_("取自身份证号码。"))
    is_minor = models.BooleanField(
        _("未成年社区矫正对象"),
        default=False,
        help_text=_("接收时未满十八周岁（第七章）：身份保密，档案只对负责的社区矫正工作人员可见。"),
    )
    phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, help_text=_("本人联系电话，用于周听声；列表中遮蔽显示。")
    )
    address = models.CharField(
        _("居住地址"), max_length=200, help_text=_("执行地的居住地址，决定负责的司法所。")
    )
    office = models.ForeignKey(
        Unit,
        verbose_name=_("负责司法所"),
        on_delete=models.PROTECT,
        related_name="correction_subjects",
        help_text=_("受委托负责日常监督管理的司法所。"),
    )
    bureau = models.ForeignKey(
        Unit,
        verbose_name=_("社区矫正机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("执行地县级司法局（社区矫正机构）。"),
    )
    correction_type = models.CharField(
        _("矫正类别"),
        max_length=16,
        choices=CorrectionType.choices,
        help_text=_("管制、缓刑、假释或暂予监外执行（社区矫正法 第二条）。"),
    )
    document_kind = models.CharField(
        _("法律文书"),
        max_length=16,
        choices=DocumentKind.choices,
        help_text=_("交付执行的法律文书：判决书、裁定书或决定书。"),
    )
    document_no = models.CharField(_("文书编号"), max_length=64, help_text=_("例如（2026）闽0203刑初123号。"))
    decided_by = models.CharField(_("决定机关"), max_length=100, help_text=_("人民法院、监狱或公安机关。"))
    crime = models.CharField(_("罪名"), max_length=100, help_text=_("法律文书认定的罪名。"))
    effective_on = models.DateField(
        _("文书生效日期"), help_text=_("判决、裁定或决定生效的日期；报到期限从此起算。")
    )
    term_start = models.DateField(_("矫正期起"), help_text=_("社区矫正期限的第一天；监管事项从此日起生成。"))
    term_end = models.DateField(
        _("矫正期止"), help_text=_("社区矫正期限的最后一天；期满宣告解除（社区矫正法 第四十四条）。")
    )
    prohibition = models.TextField(
        _("禁止令"), blank=True, help_text=_("人民法院宣告的禁止令内容；没有则留空。")
    )
    report_due = models.DateField(_("报到期限"), help_text=_("文书生效之日起十日内（第二十条）。"))
    reported_bureau_at = models.DateTimeField(
        _("到社区矫正机构报到时间"),
        null=True,
        blank=True,
        help_text=_("到执行地社区矫正机构（县级司法局）报到的时间（社区矫正法 第二十条）。"),
    )
    reported_office_at = models.DateTimeField(
        _("到司法所报到时间"),
        null=True,
        blank=True,
        help_text=_("到受委托的司法所报到的时间；两处都报到后转为在矫。"),
    )
    category = models.CharField(
        _("管理类别"),
        max_length=16,
        choices=Category.choices,
        default=Category.STRICT,
        help_text=_(
            "严管、普管或宽管；决定日定位、周听声、月走访的频次（仙政办〔2017〕134号），随月度考核调整。"
        ),
    )
    plan = models.TextField(_("矫正方案"), blank=True, help_text=_("第二十四条：个别化的矫正方案。"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_REPORT,
        db_index=True,
        help_text=_("待报到、在矫、失去联系为监管中；解除矫正（第四十四条）或终止矫正（第四十五条）后结束。"),
    )
    ended_on = models.DateField(
        _("解除或终止日期"), null=True, blank=True, help_text=_("矫正期满解除或终止矫正的日期。")
    )
    end_cause = models.CharField(
        _("解除或终止情形"),
        max_length=16,
        choices=EndCause.choices,
        blank=True,
        help_text=_("第四十四条期满解除；第四十五条终止的情形；第四十六条至第四十九条收监执行。"),
    )
    end_reason = models.CharField(
        _("解除或终止原因"), max_length=200, blank=True, help_text=_("解除或终止的具体原因说明。")
    )
    reoffended_on = models.DateField(
        _("再犯罪日期"),
        null=True,
        blank=True,
        help_text=_("矫正期间因涉嫌再犯罪被立案侦查或判决的日期（再犯罪率的依据）。"),
    )
    reoffence = models.CharField(
        _("再犯罪情况"), max_length=300, blank=True, help_text=_("涉嫌再犯罪的罪名和处理情况。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction_files",
        help_text=_("本人用于每日定位报告的公众账号；由工作人员核实身份后关联。"),
    )
    created_at = models.DateTimeField(
        _("接收时间"), default=timezone.now, help_text=_("社区矫正机构接收法律文书、建立档案的时间。")
    )

    objects = SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区矫正对象")
        verbose_name_plural = _("社区矫正对象")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["office", "status"], name="corr_subject_office_status")]

    def __str__(self) -> str:
        return f"{self.file_no} {self.masked_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_hash = crypto.lookup_hash(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_supervised(self) -> bool:
        return self.status in self.SUPERVISED_STATUSES


class GroupMember(models.Model):
    """矫正小组成员 (第二十五条)."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("司法所工作人员")
        COMMITTEE = "committee", _("居（村）民委员会人员")
        FAMILY = "family", _("家庭成员或监护人")
        EMPLOYER = "employer", _("所在单位或学校人员")
        SOCIAL_WORKER = "social_worker", _("社会工作者")
        VOLUNTEER = "volunteer", _("志愿者")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="group_members",
        help_text=_("矫正小组所负责的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    name = models.CharField(_("姓名"), max_length=32, help_text=_("矫正小组成员姓名。"))
    role = models.CharField(
        _("身份"),
        max_length=20,
        choices=Role.choices,
        help_text=_(
            "司法所工作人员、居（村）民委员会人员、家庭成员或监护人、所在单位或学校人员、社会工作者或志愿者（社区矫正法 第二十五条）。"
        ),
    )
    phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, help_text=_("矫正小组成员的联系电话。")
    )

    class Meta:
        verbose_name = _("矫正小组成员")
        verbose_name_plural = _("矫正小组成员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class FileView(models.Model):
    """Every opening of a file (档案查阅记录): who, when, from where. Rows are only ever added."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="views",
        help_text=_("被查阅的档案。"),
        verbose_name=_("社区矫正对象"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("查阅档案的账号；账号删除后为空，用户名仍保留。"),
        verbose_name=_("查看人"),
    )
    username = models.CharField(
        _("查看人用户名"), max_length=150, help_text=_("查阅时的用户名（账号删除后仍可知是谁查阅）。")
    )
    what = models.CharField(
        _("查看内容"), max_length=100, help_text=_("查阅的内容，如档案详情、完整身份信息、告知书。")
    )
    ip = models.GenericIPAddressField(
        _("IP 地址"), null=True, blank=True, help_text=_("查阅时的客户端地址。")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, help_text=_("查阅的时间。"))

    class Meta:
        verbose_name = _("档案查阅记录")
        verbose_name_plural = _("档案查阅记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.what}"


class ItemKind(models.TextChoices):
    LOCATION = "location", _("日定位")
    VOICE = "voice", _("周听声")
    VISIT = "visit", _("月走访")


class SupervisionItem(models.Model):
    """One item of the schedule: a day's location report, a week's voice contact, a month's visit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待完成")
        DONE = "done", _("已完成")
        MISSED = "missed", _("未按时完成")

    class Method(models.TextChoices):
        H5 = "h5", _("本人手机定位报告")
        OFFICE = "office", _("到司法所报告")
        PHONE = "phone", _("电话")
        VIDEO = "video", _("视频通话")
        HOME = "home", _("走访家庭")
        WORKPLACE = "workplace", _("走访工作单位")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="items",
        help_text=_("被监管的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    kind = models.CharField(
        _("监管事项"),
        max_length=16,
        choices=ItemKind.choices,
        help_text=_("日定位、周听声或月走访（仙政办〔2017〕134号）。"),
    )
    period_start = models.DateField(_("周期起"), help_text=_("本事项所属周期（日、周、半月或月）的第一天。"))
    due_at = models.DateTimeField(
        _("完成期限"),
        db_index=True,
        help_text=_(
            "日定位当天 20 时（CORRECTIONS_LOCATION_DEADLINE_HOUR）前；周听声、月走访在周期最后一个工作日结束前。"
        ),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("待完成、已完成；过期未完成的为未按时完成，并生成待办任务。"),
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True, help_text=_("完成本事项的时间。"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记完成的工作人员，或本人手机定位报告时的本人账号。"),
        verbose_name=_("完成人"),
    )
    method = models.CharField(
        _("方式"),
        max_length=16,
        choices=Method.choices,
        blank=True,
        help_text=_("本人手机定位、到司法所报告、电话、视频、走访家庭或工作单位。"),
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("手机定位报告的纬度；仅在本人同意提供位置时保存。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("手机定位报告的经度；仅在本人同意提供位置时保存。"),
    )
    location_consent = models.BooleanField(
        _("本人同意提供位置"), default=False, help_text=_("本人在手机上同意提供位置；未同意不保存经纬度。")
    )
    note = models.TextField(_("记录"), blank=True, help_text=_("完成情况的记录，如走访所见、通话内容。"))
    call_id = models.CharField(
        _("通话编号"),
        max_length=64,
        blank=True,
        help_text=_("周听声经电话系统（呼叫中心）联系的，该通话在电话系统中的编号（callId）。"),
    )
    call_started_at = models.DateTimeField(
        _("通话开始时间"), null=True, blank=True, help_text=_("经电话系统联系的周听声通话开始时间。")
    )
    call_seconds = models.PositiveIntegerField(
        _("通话时长（秒）"), null=True, blank=True, help_text=_("经电话系统联系的周听声通话时长。")
    )

    class Meta:
        verbose_name = _("监管事项")
        verbose_name_plural = _("监管事项")
        ordering = ["-due_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind", "period_start"], name="corr_item_once"),
            # One call completes one item: a resent call record from the telephone system changes nothing.
            models.UniqueConstraint(fields=["call_id"], condition=~Q(call_id=""), name="corr_item_call_once"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="corr_item_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}"


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    """A random stored name under the file's own folder; the original name is never used as a path."""
    import uuid

    return f"corrections/visits/{instance.item.subject_id}/{uuid.uuid4().hex}{instance.extension}"


class VisitPhoto(models.Model):
    """A photo taken on a 月走访 (home or workplace). Checked by its content (JPG or PNG), stored encrypted like
    every upload (fawang.lib.encrypted_storage), shown only to those who may see the file, each showing logged."""

    item = models.ForeignKey(
        SupervisionItem,
        on_delete=models.CASCADE,
        related_name="photos",
        help_text=_("拍摄照片的月走访。"),
        verbose_name=_("监管事项"),
    )
    file = models.FileField(
        _("照片"),
        upload_to=visit_photo_path,
        help_text=_("走访家庭或工作单位时拍摄的照片（JPG 或 PNG），加密保存，文件名随机。"),
    )
    content_type = models.CharField(
        _("文件类型"), max_length=40, help_text=_("按文件内容识别的类型：image/jpeg 或 image/png。")
    )
    size = models.PositiveIntegerField(_("大小（字节）"), help_text=_("上传文件的字节数。"))
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, help_text=_("文件内容的 SHA-256 摘要，用于核对文件未被改动。")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("上传照片的工作人员。"),
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    # Set from the content check before saving; decides the stored file's extension.
    extension = ""

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item} #{self.pk}"


class Task(models.Model):
    """待办: raised by the scan the same day an item is missed, a leave is overdue or a person is out of contact;
    escalated to the 社区矫正机构 when not dealt with by its deadline."""

    class Kind(models.TextChoices):
        MISSED_ITEM = "missed_item", _("监管事项未完成")
        REPORT_OVERDUE = "report_overdue", _("逾期未报到")
        LEAVE_OVERDUE = "leave_overdue", _("外出逾期未归")
        RELOCATION_OVERDUE = "relocation_overdue", _("变更执行地逾期未报到")
        SEARCH = "search", _("失去联系查找")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ESCALATED = "escalated", _("已升级至社区矫正机构")
        CLOSED = "closed", _("已处理")

    OPEN_STATUSES = (Status.OPEN, Status.ESCALATED)

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="tasks",
        help_text=_("待办涉及的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "监管事项未完成、逾期未报到、外出逾期未归、变更执行地逾期未报到或失去联系查找（社区矫正法 第三十条）。"
        ),
    )
    item = models.ForeignKey(
        SupervisionItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("未按时完成而生成此待办的监管事项。"),
        verbose_name=_("监管事项"),
    )
    leave = models.ForeignKey(
        "Leave",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("逾期未归或逾期未报到而生成此待办的外出或变更执行地申请。"),
        verbose_name=_("外出申请"),
    )
    title = models.CharField(
        _("事由"), max_length=200, help_text=_("待办的事由，如“某档案失去联系，立即组织查找”。")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("待处理；逾期未处理的升级至社区矫正机构；登记处理结果后为已处理。"),
    )
    created_at = models.DateTimeField(
        _("生成时间"), default=timezone.now, help_text=_("每日扫描发现问题、生成待办的时间。")
    )
    due_at = models.DateTimeField(_("处理期限"), help_text=_("逾期未处理即升级到社区矫正机构。"))
    escalated_at = models.DateTimeField(
        _("升级时间"), null=True, blank=True, help_text=_("逾期未处理、升级至社区矫正机构的时间。")
    )
    closed_at = models.DateTimeField(
        _("处理时间"), null=True, blank=True, help_text=_("登记处理结果的时间。")
    )
    result = models.TextField(_("处理结果"), blank=True, help_text=_("处理的经过和结果。"))

    class Meta:
        verbose_name = _("待办任务")
        verbose_name_plural = _("待办任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(item__isnull=False), name="corr_task_item_once"
            ),
            models.UniqueConstraint(
                fields=["leave"], condition=Q(leave__isnull=False), name="corr_task_leave_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MonitoringApproval(models.Model):
    """使用电子定位装置的审批 (第二十九条): one of the five grounds, at most three months, renewal by approval."""

    class Ground(models.TextChoices):
        PROHIBITION = "prohibition", _("违反人民法院禁止令")
        LEFT_AREA = "left_area", _("无正当理由，未经批准离开所居住的市、县")
        NOT_REPORTING = "not_reporting", _("拒不按照规定报告自己的活动情况，被给予警告")
        POLICE_PENALTY = "police_penalty", _("违反监督管理规定，被给予治安管理处罚")
        REVOCATION = "revocation", _("拟提请撤销缓刑、假释或者暂予监外执行收监执行")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="monitoring",
        help_text=_("使用电子定位装置的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    ground = models.CharField(
        _("使用理由（第二十九条）"),
        max_length=20,
        choices=Ground.choices,
        help_text=_("社区矫正法 第二十九条列举的五种情形之一。"),
    )
    facts = models.TextField(_("事实"), help_text=_("符合使用理由的具体事实。"))
    starts_on = models.DateField(_("起始日期"), help_text=_("开始使用电子定位装置的日期。"))
    ends_on = models.DateField(_("截止日期"), help_text=_("每次不超过三个月。"))
    renewal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("延长自"),
        help_text=_("期满仍需使用的，经批准延长，每次不超过三个月（社区矫正法 第二十九条）。"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("批准使用的社区矫正机构负责人。"),
        verbose_name=_("批准人"),
    )
    approved_at = models.DateTimeField(_("批准时间"), default=timezone.now, help_text=_("批准使用的时间。"))
    lifted_on = models.DateField(
        _("解除日期"), null=True, blank=True, help_text=_("期限届满前提前解除的日期；为空表示至截止日期。")
    )

    class Meta:
        verbose_name = _("电子定位装置使用审批")
        verbose_name_plural = _("电子定位装置使用审批")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.starts_on}—{self.ends_on}"

    def covers(self, day: dt.date) -> bool:
        end = self.lifted_on if self.lifted_on and self.lifted_on < self.ends_on else self.ends_on
        return self.starts_on <= day <= end


class DeviceLocation(models.Model):
    """A position from an electronic monitoring device, kept only for corrections and only under an approval."""

    approval = models.ForeignKey(
        MonitoringApproval,
        on_delete=models.PROTECT,
        related_name="locations",
        help_text=_("本定位所依据的批准；不在批准期限内的定位不予保存。"),
        verbose_name=_("使用审批"),
    )
    recorded_at = models.DateTimeField(_("定位时间"), help_text=_("电子定位装置报告位置的时间。"))
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        help_text=_("电子定位装置报告的纬度，仅用于社区矫正监督管理。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        help_text=_("电子定位装置报告的经度，仅用于社区矫正监督管理。"),
    )

    class Meta:
        verbose_name = _("电子定位记录")
        verbose_name_plural = _("电子定位记录")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.recorded_at:%Y-%m-%d %H:%M}"


class Leave(models.Model):
    """外出 or 变更执行地 (第二十七条), with approval by the right level and the return check (销假)."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("外出")
        RELOCATE = "relocate", _("变更执行地")

    class Status(models.TextChoices):
        APPLIED = "applied", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        RETURNED = "returned", _("已销假")
        TRANSFERRED = "transferred", _("新执行地已接收")
        NOT_ACCEPTED = "not_accepted", _("新执行地不予接收")

    MOVES: dict[str, dict[str, set[str]]] = {
        "decide": {Status.APPLIED: {Status.APPROVED, Status.REFUSED}},
        "return": {Status.APPROVED: {Status.RETURNED}},
        # 变更执行地: after the approval, the new place's 社区矫正机构 receives the file (or declines it).
        "receive": {Status.APPROVED: {Status.TRANSFERRED, Status.NOT_ACCEPTED}},
    }

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="leaves",
        help_text=_("提出申请的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.LEAVE,
        help_text=_("外出（离开所居住的市、县）或变更执行地（社区矫正法 第二十七条）。"),
    )
    destination = models.CharField(_("前往地点"), max_length=200, help_text=_("外出或迁往的地点。"))
    reason = models.TextField(
        _("事由"), help_text=_("外出或变更执行地的正当理由，如就医、就学、家庭重大变故。")
    )
    starts_on = models.DateField(_("外出日期"), help_text=_("离开居住地的日期。"))
    ends_on = models.DateField(
        _("返回日期"), help_text=_("预定返回日期；每次外出不超过三十日（社区矫正法实施办法 第五十四条）。")
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=Status.choices,
        default=Status.APPLIED,
        help_text=_(
            "七日以内的外出由司法所批准，更长的外出和变更执行地由社区矫正机构批准；外出返回后销假，变更执行地由新执行地接收。"
        ),
    )
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now, help_text=_("提出申请的时间。"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出批准或不予批准的工作人员。"),
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True, help_text=_("作出审批的时间。"))
    decision_note = models.CharField(
        _("审批意见"), max_length=200, blank=True, help_text=_("批准或不予批准的意见。")
    )
    returned_at = models.DateTimeField(
        _("销假时间"), null=True, blank=True, help_text=_("返回后到司法所销假的时间；逾期未销假的生成待办。")
    )
    to_office = models.ForeignKey(
        Unit,
        verbose_name=_("新执行地司法所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_relocations",
        help_text=_("变更执行地的：新居住地受委托的司法所；由其所属司法局接收档案。"),
    )
    from_office = models.ForeignKey(
        Unit,
        verbose_name=_("原执行地司法所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("变更执行地的：申请时负责的司法所（档案移交后仍可查知来源）。"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("新执行地社区矫正机构接收档案的工作人员。"),
        verbose_name=_("接收人"),
    )
    received_at = models.DateTimeField(
        _("接收时间"),
        null=True,
        blank=True,
        help_text=_(
            "新执行地接收或不予接收的时间；批准后七日内未接收的生成逾期未报到待办（实施办法 第三十条）。"
        ),
    )
    receive_note = models.CharField(
        _("接收意见"), max_length=200, blank=True, help_text=_("新执行地接收或不予接收的意见。")
    )

    class Meta:
        verbose_name = _("外出申请")
        verbose_name_plural = _("外出申请")
        ordering = ["-applied_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.destination}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Decision(models.Model):
    """考核奖惩 (第二十八条): a decision with its facts, its basis and a notice (PDF)."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("表扬")
        ADMONITION = "admonition", _("训诫")
        WARNING = "warning", _("警告")
        POLICE_PENALTY = "police_penalty", _("提请治安管理处罚")
        REVOKE = "revoke", _("提请撤销缓刑、假释或收监执行")

    # Decided by the 社区矫正机构 (a 司法局), not by the 司法所 alone.
    BUREAU_KINDS = frozenset({Kind.WARNING, Kind.POLICE_PENALTY, Kind.REVOKE})

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="decisions",
        help_text=_("被考核奖惩的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "表扬、训诫由司法所决定；警告、提请治安管理处罚、提请撤销缓刑假释或收监执行由社区矫正机构决定（社区矫正法 第二十八条、第四十六条至第四十九条）。"
        ),
    )
    number = models.CharField(
        _("文书编号"),
        max_length=40,
        unique=True,
        help_text=_("“矫”加类型简称、〔年份〕和顺序号，如“矫警〔2026〕3号”。"),
    )
    facts = models.TextField(_("事实"), help_text=_("作出决定所依据的事实，写入告知书。"))
    basis = models.CharField(
        _("依据"),
        max_length=200,
        help_text=_("决定所依据的法律条款，按类型自动填写（如社区矫正法第二十八条第一款）。"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("作出决定的工作人员。"),
        verbose_name=_("决定人"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("决定机关"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("作出决定的司法所或社区矫正机构（司法局）。"),
    )
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now, help_text=_("作出决定的时间。"))

    class Meta:
        verbose_name = _("考核奖惩决定")
        verbose_name_plural = _("考核奖惩决定")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class Assessment(models.Model):
    """月度考核: the month's conduct, and the category after it."""

    class Result(models.TextChoices):
        GOOD = "good", _("表现良好")
        FAIR = "fair", _("表现一般")
        POOR = "poor", _("表现较差")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="assessments",
        help_text=_("被考核的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    month = models.DateField(_("考核月份"), help_text=_("当月第一天。"))
    result = models.CharField(
        _("考核结果"), max_length=8, choices=Result.choices, help_text=_("当月的表现：良好、一般或较差。")
    )
    category_after = models.CharField(
        _("考核后管理类别"),
        max_length=16,
        choices=Category.choices,
        help_text=_("考核后的管理类别，决定下月起的监管频次。"),
    )
    note = models.TextField(_("考核意见"), blank=True, help_text=_("考核的具体意见。"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("作出考核的工作人员。"),
        verbose_name=_("考核人"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, help_text=_("登记考核的时间。"), verbose_name=_("考核时间")
    )

    class Meta:
        verbose_name = _("月度考核")
        verbose_name_plural = _("月度考核")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["subject", "month"], name="corr_assessment_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_result_display()}"


class Activity(models.Model):
    """教育学习 and 公益活动 (第三十六条、第四十二条): what the person took part in, and for how long."""

    class Kind(models.TextChoices):
        EDUCATION = "education", _("教育学习")
        SERVICE = "service", _("公益活动")

    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        related_name="activities",
        help_text=_("参加活动的社区矫正对象。"),
        verbose_name=_("社区矫正对象"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("教育学习（社区矫正法 第三十六条）或公益活动（第四十二条）。"),
    )
    on = models.DateField(_("日期"), help_text=_("参加活动的日期。"))
    hours = models.DecimalField(
        _("时长（小时）"),
        max_digits=4,
        decimal_places=1,
        help_text=_("参加活动的时长，以小时计，可有一位小数。"),
    )
    content = models.CharField(_("内容"), max_length=200, help_text=_("学习或公益活动的内容。"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("登记活动的工作人员。"),
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("教育和公益活动")
        verbose_name_plural = _("教育和公益活动")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.hours}"
