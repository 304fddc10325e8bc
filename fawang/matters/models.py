"""The Matter (服务事项办理记录) and what hangs off it: the person served, events, attachments, evaluations
(好差评), callbacks (回访), rectifications (整改), complaints (投诉) and the access log of personal data.

Status moves only through ``fawang.matters.actions``; every move writes a MatterEvent in the same transaction,
and the timeline a person sees is the events marked visible to them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import Channel, ServiceItem, Step, json_list_contains, validate_choice_list
from fawang.lib import crypto
from fawang.lib.validators import MOBILE_RE, mask_id_number, mask_phone, normalize_mobile, validate_id_number
from fawang.orgs.authority import matters_filter, unit_ids_filter
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region

from .workflow import transitions_of

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.knowledge.models import Article

# Mobile numbers, or landlines with an area code as people give them at a window (0592-1234567, 05921234567).
PERSON_PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalize_person_phone(value: str) -> str:
    """Mobiles without spaces, hyphens or +86; landlines as written, without spaces."""
    value = re.sub(r"\s", "", value or "")
    mobile = normalize_mobile(value)
    return mobile if MOBILE_RE.match(mobile) else value


def validate_person_phone(value: str) -> None:
    if value and not PERSON_PHONE_RE.match(normalize_person_phone(value)):
        raise ValidationError(
            _("请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。"),
            code="invalid_phone",
        )


class SpecialGroup(models.TextChoices):
    """特殊群体: decides priority service and, for legal aid, exemption from the means test (法律援助法 第四十二条)."""

    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    MINOR = "minor", _("未成年人")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    VETERAN = "veteran", _("退役军人")
    MILITARY_FAMILY = "military_family", _("军人军属")
    WOMEN = "women", _("妇女")
    LOW_INCOME = "low_income", _("低保对象/特困人员")


def validate_special_groups(value: Any) -> None:
    validate_choice_list(value, SpecialGroup, str(_("特殊群体")))


# --------------------------------------------------------------------------------------------- person


class PersonQuerySet(models.QuerySet["Person"]):
    def by_id_number(self, id_number: str) -> PersonQuerySet:
        """Equality on the keyed hash: the encrypted column itself cannot be searched."""
        return self.filter(id_number_hash=Person.hash_id_number(id_number))

    def in_group(self, group: str) -> PersonQuerySet:
        return self.filter(json_list_contains("special_groups", group))

    def visible_to(self, user: User) -> PersonQuerySet:
        """A person is visible to staff who can see one of their matters."""
        return self.filter(pk__in=Matter.objects.visible_to(user).values("person_id"))


class Person(models.Model):
    """服务对象: the person a matter serves. The ID number is encrypted at rest (fawang.lib.crypto); a keyed
    hash finds the same person again. Lists show ``id_number_masked`` and ``phone_masked``; showing the full
    values goes through ``actions.reveal_person`` so that it is written to the access log."""

    name = models.CharField(_("姓名"), max_length=32)
    phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_person_phone],
        help_text=_(
            "11 位手机号码或带区号的固定电话；办理进度短信和查询验证码发到手机号码。列表中打码显示，查看全文会写入个人信息查看记录。"
        ),
    )
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        blank=True,
        validators=[validate_id_number],
        help_text=_("加密保存；列表中只显示前六位和后四位。"),
    )
    id_number_hash = models.CharField(
        _("身份证号码索引"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("带密钥的哈希值，用于查找同一服务对象。"),
    )
    special_groups = models.JSONField(
        _("特殊群体"),
        default=list,
        blank=True,
        validators=[validate_special_groups],
        help_text=_(
            "老年人、残疾人、未成年人、农民工等特殊群体，可多选；享受优先服务，法律援助中有材料证明属于部分群体的免予核查经济困难状况（《法律援助法》第四十二条）。"
        ),
    )
    address = models.CharField(
        _("联系地址"),
        max_length=200,
        blank=True,
        help_text=_("服务对象自报的联系地址，用于邮寄文书；不决定分派（分派看事项的所涉区划）。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公众账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
        db_index=False,  # person_user: only the records linked to an account
        help_text=_("本人在门户注册的账号；关联后可在“我的事项”中查看进度。"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务对象")
        verbose_name_plural = _("服务对象")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~Q(id_number_hash=""), name="person_unique_id_number"
            )
        ]
        indexes = [
            # Intake finds a caller registered by name and phone among the records without an ID number
            # (matters.actions.intake.resolve_person); without it that look-up read every person (22 ms at 200,000).
            models.Index(
                fields=["name", "phone"], condition=Q(id_number_hash=""), name="person_by_name_phone"
            ),
            # Few records are linked to an account (none made at a window): partial, so intake writes no entry.
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="person_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.prepare_for_save()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_number_hash"}
        super().save(*args, **kwargs)

    def prepare_for_save(self) -> None:
        """What save() does before saving (and an insert by hand must do: actions.intake.resolve_person). The hash
        column must always agree with the encrypted one; keeping them together here is a model invariant, not
        workflow."""
        self.id_number = self.normalize_id_number(self.id_number)
        self.id_number_hash = self.hash_id_number(self.id_number)
        self.phone = normalize_person_phone(self.phone)

    @staticmethod
    def normalize_id_number(value: str) -> str:
        return (value or "").strip().upper()

    @classmethod
    def hash_id_number(cls, value: str) -> str:
        return crypto.lookup_hash(cls.normalize_id_number(value))

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def special_group_labels(self) -> list[str]:
        return [str(SpecialGroup(g).label) for g in self.special_groups or [] if g in SpecialGroup.values]


# --------------------------------------------------------------------------------------------- matter


class MatterQuerySet(models.QuerySet["Matter"]):
    def visible_to(self, user: User) -> MatterQuerySet:
        """What a staff user may see (docs/authority.md): through a 司法局, the matters of its region subtree;
        through any unit, the matters whose current unit it reaches (an institution: only its own unit, what
        was sent to it); and the matters the user handles or took in. Nothing for anyone else."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(matters_filter(user))

    def of_public_user(self, user: User) -> MatterQuerySet:
        """A member of the public's own matters: those they submitted online, and those of the person linked
        to their account (a link staff make after checking identity; never made from what a form claims)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(submitted_by=user) | Q(person__user=user))

    def open(self) -> MatterQuerySet:
        return self.filter(status__in=Matter.OPEN_STATUSES)

    def running(self) -> MatterQuerySet:
        """Open matters whose clock is running (not waiting for materials, not suspended)."""
        return self.filter(status__in=Matter.RUNNING_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> MatterQuerySet:
        return self.running().filter(due_at__lt=now or timezone.now())

    def due_soon(self, now: dt.datetime | None = None) -> MatterQuerySet:
        now = now or timezone.now()
        return self.running().filter(warn_at__lte=now, due_at__gte=now)


def unit_ids_of(user: Any) -> list[int]:
    """Ids of the units the user works for (active memberships); cached on the user object per request."""
    from fawang.orgs.scoping import membership_rows

    return sorted({unit_id for _role, unit_id, _region in membership_rows(user)})


class TopicSource(models.TextChoices):
    """Where a matter's topic (所涉领域) came from. Auto topics and their corrections are the classifier's
    training feedback (manage.py export_topic_corrections)."""

    STAFF = "staff", _("工作人员选择")
    AUTO = "auto", _("自动分类")
    CORRECTED = "corrected", _("工作人员更正")


class Matter(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已受理")
        AWAITING_MATERIALS = "awaiting_materials", _("待补正")
        IN_PROGRESS = "in_progress", _("办理中")
        SUSPENDED = "suspended", _("已中止")
        COMPLETED = "completed", _("已办结")
        REJECTED = "rejected", _("不予受理")
        WITHDRAWN = "withdrawn", _("已撤回")
        MERGED = "merged", _("已合并")
        CLOSED = "closed", _("已关闭")

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.AWAITING_MATERIALS,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
    )
    # The clock runs in these; it stands still while awaiting materials or suspended.
    RUNNING_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)
    DONE_STATUSES = (Status.COMPLETED, Status.CLOSED)
    ENDED_STATUSES = (Status.REJECTED, Status.WITHDRAWN, Status.MERGED)

    # The allowed moves, in one table: for each action, the statuses it may start from and where it may go
    # from each. An empty set: the action is allowed there and leaves the status as it is (a comment, an
    # escalation, a rating). The actions check their move here (matters.workflow.check_move), the workbench
    # offers an action only where its row allows it (matters.registry), and TRANSITIONS below is made from it.
    # A business line's own actions add their rows through matters.registry.register (never by editing this).
    # - transfer and change_item go back to SUBMITTED: the new unit (or the new item's unit) accepts anew;
    # - resolve is the person's 已解决 of a consultation, even one answered before anyone accepted it
    #   (fawang.consult.actions.do_resolve); staff complete from ACCEPTED or IN_PROGRESS only;
    # - merge is the kept matter (no move), merged each duplicate merged into it.
    MOVES: dict[str, dict[str, frozenset[str]]] = {
        "accept": {Status.SUBMITTED: frozenset({Status.ACCEPTED})},
        "reject": {Status.SUBMITTED: frozenset({Status.REJECTED})},
        "request_materials": dict.fromkeys(
            (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.AWAITING_MATERIALS})
        ),
        # Back to where the request stood (resume_status).
        "supply_materials": {
            Status.AWAITING_MATERIALS: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS})
        },
        # IN_PROGRESS -> IN_PROGRESS: reassignment to another handler.
        "assign": dict.fromkeys((Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.IN_PROGRESS})),
        "complete": dict.fromkeys((Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.COMPLETED})),
        "resume": {Status.SUSPENDED: frozenset({Status.ACCEPTED, Status.IN_PROGRESS})},
        "comment": dict.fromkeys(Status.values, frozenset()),
        "transfer": dict.fromkeys(
            (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.SUBMITTED})
        ),
        # 转外部热线: the status stays while the outside hotline answers; their outcome completes the matter.
        "hand_over": dict.fromkeys((Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS), frozenset()),
        "outside_outcome": dict.fromkeys(
            (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.COMPLETED})
        ),
        "change_item": dict.fromkeys(
            (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED),
            frozenset({Status.SUBMITTED}),
        ),
        "suspend": dict.fromkeys((Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.SUSPENDED})),
        "escalate": dict.fromkeys(OPEN_STATUSES, frozenset()),
        "merge": dict.fromkeys(OPEN_STATUSES, frozenset()),
        "split": dict.fromkeys(OPEN_STATUSES, frozenset()),
        "merged": dict.fromkeys(
            (Status.SUBMITTED, Status.ACCEPTED, Status.AWAITING_MATERIALS, Status.IN_PROGRESS),
            frozenset({Status.MERGED}),
        ),
        "rate": dict.fromkeys(DONE_STATUSES, frozenset()),
        "close": {Status.COMPLETED: frozenset({Status.CLOSED})},
        "reopen": {
            **dict.fromkeys(
                (Status.COMPLETED, Status.CLOSED), frozenset({Status.ACCEPTED, Status.IN_PROGRESS})
            ),
            **dict.fromkeys((Status.REJECTED, Status.WITHDRAWN), frozenset({Status.SUBMITTED})),
        },
        "withdraw": dict.fromkeys(OPEN_STATUSES, frozenset({Status.WITHDRAWN})),
        "resolve": {
            **dict.fromkeys(
                (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS), frozenset({Status.COMPLETED})
            ),
            Status.COMPLETED: frozenset({Status.CLOSED}),
        },
        # Attachments are taken while the matter is not ended (no move).
        "attach": dict.fromkeys((*OPEN_STATUSES, *DONE_STATUSES), frozenset()),
    }
    # Every status -> the statuses some action may move it to (made from MOVES, kept up to date by add_moves).
    TRANSITIONS: dict[str, frozenset[str]] = transitions_of(MOVES)

    tracking_no = models.CharField(
        _("受理编号"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("FW + 年月日 + 7 位随机字符 + 1 位校验字符；不按顺序编号，无法猜出他人的编号。"),
    )
    service_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("服务事项"),
        on_delete=models.PROTECT,
        # No index of its own: matter_item_status_region starts with it (one index fewer for every intake).
        db_index=False,
        related_name="matters",
        help_text=_("事项目录中的服务事项；决定办理时限、所需材料和默认办理机构。"),
    )
    channel = models.CharField(
        _("受理渠道"),
        max_length=8,
        choices=Channel.choices,
        help_text=_("请求到达的途径：窗口、热线、网站、APP、微信、邮寄、代理或上门。"),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="matters",
        help_text=_("事项所服务的人；同一身份证号码只建一份档案，其全部事项挂在一起。"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所涉区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("事项所涉及的行政区划（纠纷发生地、申请人住所地等）；决定分派和可见范围。"),
    )
    topic = models.ForeignKey(
        Speciality,
        verbose_name=_("所涉领域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("事项涉及的法律领域（婚姻家庭、劳动争议等）；用于推荐法律依据和统计。来源见“领域来源”。"),
    )
    topic_source = models.CharField(
        _("领域来源"),
        max_length=10,
        choices=TopicSource.choices,
        blank=True,
        help_text=_(
            "受理时选择的领域为“工作人员选择”；未选择领域的法律咨询由系统按事项描述自动分类，"
            "工作人员更正后为“工作人员更正”（更正记录用于改进分类）。"
        ),
    )
    topic_confidence = models.FloatField(
        _("自动分类置信度"), null=True, blank=True, help_text=_("自动分类时模型给出的概率（0–1）。")
    )
    description = models.TextField(_("事项描述"), help_text=_("纯文本；显示时转义。"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        help_text=_(
            "办理状态，只能按 Matter.MOVES 中的动作变更（matters.actions），每次变更写一条办理记录。"
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("办理机构"),
        on_delete=models.PROTECT,
        # No index of its own: matter_unit_status_item and matter_unit_recent start with it.
        db_index=False,
        related_name="matters",
        help_text=_(
            "当前负责办理的机构：提交时按分派规则和区划确定（窗口也可指定），转办、转换事项时改变；决定谁能看到和办理该事项（docs/authority.md）。"
        ),
    )
    intake_unit = models.ForeignKey(
        Unit,
        verbose_name=_("受理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("前台接收该事项的机构（窗口、热线）；网上提交时为空。"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No index of its own: matter_handler_status starts with it.
        db_index=False,
        related_name="handled_matters",
        help_text=_("受理后分派的具体承办人；为空表示尚未分派。"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网上提交账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # matter_submitted_by: only the matters that have one
        related_name="submitted_matters",
        help_text=_("在门户、APP 或微信提交的公众账号；本人可在“我的事项”中查看。"),
    )
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("首问负责制：第一位接待的工作人员，负责跟踪到办结。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("关联事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # matter_parent: only the matters that have one
        related_name="children",
        help_text=_("拆分出本事项的原事项，或本事项被合并到的事项。"),
    )

    # The clock of the running step (catalog.Step): due_at and warn_at come from the service item's limit.
    step = models.CharField(
        _("计时环节"),
        max_length=10,
        choices=Step.choices,
        blank=True,
        help_text=_(
            "当前正在计时的环节：受理、指派或办结，各环节有各自的时限（法律援助：收到申请之日起七日内作出是否给予法律援助的决定，决定之日起三日内指派，《法律援助法》第四十三条）。已办结或不计时时为空。"
        ),
    )
    step_started_at = models.DateTimeField(
        _("本环节开始时间"),
        null=True,
        blank=True,
        help_text=_("当前计时环节开始的时间；办理时限和预警时间由此按工作日推算。"),
    )
    due_at = models.DateTimeField(
        _("办理时限"),
        null=True,
        blank=True,
        help_text=_(
            "当前计时环节的截止时间，按服务事项的时限和工作日历推算；暂停计时期间顺延。超过即为逾期，由主管司法局督办。"
        ),
    )
    warn_at = models.DateTimeField(
        _("预警时间"),
        null=True,
        blank=True,
        help_text=_(
            "到达此时间仍未完成当前环节即发出临期预警（时限按服务事项的预警比例折算）；暂停计时期间顺延。"
        ),
    )
    clock_paused_at = models.DateTimeField(
        _("计时暂停时间"), null=True, blank=True, help_text=_("待补正或中止期间不计入办理时限。")
    )
    paused_total = models.DurationField(
        _("累计暂停时长"),
        default=dt.timedelta,
        help_text=_("待补正、中止等暂停计时的累计时长，不计入办理时限。"),
    )
    resume_status = models.CharField(
        _("恢复后状态"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("补正或中止结束后回到的状态。"),
    )
    materials_due_at = models.DateTimeField(
        _("补正期限"), null=True, blank=True, help_text=_("逾期未补正的视为撤回申请。")
    )
    warned_at = models.DateTimeField(
        _("预警时间（已发）"),
        null=True,
        blank=True,
        help_text=_("临期预警实际发出的时间；为空表示本环节尚未预警。定时任务以此防止重复预警。"),
    )
    escalated_at = models.DateTimeField(
        _("督办升级时间"),
        null=True,
        blank=True,
        help_text=_("逾期后自动或人工督办升级的时间；为空表示本环节尚未督办。"),
    )
    escalated_to = models.ForeignKey(
        Unit,
        verbose_name=_("督办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # matter_escalated_to: only the matters that have one
        related_name="escalated_matters",
        help_text=_("督办升级交到的主管司法局（办理机构的上一级司法局）。"),
    )

    result = models.TextField(
        _("办理结果"), blank=True, help_text=_("办结时填写的办理结果，服务对象可见；纯文本，显示时转义。")
    )
    submitted_at = models.DateTimeField(
        _("提交时间"),
        default=timezone.now,
        help_text=_("申请提交或窗口、热线登记的时间；受理环节从此开始计时。"),
    )
    accepted_at = models.DateTimeField(
        _("受理时间"), null=True, blank=True, help_text=_("作出受理决定的时间。")
    )
    completed_at = models.DateTimeField(
        _("办结时间"), null=True, blank=True, help_text=_("办结的时间；办结后邀请好差评并参加回访抽样。")
    )
    closed_at = models.DateTimeField(
        _("关闭时间"),
        null=True,
        blank=True,
        help_text=_(
            "关闭的时间：已办结的事项经评价、回访后由工作人员关闭，或本人确认问题已解决；关闭后仍可重新办理。"
        ),
    )
    rating_invited_at = models.DateTimeField(
        _("邀请评价时间"),
        null=True,
        blank=True,
        help_text=_(
            "办结后仍未评价时发出好差评邀请的时间（默认办结 3 天后，MATTERS_RATING_INVITE_DAYS）；每个事项只邀请一次。"
        ),
    )
    sampled_at = models.DateTimeField(
        _("回访抽样时间"), null=True, blank=True, help_text=_("办结后参加过回访抽样的时间（无论是否抽中）。")
    )
    idempotency_key = models.CharField(
        _("幂等键"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("接口和热线回调提交时带的唯一键；重复提交返回原事项，不会重复创建。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务事项办理")
        verbose_name_plural = _("服务事项办理")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "unit"], name="matter_status_unit"),
            # The lists' common filter combinations: a unit's matters of one status and item, and a
            # supervisor's area (region range) of one status and item; the count reads them alone.
            models.Index(fields=["unit", "status", "service_item"], name="matter_unit_status_item"),
            # On PostgreSQL it also carries the other columns of a supervisor's scope (the units reached, the
            # user's own matters) and of the lists' order, so that the count and the page's ids of one item and
            # status are read from the index alone: a district's open legal-aid applications at a million
            # matters, 1,247 of the city's 10,939, took 9,600 heap pages and 11-12 ms for each of the two
            # queries, and take 2.3-2.4 ms (bench_matters). SQLite has no INCLUDE and keeps the three columns.
            models.Index(
                fields=["service_item", "status", "region"],
                name="matter_item_status_region",
                include=["id", "unit", "handler", "first_responder", "due_at", "submitted_at"],
            ),
            models.Index(fields=["unit", "-submitted_at"], name="matter_unit_recent"),
            models.Index(fields=["region", "-submitted_at"], name="matter_region_recent"),
            models.Index(fields=["handler", "status"], name="matter_handler_status"),
            # The workbench lists' order (due_at ASC NULLS LAST, newest first): a supervisor's city-wide list
            # reads its first page from this index instead of sorting every visible row (bench_matters).
            models.Index(fields=["due_at", "-submitted_at", "-id"], name="matter_list_due_order"),
            # Newest first (ended matters, "最新提交" sort) over a wide scope.
            models.Index(fields=["-submitted_at", "-id"], name="matter_list_recent"),
            # The deadline worker's scans: only running matters are indexed, so the indexes stay small. The
            # extra columns let the workbench's overdue / due-soon counts of a scope read this index alone
            # (an index-only scan: 23 ms -> 1.4 ms over a city's running matters at 1M, bench_matters). The
            # scope also names the user's first-responder matters (fawang/orgs/authority.py): without that
            # column on PostgreSQL the count read the heap again (a city's overdue, 13 ms -> 1.2 ms at 1M).
            models.Index(
                fields=["due_at", "region", "unit", "handler", "clock_paused_at"],
                include=["first_responder"],
                condition=Q(status__in=["submitted", "accepted", "in_progress"]),
                name="matter_due_running",
            ),
            # A unit's overdue / due-soon counts.
            models.Index(
                fields=["unit", "due_at"],
                condition=Q(status__in=["submitted", "accepted", "in_progress"]),
                name="matter_unit_due_running",
            ),
            # The open-matter counts of a scope (my queue, a unit, an area): 21 ms -> 0.6 ms at 1M (with the
            # first responder on PostgreSQL, as above: a city's open matters, 5-10 ms -> 0.5 ms).
            models.Index(
                fields=["status", "region", "unit", "handler"],
                include=["first_responder"],
                condition=Q(
                    status__in=["submitted", "accepted", "awaiting_materials", "in_progress", "suspended"]
                ),
                name="matter_open_scope",
            ),
            models.Index(
                fields=["warn_at"],
                condition=Q(status__in=["submitted", "accepted", "in_progress"], warned_at__isnull=True),
                name="matter_warn_pending",
            ),
            models.Index(
                fields=["materials_due_at"],
                condition=Q(status="awaiting_materials"),
                name="matter_materials_due",
            ),
            models.Index(
                fields=["completed_at"],
                condition=Q(status__in=["completed", "closed"]),
                name="matter_completed",
            ),
            # The supervision facts' pass each minute (insights.rollup.changed_days) reads the matters saved since
            # the last pass through this: without it PostgreSQL scanned every matter, 2.4 s of each pass at 1M
            # (bench_facts_pass).
            models.Index(fields=["updated_at"], name="matter_updated"),
            # The supervision facts of one day (insights.rollup.refresh_days) find the matters accepted or escalated
            # that day through these; partial, so intake (neither set yet) writes no entry.
            models.Index(
                fields=["accepted_at"], condition=Q(accepted_at__isnull=False), name="matter_accepted"
            ),
            models.Index(
                fields=["escalated_at"], condition=Q(escalated_at__isnull=False), name="matter_escalated"
            ),
            # Foreign keys that are empty on almost every matter (none at intake): partial, so intake writes no
            # entry; a look-up by one of them (a person's online matters, a split's parts, the deletion of a user
            # or a unit) still reads its index.
            models.Index(
                fields=["submitted_by"], condition=Q(submitted_by__isnull=False), name="matter_submitted_by"
            ),
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="matter_parent"),
            models.Index(
                fields=["escalated_to"], condition=Q(escalated_to__isnull=False), name="matter_escalated_to"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.service_item.name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.clock_paused_at is not None

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return (
            self.status in self.RUNNING_STATUSES
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )

    def allowed(self, new_status: str) -> bool:
        return new_status in self.TRANSITIONS.get(self.status, frozenset())

    def may(self, action: str) -> bool:
        """Whether ``action`` may start from the matter's current status (its row of MOVES)."""
        return self.status in self.MOVES.get(action, {})

    @classmethod
    def add_moves(cls, action: str, moves: dict[str, frozenset[str]]) -> None:
        """Declare the moves of a business line's own action (matters.registry.register calls this). The same
        code twice must declare the same moves: one action, one row."""
        unknown = {s for old, targets in moves.items() for s in (old, *targets)} - set(cls.Status.values)
        if unknown:
            raise ValueError(f"action {action!r}: unknown statuses {sorted(unknown)}")
        known = cls.MOVES.get(action)
        if known is not None and known != moves:
            raise ValueError(f"action {action!r} already has other moves")
        cls.MOVES[action] = dict(moves)
        cls.TRANSITIONS = transitions_of(cls.MOVES)

    @classmethod
    def remove_moves(cls, action: str) -> None:
        cls.MOVES.pop(action, None)
        cls.TRANSITIONS = transitions_of(cls.MOVES)

    def legal_basis(self) -> list[Article]:
        """法律依据: the articles staff accepted or added for this matter, in the order they were chosen."""
        rows = (
            self.legal_articles.filter(decision=MatterArticle.Decision.ACCEPTED)
            .select_related("article__law")
            .order_by("decided_at", "pk")
        )
        articles = []
        for row in rows:
            # The staff detail shows the law-change alert beside the article.
            row.article.basis_review_note = row.review_note if row.needs_review else ""  # type: ignore[attr-defined]
            articles.append(row.article)
        return articles

    def visible_events(self) -> models.QuerySet[MatterEvent]:
        """The person's timeline: events marked visible to them, oldest first."""
        return (
            self.events.filter(visible_to_person=True).select_related("new_unit").order_by("created_at", "pk")
        )


