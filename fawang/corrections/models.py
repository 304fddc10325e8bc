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

    file_no = models.CharField(_("档案编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        validators=[validate_id_number],
        help_text=_("加密保存；列表中只显示前六位和后四位。"),
    )
    id_number_hash = models.CharField(_("身份证号码索引"), max_length=64, editable=False, db_index=True)
    birth_date = models.DateField(_("出生日期"), help_text=_("取自身份证号码。"))
    is_minor = models.BooleanField(
        _("未成年社区矫正对象"),
        default=False,
        help_text=_("接收时未满十八周岁（第七章）：身份保密，档案只对负责的社区矫正工作人员可见。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("居住地址"), max_length=200)
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
    correction_type = models.CharField(_("矫正类别"), max_length=16, choices=CorrectionType.choices)
    document_kind = models.CharField(_("法律文书"), max_length=16, choices=DocumentKind.choices)
    document_no = models.CharField(_("文书编号"), max_length=64, help_text=_("例如（2026）闽0203刑初123号。"))
    decided_by = models.CharField(_("决定机关"), max_length=100, help_text=_("人民法院、监狱或公安机关。"))
    crime = models.CharField(_("罪名"), max_length=100)
    effective_on = models.DateField(_("文书生效日期"))
    term_start = models.DateField(_("矫正期起"))
    term_end = models.DateField(_("矫正期止"))
    prohibition = models.TextField(
        _("禁止令"), blank=True, help_text=_("人民法院宣告的禁止令内容；没有则留空。")
    )
    report_due = models.DateField(_("报到期限"), help_text=_("文书生效之日起十日内（第二十条）。"))
    reported_bureau_at = models.DateTimeField(_("到社区矫正机构报到时间"), null=True, blank=True)
    reported_office_at = models.DateTimeField(_("到司法所报到时间"), null=True, blank=True)
    category = models.CharField(
        _("管理类别"), max_length=16, choices=Category.choices, default=Category.STRICT
    )
    plan = models.TextField(_("矫正方案"), blank=True, help_text=_("第二十四条：个别化的矫正方案。"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.AWAITING_REPORT, db_index=True
    )
    ended_on = models.DateField(_("解除或终止日期"), null=True, blank=True)
    end_cause = models.CharField(
        _("解除或终止情形"),
        max_length=16,
        choices=EndCause.choices,
        blank=True,
        help_text=_("第四十四条期满解除；第四十五条终止的情形；第四十六条至第四十九条收监执行。"),
    )
    end_reason = models.CharField(_("解除或终止原因"), max_length=200, blank=True)
    reoffended_on = models.DateField(
        _("再犯罪日期"),
        null=True,
        blank=True,
        help_text=_("矫正期间因涉嫌再犯罪被立案侦查或判决的日期（再犯罪率的依据）。"),
    )
    reoffence = models.CharField(_("再犯罪情况"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="correction_files",
        help_text=_("本人用于每日定位报告的公众账号；由工作人员核实身份后关联。"),
    )
    created_at = models.DateTimeField(_("接收时间"), default=timezone.now)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="group_members")
    name = models.CharField(_("姓名"), max_length=32)
    role = models.CharField(_("身份"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("矫正小组成员")
        verbose_name_plural = _("矫正小组成员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class FileView(models.Model):
    """Every opening of a file (档案查阅记录): who, when, from where. Rows are only ever added."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("查看人用户名"), max_length=150)
    what = models.CharField(_("查看内容"), max_length=100)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("监管事项"), max_length=16, choices=ItemKind.choices)
    period_start = models.DateField(_("周期起"))
    due_at = models.DateTimeField(_("完成期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("方式"), max_length=16, choices=Method.choices, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_consent = models.BooleanField(_("本人同意提供位置"), default=False)
    note = models.TextField(_("记录"), blank=True)
    call_id = models.CharField(
        _("通话编号"),
        max_length=64,
        blank=True,
        help_text=_("周听声经电话系统（呼叫中心）联系的，该通话在电话系统中的编号（callId）。"),
    )
    call_started_at = models.DateTimeField(_("通话开始时间"), null=True, blank=True)
    call_seconds = models.PositiveIntegerField(_("通话时长（秒）"), null=True, blank=True)

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

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=visit_photo_path)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        SupervisionItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    leave = models.ForeignKey("Leave", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("事由"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    due_at = models.DateTimeField(_("处理期限"), help_text=_("逾期未处理即升级到社区矫正机构。"))
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    result = models.TextField(_("处理结果"), blank=True)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="monitoring")
    ground = models.CharField(_("使用理由（第二十九条）"), max_length=20, choices=Ground.choices)
    facts = models.TextField(_("事实"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), help_text=_("每次不超过三个月。"))
    renewal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("延长自"),
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("批准时间"), default=timezone.now)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)

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

    approval = models.ForeignKey(MonitoringApproval, on_delete=models.PROTECT, related_name="locations")
    recorded_at = models.DateTimeField(_("定位时间"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="leaves")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.LEAVE)
    destination = models.CharField(_("前往地点"), max_length=200)
    reason = models.TextField(_("事由"))
    starts_on = models.DateField(_("外出日期"))
    ends_on = models.DateField(_("返回日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    returned_at = models.DateTimeField(_("销假时间"), null=True, blank=True)
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    receive_note = models.CharField(_("接收意见"), max_length=200, blank=True)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("文书编号"), max_length=40, unique=True)
    facts = models.TextField(_("事实"))
    basis = models.CharField(_("依据"), max_length=200)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("决定机关"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="assessments")
    month = models.DateField(_("考核月份"), help_text=_("当月第一天。"))
    result = models.CharField(_("考核结果"), max_length=8, choices=Result.choices)
    category_after = models.CharField(_("考核后管理类别"), max_length=16, choices=Category.choices)
    note = models.TextField(_("考核意见"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

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

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1)
    content = models.CharField(_("内容"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("教育和公益活动")
        verbose_name_plural = _("教育和公益活动")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.hours}"