class MatterEvent(models.Model):
    """One change of a matter, written in the same transaction as the change."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        ACCEPT = "accept", _("受理")
        REJECT = "reject", _("不予受理")
        REQUEST_MATERIALS = "request_materials", _("一次性告知补正")
        SUPPLY_MATERIALS = "supply_materials", _("补正材料")
        ATTACH = "attach", _("上传材料")
        ASSIGN = "assign", _("分派")
        TRANSFER = "transfer", _("转办")
        CHANGE_ITEM = "change_item", _("转换事项")
        WARN = "warn", _("临期预警")
        ESCALATE = "escalate", _("督办升级")
        SUSPEND = "suspend", _("中止")
        RESUME = "resume", _("恢复办理")
        COMPLETE = "complete", _("办结")
        REOPEN = "reopen", _("重新办理")
        WITHDRAW = "withdraw", _("撤回")
        CLOSE = "close", _("关闭")
        COMMENT = "comment", _("留言")
        MERGE = "merge", _("合并")
        SPLIT = "split", _("拆分")
        RATE = "rate", _("评价")
        INVITE_RATING = "invite_rating", _("邀请评价")
        CALLBACK = "callback", _("回访")
        RECTIFY = "rectify", _("整改")
        COMPLAINT = "complaint", _("被投诉")
        LEGAL_BASIS = "legal_basis", _("法律依据")
        TOPIC = "topic", _("更正领域")
        HAND_OVER = "hand_over", _("转外部热线")
        OUTSIDE_REPLY = "outside_reply", _("外部热线反馈")

    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="events",
        # No index of its own: event_matter_time starts with it (one index fewer for every event written).
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示系统自动处理（如超期升级）。"),
    )
    action = models.CharField(
        _("动作"),
        max_length=20,
        choices=Action.choices,
        help_text=_("这一步做了什么：受理、分派、转办、中止、办结、回访等。"),
    )
    old_status = models.CharField(
        _("原状态"),
        max_length=20,
        choices=Matter.Status.choices,
        blank=True,
        help_text=_("动作之前的状态；不改变状态的动作（留言、督办）与新状态相同或为空。"),
    )
    new_status = models.CharField(
        _("新状态"), max_length=20, choices=Matter.Status.choices, blank=True, help_text=_("动作之后的状态。")
    )
    old_unit = models.ForeignKey(
        Unit,
        verbose_name=_("原办理机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("转办、转换事项前的办理机构。"),
    )
    new_unit = models.ForeignKey(
        Unit,
        verbose_name=_("新办理机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("动作之后的办理机构；服务对象的进度页以它显示“由谁办理”。"),
    )
    note = models.TextField(_("说明"), blank=True, help_text=_("理由、留言、办理结果或补正清单。"))
    visible_to_person = models.BooleanField(
        _("服务对象可见"),
        default=False,
        help_text=_("勾选的记录出现在服务对象的办理进度中；内部留言、预警、督办不勾选。"),
    )
    payload = models.JSONField(
        _("附加数据"),
        default=dict,
        blank=True,
        help_text=_("动作的结构化细节（补正清单、合并或拆分的编号、评价等级等），供进度摘要和统计使用。"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["matter", "created_at"], name="event_matter_time")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_action_display()}"

    @property
    def summary(self) -> str:
        """One line for the person's timeline (plain text; templates escape it)."""
        unit = str(self.new_unit) if self.new_unit_id else ""
        p = self.payload or {}
        texts: dict[str, str] = {
            self.Action.SUBMIT: gettext("已提交，由%(unit)s办理") % {"unit": unit},
            self.Action.ACCEPT: gettext("%(unit)s已受理") % {"unit": unit},
            self.Action.REJECT: gettext("不予受理。理由：%(note)s") % {"note": self.note},
            self.Action.REQUEST_MATERIALS: gettext("请补正以下材料：%(items)s")
            % {"items": "、".join(p.get("missing", []))},
            self.Action.SUPPLY_MATERIALS: gettext("已补正材料"),
            self.Action.ATTACH: gettext("已上传材料：%(note)s") % {"note": self.note},
            self.Action.ASSIGN: gettext("已指派承办人"),
            self.Action.TRANSFER: gettext("已转至%(unit)s办理") % {"unit": unit},
            self.Action.CHANGE_ITEM: gettext("已转为“%(item)s”，由%(unit)s办理")
            % {"item": p.get("new_item_name", ""), "unit": unit},
            self.Action.SUSPEND: gettext("中止办理。理由：%(note)s") % {"note": self.note},
            self.Action.RESUME: gettext("恢复办理"),
            self.Action.COMPLETE: (
                gettext("本人确认问题已解决，咨询办结")
                if p.get("resolved")
                else gettext("已办结。办理结果：%(note)s") % {"note": self.note}
            ),
            self.Action.REOPEN: gettext("重新办理"),
            self.Action.WITHDRAW: gettext("已撤回") + (f"：{self.note}" if self.note else ""),
            self.Action.CLOSE: gettext("本人确认问题已解决，咨询关闭")
            if p.get("resolved")
            else gettext("事项已关闭"),
            self.Action.COMMENT: self.note,
            self.Action.MERGE: (
                gettext("已合并到事项 %(no)s") % {"no": p["into_tracking_no"]}
                if "into_tracking_no" in p
                else gettext("已合并重复提交的事项")
            ),
            self.Action.SPLIT: gettext("已拆分为 %(nos)s")
            % {"nos": "、".join(p.get("children_tracking_nos", []))},
            self.Action.RATE: gettext("已评价：%(level)s") % {"level": p.get("level_label", "")},
            self.Action.HAND_OVER: gettext("已转交%(hotline)s办理") % {"hotline": p.get("hotline_name", "")},
            self.Action.OUTSIDE_REPLY: self.note,
        }
        return str(texts.get(self.action, self.get_action_display()))

    @property
    def actor_label(self) -> str:
        """How the person sees who acted: a unit, never a staff member's name."""
        if self.actor_id is None:
            return gettext("系统")
        return str(self.new_unit or self.old_unit or gettext("工作人员"))


class MatterArticle(models.Model):
    """A law article considered for a matter's answer (法律依据): suggested by the law search and accepted or
    rejected by staff, or added by staff from a citation. Decisions also feed later suggestions
    (fawang.consult.suggestions): accepted articles rise for similar questions, rejected ones sink."""

    class Source(models.TextChoices):
        SUGGESTED = "suggested", _("系统建议")
        ADDED = "added", _("工作人员添加")

    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("legal basis decision", "待定")
        ACCEPTED = "accepted", pgettext_lazy("legal basis decision", "采纳")
        REJECTED = "rejected", pgettext_lazy("legal basis decision", "不采纳")

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="legal_articles"
    )
    article = models.ForeignKey(
        "knowledge.Article", verbose_name=_("法律条文"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("来源"),
        max_length=10,
        choices=Source.choices,
        default=Source.SUGGESTED,
        help_text=_("系统检索建议的条文，或工作人员根据引用自行添加的条文。"),
    )
    decision = models.CharField(
        _("决定"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
        help_text=_("工作人员对建议条文的决定；只有“采纳”的条文作为法律依据显示，决定也用于改进以后的建议。"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("作出采纳或不采纳决定的工作人员。"),
    )
    decided_at = models.DateTimeField(
        _("决定时间"), null=True, blank=True, help_text=_("作出决定的时间；法律依据按此排序。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Law-change alert (fawang.knowledge.alerts): a re-import marked the article's law 已修改 or 已废止.
    needs_review = models.BooleanField(
        _("待复核"),
        default=False,
        help_text=_("法规库重新导入时发现该条文所在法规已修改或已废止，需工作人员复核。"),
    )
    review_note = models.TextField(
        _("复核说明"), blank=True, help_text=_("法规变化的说明（修改或废止），随待复核提醒显示。")
    )

    class Meta:
        verbose_name = _("事项法律依据")
        verbose_name_plural = _("事项法律依据")
        ordering = ["matter", "decided_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "article"], name="matterarticle_unique")]
        # Feedback ranking reads the decisions of many matters by matter id.
        indexes = [models.Index(fields=["decision", "matter"], name="matterarticle_decision")]

    def __str__(self) -> str:
        return f"{self.matter_id} · {self.article_id} · {self.get_decision_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name: the original name is kept in a column, never trusted as a path."""
    import secrets

    now = timezone.localtime()
    return f"matters/{now:%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class Attachment(models.Model):
    """A file for a matter, type-checked by its content (uploads.py), not by its name."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="attachments"
    )
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name=_("对应材料"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("该文件对应的事项申请材料（目录中的材料清单）；补充的其他材料为空。"),
    )
    file = models.FileField(
        _("文件"),
        upload_to=attachment_path,
        help_text=_(
            "以随机文件名加密保存（fawang/lib/encrypted_storage.py）；原文件名另存，不作为路径使用。"
        ),
    )
    original_name = models.CharField(
        _("原文件名"), max_length=200, help_text=_("上传时的文件名，只用于显示和下载时的文件名。")
    )
    content_type = models.CharField(
        _("文件类型"),
        max_length=100,
        help_text=_("按文件内容识别的类型（不是按扩展名），只接受允许的图片、PDF 等格式。"),
    )
    size = models.PositiveIntegerField(
        _("大小（字节）"), help_text=_("文件大小，单个文件上限见 MATTERS_UPLOAD_MAX_BYTES（默认 10 MB）。")
    )
    sha256 = models.CharField(
        _("文件摘要（SHA-256）"),
        max_length=64,
        help_text=_("文件内容的 SHA-256 摘要，上传时按文件内容计算，可用于核对文件是否被改动。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("上传材料的账号（工作人员或本人）；未登录的上传为空。"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    # Set by the upload check before save; decides the stored file's extension.
    extension = ""

    class Meta:
        verbose_name = _("材料附件")
        verbose_name_plural = _("材料附件")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# --------------------------------------------------------------------------------------------- feedback


class Evaluation(models.Model):
    """好差评: the person's rating of a completed matter, one per matter."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("非常满意")
        SATISFIED = 4, _("满意")
        BASICALLY_SATISFIED = 3, _("基本满意")
        DISSATISFIED = 2, _("不满意")
        VERY_DISSATISFIED = 1, _("非常不满意")

    BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="evaluation"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("评价人"),
        on_delete=models.CASCADE,
        related_name="evaluations",
        help_text=_("作出评价的服务对象，即事项的服务对象本人。"),
    )
    level = models.PositiveSmallIntegerField(
        _("评价"),
        choices=Level.choices,
        help_text=_(
            "五级好差评：非常满意、满意、基本满意、不满意、非常不满意；不满意和非常不满意为差评，触发回访和整改。"
        ),
    )
    comment = models.TextField(
        _("评价内容"), blank=True, help_text=_("评价人写下的意见；纯文本，显示时转义。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为录入的工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("电话回访或窗口评价器录入时记录；本人在线评价时为空。"),
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["level", "created_at"], name="evaluation_level_time"),
            # A day's ratings, for that day's supervision facts (insights.rollup.refresh_days).
            models.Index(fields=["created_at"], name="evaluation_time"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in self.BAD_LEVELS


class FeedbackTaskQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> Any:
        return self.filter(Q(matter__in=Matter.objects.visible_to(user)) | unit_ids_filter(user, "unit_id"))

    def open(self) -> Any:
        return self.filter(done_at__isnull=True)

    def overdue(self, now: dt.datetime | None = None) -> Any:
        return self.open().filter(due_at__lt=now or timezone.now())


class Callback(models.Model):
    """回访: a call to the person after a bad rating, for a complaint, or by random sample."""

    class Reason(models.TextChoices):
        BAD_RATING = "bad_rating", _("差评回访")
        SAMPLE = "sample", _("抽样回访")

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="callbacks"
    )
    reason = models.CharField(
        _("回访原因"),
        max_length=12,
        choices=Reason.choices,
        help_text=_("差评回访（收到差评后必做）或抽样回访（办结事项按比例随机抽取）。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("回访单位"),
        on_delete=models.PROTECT,
        related_name="callbacks",
        help_text=_("由办理机构的主管司法局回访，独立于办理机构。"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("负责打电话回访的工作人员；为空表示回访单位尚未分派。"),
    )
    due_at = models.DateTimeField(
        _("回访期限"), help_text=_("回访应完成的期限，创建后 5 个工作日（MATTERS_CALLBACK_LIMIT_WORKDAYS）。")
    )
    outcome = models.TextField(_("回访情况"), blank=True, help_text=_("回访中了解到的情况和服务对象的意见。"))
    satisfied = models.BooleanField(
        _("回访后满意"),
        null=True,
        blank=True,
        help_text=_("回访后服务对象是否满意；为空表示未能联系上或未表态。"),
    )
    done_at = models.DateTimeField(
        _("完成时间"), null=True, blank=True, help_text=_("回访完成的时间；为空表示回访任务仍未完成。")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记回访结果的工作人员。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = FeedbackTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["unit", "done_at", "due_at"], name="callback_unit_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.matter_id}"


class Rectification(models.Model):
    """整改: what the handling unit must put right after a bad rating or an upheld complaint, with its own limit."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="rectifications"
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("差评"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("引起整改的差评；因投诉成立而整改时为空。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("整改单位"),
        on_delete=models.PROTECT,
        related_name="rectifications",
        help_text=_("需要整改的机构，即被评差评或被投诉的办理机构。"),
    )
    reason = models.TextField(_("整改事由"), help_text=_("需要整改的问题，来自差评或成立的投诉。"))
    due_at = models.DateTimeField(
        _("整改期限"),
        help_text=_("整改应完成的期限，创建后 15 个工作日（MATTERS_RECTIFICATION_LIMIT_WORKDAYS）。"),
    )
    measures = models.TextField(
        _("整改措施"), blank=True, help_text=_("整改单位采取的措施，完成整改时填写。")
    )
    done_at = models.DateTimeField(
        _("完成时间"), null=True, blank=True, help_text=_("整改完成的时间；为空表示整改仍未完成。")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记整改完成的工作人员。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = FeedbackTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["unit", "done_at", "due_at"], name="rectification_unit_open")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.matter_id}"


class Complaint(models.Model):
    """What a 投诉 matter complains about: a matter, a unit or a staff member (any may be empty)."""

    matter = models.OneToOneField(
        Matter,
        verbose_name=_("投诉事项"),
        on_delete=models.CASCADE,
        related_name="complaint",
        help_text=_("投诉本身作为一件“投诉”事项受理和办理，本记录说明它投诉的对象。"),
    )
    about_matter = models.ForeignKey(
        Matter,
        verbose_name=_("被投诉事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_about",
        help_text=_("被投诉的服务事项；投诉与具体事项无关时为空。"),
    )
    about_unit = models.ForeignKey(
        Unit,
        verbose_name=_("被投诉机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("被投诉的机构；投诉由其主管司法局处理。"),
    )
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被投诉工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("被投诉的工作人员；投诉人未指明时为空。"),
    )

    class Meta:
        verbose_name = _("投诉对象")
        verbose_name_plural = _("投诉对象")

    def __str__(self) -> str:
        return str(self.about_unit or self.about_matter or self.about_staff or "")


class AccessLog(models.Model):
    """Who saw full personal data of whom, when and why (个人信息保护法). Rows are only ever added."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("查看人用户名"), max_length=150, help_text=_("账号删除后仍可追溯。"))
    person = models.ForeignKey(
        Person, verbose_name=_("服务对象"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField(
        _("查看事由"),
        max_length=200,
        help_text=_(
            "查看完整个人信息的理由，由查看人填写（《个人信息保护法》第六条：处理个人信息应当具有明确、合理的目的）。"
        ),
    )
    fields = models.CharField(_("查看内容"), max_length=100, help_text=_("例如：身份证号码、联系电话。"))
    ip = models.GenericIPAddressField(
        _("IP 地址"), null=True, blank=True, help_text=_("查看时的客户端 IP 地址。")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "created_at"], name="accesslog_person_time")]

    def __str__(self) -> str:
        return f"{self.username} · {self.created_at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------------------------- public tracking


class TrackingCode(models.Model):
    """A one-time code sent to the phone on a matter, so the person can follow it without an account
    (issue 4 item 3). Only a keyed hash of the code is kept. A request for an unknown (but well-formed)
    tracking number is recorded too, without a matter or a code: the rate limits count it like any other,
    so neither the answer nor the limits tell whether the number exists."""

    tracking_no = models.CharField(
        _("受理编号"),
        max_length=16,
        help_text=_("请求验证码时输入的受理编号；编号不存在时也记录，便于限流且不泄露编号是否存在。"),
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tracking_codes",
        help_text=_("为空表示查询的编号不存在，未发送验证码。"),
    )
    code_hash = models.CharField(
        _("验证码摘要"), max_length=64, blank=True, help_text=_("带密钥的哈希值；验证码本身不保存。")
    )
    ip = models.GenericIPAddressField(
        _("请求 IP 地址"),
        null=True,
        blank=True,
        help_text=_(
            "请求验证码的客户端 IP 地址，用于按地址限流（每小时次数见 MATTERS_TRACK_SENDS_PER_HOUR_PER_IP）。"
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("已验证次数"),
        default=0,
        help_text=_("已输入验证码的次数；达到上限（默认 5 次，MATTERS_TRACK_CODE_ATTEMPTS）后验证码作废。"),
    )
    expires_at = models.DateTimeField(
        _("失效时间"), help_text=_("验证码失效的时间，发送后 10 分钟（MATTERS_TRACK_CODE_MINUTES）。")
    )
    used_at = models.DateTimeField(
        _("使用时间"), null=True, blank=True, help_text=_("验证通过的时间；验证码只能使用一次。")
    )
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("查询验证码")
        verbose_name_plural = _("查询验证码")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The rate limits: sends per tracking number and per client address in the last hour.
            models.Index(fields=["tracking_no", "created_at"], name="trackcode_number_time"),
            models.Index(fields=["ip", "created_at"], name="trackcode_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} · {self.created_at:%Y-%m-%d %H:%M}"


class OutsideHandover(models.Model):
    """转外部热线: a matter handed over to an outside hotline (12345 政务服务便民热线, 12315, 110), which is not
    on this platform. Our clock ends at the hand-over (the matter is theirs to answer, no overdue or escalation
    here); the matter stays with our unit, which records the hotline's ticket number (工单号) and then its
    outcome, which completes the matter (fawang.matters.actions.handover)."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="handovers"
    )
    hotline = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("外部热线"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("接收事项的外部热线（12345 政务服务便民热线、12315、110 等），登记为外部机构。"),
    )
    reason = models.TextField(_("转交理由"), help_text=_("为什么不属于本平台办理、需转外部热线。"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("办理转交的工作人员。"),
    )
    handed_at = models.DateTimeField(
        _("转交时间"), help_text=_("转交时间；本平台的计时到此结束，不再预警或督办。")
    )
    ticket_no = models.CharField(
        _("外部工单号"), max_length=40, blank=True, help_text=_("外部热线给出的工单号，用于跟踪其办理情况。")
    )
    ticket_at = models.DateTimeField(
        _("工单号登记时间"), null=True, blank=True, help_text=_("登记外部工单号的时间。")
    )
    outcome = models.TextField(
        _("外部办理结果"), blank=True, help_text=_("外部热线反馈的办理结果；登记后事项办结。")
    )
    outcome_at = models.DateTimeField(
        _("结果登记时间"),
        null=True,
        blank=True,
        help_text=_("登记外部办理结果的时间；为空表示仍在外部办理中。"),
    )

    class Meta:
        verbose_name = _("转外部热线记录")
        verbose_name_plural = _("转外部热线记录")
        ordering = ["matter", "handed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"], condition=Q(outcome_at__isnull=True), name="handover_one_open_per_matter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter} → {self.hotline}"

    @property
    def is_open(self) -> bool:
        return self.outcome_at is None
