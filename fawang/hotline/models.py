"""12348 热线: calls from the telephone system (CTI), the agents' seats, and callbacks of missed calls.

A ``CtiSystem`` is one PBX or call-centre system of a hotline centre, authenticated by its own token (only a
keyed hash is kept) and, if it has a secret, an HMAC signature. Its events (newCall, answer, hangup, rating)
are rows of ``CallEvent``, unique on (call, event): a resent event finds its row and changes nothing. The
``Call`` is recomputed from all its events after each one (``actions.reconcile``), so events arriving out of
order give the same call as in order. The caller's number is encrypted with a keyed hash beside it for look-up
(earlier calls and matters of the same number) and masked on screen.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import mask_phone
from fawang.matters.models import Matter
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit

from . import conf

if TYPE_CHECKING:
    from fawang.accounts.models import User


def normalize_number(value: str) -> str:
    """Digits only, without the country code or a leading trunk prefix the PBX may add (+86, 0086)."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix) :]
            break
    return digits[:20]


def number_hash(value: str) -> str:
    return crypto.lookup_hash(normalize_number(value))


def mask_number(value: str) -> str:
    """138****5678 for a mobile; 0592****1234 style for a landline; short numbers (extensions) as they are."""
    value = normalize_number(value)
    if len(value) >= 11:
        return mask_phone(value)
    if len(value) >= 7:
        return value[:3] + "****" + value[-3:]
    return value


class CtiSystemQuerySet(models.QuerySet["CtiSystem"]):
    def visible_to(self, user: User) -> CtiSystemQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class CtiSystem(models.Model):
    """一套对接系统: a telephone system (PBX / 呼叫中心) that posts call events for a hotline centre, or the ticket
    system of an outside hotline (12345, 12315, 110: 联动) that posts its ticket numbers and outcomes back."""

    class Purpose(models.TextChoices):
        CTI = "cti", _("电话系统")
        LINK = "link", _("联动工单系统")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="cti_systems",
        help_text=_("电话系统：本热线中心；联动工单系统：外部热线（如 12345）。"),
    )
    purpose = models.CharField(
        _("用途"),
        max_length=4,
        choices=Purpose.choices,
        default=Purpose.CTI,
        help_text=_(
            "电话系统推送来电事件；联动工单系统（12345、12315、110 等外部热线）推送派单并读取办结反馈。"
        ),
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("便于识别的系统名称，如“12348 呼叫中心”。"))
    token_hash = models.CharField(
        _("令牌索引"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("推送地址中令牌的带密钥哈希；令牌本身只在创建时显示一次。"),
    )
    secret = crypto.EncryptedTextField(
        _("签名密钥"),
        blank=True,
        help_text=_(
            "设置后，每个事件须带 HMAC-SHA256 签名和时间戳（X-Fawang-Timestamp、X-Fawang-Signature）。"
        ),
    )
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后该系统的推送一律拒绝。"))
    dial_url = models.URLField(
        _("外呼接口地址"),
        max_length=300,
        blank=True,
        help_text=_(
            "电话系统的点击外呼（click-to-dial）接口；留空则外呼请求只在本系统记录，由坐席用话机拨打。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CtiSystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("电话系统")
        verbose_name_plural = _("电话系统")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"


class Seat(models.Model):
    """坐席: an extension of a hotline centre, with the agent signed into it (if any) and the queue it serves."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="seats",
        help_text=_("坐席所在的热线中心。"),
    )
    extension = models.CharField(
        _("分机号"),
        max_length=10,
        help_text=_("坐席话机的分机号，同一热线中心内唯一；电话系统报告的接听分机据此找到坐席员。"),
    )
    queue = models.CharField(_("服务队列"), max_length=40, blank=True, help_text=_("留空：接听所有队列。"))
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签入坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_seat",
        help_text=_("当前签入此分机的坐席员；每人同时只签入一个坐席。"),
    )
    signed_in_at = models.DateTimeField(
        _("签入时间"), null=True, blank=True, help_text=_("坐席员签入此分机的时间；签出后为空。")
    )

    class Meta:
        verbose_name = _("坐席")
        verbose_name_plural = _("坐席")
        ordering = ["unit", "extension"]
        constraints = [models.UniqueConstraint(fields=["unit", "extension"], name="hotline_seat_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.extension}"


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: User) -> CallQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class Call(models.Model):
    """一通电话, as the telephone system reported it and the agent wrapped it up."""

    class Direction(models.TextChoices):
        IN = "in", _("呼入")
        OUT = "out", _("呼出")

    class Status(models.TextChoices):
        RINGING = "ringing", _("振铃中")
        ANSWERED = "answered", _("通话中")
        ENDED = "ended", _("已结束")
        MISSED = "missed", _("未接")
        ABANDONED = "abandoned", _("呼损（来电方挂断）")

    class Wrap(models.TextChoices):
        ANSWERED = "answered", _("当场解答")
        REGISTERED = "registered", _("登记事项")
        HANDED_OVER = "handed_over", _("转外部热线")
        REFERRED = "referred", _("转值班律师")
        INFO = "info", _("信息查询")
        NUISANCE = "nuisance", _("骚扰/无效来电")
        OTHER = "other", _("其他")

    system = models.ForeignKey(
        CtiSystem,
        verbose_name=_("电话系统"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("报告此来电的电话系统。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("接听此来电的热线中心。"),
    )
    call_id = models.CharField(_("呼叫标识"), max_length=64, help_text=_("电话系统给出的 callId。"))
    direction = models.CharField(
        _("方向"),
        max_length=3,
        choices=Direction.choices,
        default=Direction.IN,
        help_text=_("呼入（群众来电）或呼出（回拨外呼）。"),
    )
    caller = crypto.EncryptedTextField(_("来电号码"), blank=True, help_text=_("加密保存；页面上只显示掩码。"))
    caller_hash = models.CharField(
        _("来电号码索引"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("来电号码（去除 +86 等前缀后）的带密钥哈希，用于查找同一号码的历史来电和事项。"),
    )
    callee = models.CharField(
        _("被叫号码"), max_length=20, blank=True, help_text=_("被叫号码，如 12348 或回拨时群众的号码。")
    )
    queue = models.CharField(_("队列"), max_length=40, blank=True, help_text=_("IVR 选择的服务队列。"))
    extension = models.CharField(
        _("接听分机"), max_length=10, blank=True, help_text=_("电话系统报告的接听分机号。")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("按接听分机签入的坐席员（或电话系统报告的坐席账号）找到的接听人。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.RINGING,
        help_text=_(
            "由电话系统事件推算：振铃中、通话中、已结束；未接听即挂机的为未接，来电方主动挂断的为呼损，两者都生成回拨任务（转接他处的除外）。"
        ),
    )
    rang_at = models.DateTimeField(
        _("振铃时间"), null=True, blank=True, help_text=_("来电振铃（newCall 事件）的时间。")
    )
    answered_at = models.DateTimeField(
        _("接听时间"), null=True, blank=True, help_text=_("坐席接听（answer 事件）的时间。")
    )
    ended_at = models.DateTimeField(
        _("挂机时间"), null=True, blank=True, help_text=_("挂机（hangup 事件）的时间。")
    )
    wait_seconds = models.PositiveIntegerField(
        _("等待秒数"),
        null=True,
        blank=True,
        help_text=_("从振铃到接听的秒数；未接听的到挂机为止。20 秒内接听计入服务水平。"),
    )
    talk_seconds = models.PositiveIntegerField(
        _("通话秒数"),
        null=True,
        blank=True,
        help_text=_("从接听到挂机的秒数；超过 900 秒的通话按规则抽入质检。"),
    )
    cause = models.CharField(
        _("挂机原因"),
        max_length=20,
        blank=True,
        help_text=_("电话系统报告的挂机原因代码，如 cancel（来电方挂断）、forwarded（已转接他处）。"),
    )
    recording_url = models.URLField(
        _("录音地址"), max_length=500, blank=True, help_text=_("电话系统提供的通话录音地址，质检时播放。")
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度按键"), null=True, blank=True, help_text=_("通话后 IVR 评价：1 满意，2 基本满意，3 不满意。")
    )
    wrap_code = models.CharField(
        _("小结类型"),
        max_length=12,
        choices=Wrap.choices,
        blank=True,
        help_text=_("坐席员对通话的小结：当场解答、登记事项、转外部热线、转值班律师、信息查询、无效来电等。"),
    )
    wrap_notes = models.TextField(_("小结备注"), blank=True, help_text=_("坐席员的小结补充说明。"))
    wrapped_at = models.DateTimeField(
        _("小结时间"), null=True, blank=True, help_text=_("坐席员提交小结的时间。")
    )
    matters = models.ManyToManyField(
        Matter,
        verbose_name=_("产生的事项"),
        blank=True,
        related_name="calls",
        help_text=_("通话中登记的事项（一通电话可登记多件）。"),
    )
    created_at = models.DateTimeField(
        _("记录时间"), auto_now_add=True, help_text=_("系统首次收到此来电事件的时间。")
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("来电")
        verbose_name_plural = _("来电")
        ordering = ["-rang_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["system", "call_id"], name="hotline_call_unique")]
        indexes = [
            models.Index(fields=["caller_hash", "rang_at"], name="hotline_call_caller"),
            models.Index(fields=["unit", "rang_at"], name="hotline_call_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.caller_masked} · {self.call_id}"

    @property
    def caller_masked(self) -> str:
        return mask_number(self.caller)

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.RINGING, self.Status.ANSWERED)


class CallEvent(models.Model):
    """One event the telephone system posted, kept as received (the first copy: a resent one changes nothing)."""

    class Kind(models.TextChoices):
        NEW_CALL = "newCall", _("来电振铃")
        ANSWER = "answer", _("接听")
        HANGUP = "hangup", _("挂机")
        RATING = "rating", _("满意度评价")

    call = models.ForeignKey(
        Call,
        verbose_name=_("来电"),
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("事件所属的来电。"),
    )
    kind = models.CharField(
        _("事件"),
        max_length=10,
        choices=Kind.choices,
        help_text=_(
            "来电振铃（newCall）、接听（answer）、挂机（hangup）或满意度评价（rating）；同一来电每种事件只保存首次收到的一份。"
        ),
    )
    occurred_at = models.DateTimeField(
        _("发生时间"), help_text=_("电话系统报告的事件发生时间；来电按各事件的发生时间重新推算。")
    )
    received_at = models.DateTimeField(
        _("接收时间"), auto_now_add=True, help_text=_("本系统收到事件推送的时间。")
    )
    payload = models.JSONField(_("事件内容"), default=dict, help_text=_("来电号码已去除。"))

    class Meta:
        verbose_name = _("来电事件")
        verbose_name_plural = _("来电事件")
        ordering = ["occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="hotline_event_once")]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind}"


class CallbackQuerySet(models.QuerySet["CallbackTask"]):
    def visible_to(self, user: User) -> CallbackQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class CallbackTask(models.Model):
    """回拨任务: a missed or abandoned call to ring back within working hours."""

    class Status(models.TextChoices):
        OPEN = "open", _("待回拨")
        DONE = "done", _("已回拨")
        UNREACHED = "unreached", _("多次未接通，已关闭")
        CANCELLED = "cancelled", _("已撤销")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("已接通并处理")
        NO_ANSWER = "no_answer", _("无人接听")
        WRONG_NUMBER = "wrong_number", _("号码有误")

    call = models.OneToOneField(
        Call,
        verbose_name=_("来电"),
        on_delete=models.CASCADE,
        related_name="callback",
        help_text=_("未接或呼损、需要回拨的来电。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责回拨的热线中心。"),
    )
    queue = models.CharField(
        _("队列"),
        max_length=40,
        blank=True,
        help_text=_("来电在 IVR 所选的服务队列；生成任务时分给该队列签入坐席中待回拨任务最少的坐席员。"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回拨坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("负责回拨的坐席员；生成时队列无人签入则为空。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("待回拨；接通后为已回拨；多次无人接听按规则关闭；接听事件晚到、来电其实已接通的撤销。"),
    )
    due_at = models.DateTimeField(
        _("回拨时限"), help_text=_("来电后按工作日历计算的回拨时限（默认 2 个工作小时，热线中心可另设）。")
    )
    done_at = models.DateTimeField(
        _("回拨时间"),
        null=True,
        blank=True,
        help_text=_("回拨结束（接通、号码有误或多次未接通关闭）的时间；不晚于回拨时限即为按时。"),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回拨人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("登记最终回拨结果的坐席员。"),
    )
    outcome = models.CharField(
        _("回拨结果"), max_length=14, choices=Outcome.choices, blank=True, help_text=_("最近一次回拨的结果。")
    )
    note = models.TextField(_("回拨记录"), blank=True, help_text=_("回拨时与来电人沟通的记录。"))
    attempts = models.PositiveSmallIntegerField(
        _("回拨次数"), default=0, help_text=_("已拨打的次数（工作台外呼和话机直拨都计入）。")
    )
    created_at = models.DateTimeField(
        _("生成时间"), auto_now_add=True, help_text=_("未接来电挂机、生成回拨任务的时间。")
    )

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("回拨任务")
        verbose_name_plural = _("回拨任务")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="hotline_callback_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_status_display()}"

    @property
    def on_time(self) -> bool | None:
        if self.done_at is None:
            return None
        return self.done_at <= self.due_at

    @property
    def is_closed(self) -> bool:
        """Done, or closed by the rule after too many unanswered tries: counted as handled."""
        return self.status in (self.Status.DONE, self.Status.UNREACHED)


# The callId of an outbound callback call starts with this, so the CTI intake knows it before its newCall arrives.
DIAL_PREFIX = "fw-cb-"


class CallbackAttempt(models.Model):
    """一次回拨: the agent rang the caller back, by a click-to-dial request from the desk to the telephone system
    (the PBX then reports the outbound call under ``dial_id`` as its callId) or by hand on the desk phone; and what came of it."""

    class Dial(models.TextChoices):
        RECORDED = "recorded", _("已记录（未连接外呼接口，请用话机拨打）")
        SENT = "sent", _("已发往电话系统")
        FAILED = "failed", _("外呼请求失败")
        MANUAL = "manual", _("话机直拨后登记")

    task = models.ForeignKey(
        CallbackTask,
        verbose_name=_("回拨任务"),
        on_delete=models.CASCADE,
        related_name="tries",
        help_text=_("本次外呼所属的回拨任务。"),
    )
    seq = models.PositiveSmallIntegerField(_("第几次"), help_text=_("本任务的第几次回拨，从 1 起。"))
    dial_id = models.CharField(
        _("外呼标识"), max_length=64, unique=True, help_text=_("外呼电话的 callId（以 fw-cb- 开头）。")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("发起本次回拨的坐席员。"),
    )
    extension = models.CharField(
        _("外呼分机"), max_length=10, blank=True, help_text=_("发起外呼的坐席分机。")
    )
    dial = models.CharField(
        _("外呼请求"),
        max_length=10,
        choices=Dial.choices,
        help_text=_(
            "点击外呼请求的去向：已发往电话系统、请求失败、未配置外呼接口只作记录，或话机直拨后登记。"
        ),
    )
    dial_detail = models.CharField(
        _("外呼接口回复"), max_length=200, blank=True, help_text=_("电话系统外呼接口的回复或错误信息。")
    )
    requested_at = models.DateTimeField(_("发起时间"), help_text=_("坐席员发起外呼或登记直拨的时间。"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("外呼电话"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("电话系统报告的这次外呼（呼出方向）。"),
    )
    outcome = models.CharField(
        _("结果"),
        max_length=14,
        choices=CallbackTask.Outcome.choices,
        blank=True,
        help_text=_("本次回拨的结果：接通并处理、无人接听或号码有误。"),
    )
    note = models.TextField(_("记录"), blank=True, help_text=_("本次回拨的通话记录。"))
    recorded_at = models.DateTimeField(
        _("结果登记时间"),
        null=True,
        blank=True,
        help_text=_("登记本次结果的时间（坐席员登记，或电话系统报告外呼未接通时自动登记）。"),
    )

    class Meta:
        verbose_name = _("回拨外呼")
        verbose_name_plural = _("回拨外呼")
        ordering = ["task", "seq"]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.seq}"


# The callId of an outbound 回访 call of a matter starts with this (the matter's Callback task, matters.Callback).
FOLLOW_UP_PREFIX = "fw-fu-"


class FollowUpDial(models.Model):
    """一次回访外呼: the agent rang the person of a matter for its 回访 task (matters' ``Callback``) from the desk,
    through the same click-to-dial path as a callback of a missed call; the PBX reports the outbound call under
    ``dial_id``. The 回访 result and satisfaction are stored on the matter's task (matters.do_complete_callback);
    this row keeps the dialling and what came of each try."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("已接通，完成回访")
        NO_ANSWER = "no_answer", _("无人接听")
        WRONG_NUMBER = "wrong_number", _("号码有误")

    followup = models.ForeignKey(
        "matters.Callback",
        verbose_name=_("回访任务"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("事项的回访任务；回访结果和满意度记在任务上，这里只记外呼。"),
    )
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+")
    system = models.ForeignKey(
        CtiSystem,
        verbose_name=_("电话系统"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("发起外呼所用的电话系统（与未接来电回拨同一点击外呼接口）。"),
    )
    seq = models.PositiveSmallIntegerField(_("第几次"), help_text=_("同一回访任务的第几次外呼，从 1 起。"))
    dial_id = models.CharField(
        _("外呼标识"), max_length=64, unique=True, help_text=_("外呼电话的 callId（以 fw-fu- 开头）。")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在接听台发起这次外呼的坐席员。"),
    )
    extension = models.CharField(
        _("外呼分机"), max_length=10, blank=True, help_text=_("坐席员签入的分机，电话系统从这里呼出。")
    )
    dial = models.CharField(
        _("外呼请求"),
        max_length=10,
        choices=CallbackAttempt.Dial.choices,
        help_text=_("点击外呼接口是否接受了请求。"),
    )
    dial_detail = models.CharField(
        _("外呼接口回复"), max_length=200, blank=True, help_text=_("电话系统接口的回复或错误说明。")
    )
    requested_at = models.DateTimeField(_("发起时间"), help_text=_("坐席员点击外呼的时间。"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("外呼电话"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("电话系统报告的这次外呼（呼出方向）。"),
    )
    outcome = models.CharField(
        _("结果"),
        max_length=14,
        choices=Outcome.choices,
        blank=True,
        help_text=_("接通即完成回访；无人接听或号码有误记入事项，回访任务仍待办；为空表示尚未登记。"),
    )
    recorded_at = models.DateTimeField(
        _("结果登记时间"), null=True, blank=True, help_text=_("坐席员登记这次外呼结果的时间。")
    )

    class Meta:
        verbose_name = _("回访外呼")
        verbose_name_plural = _("回访外呼")
        ordering = ["followup", "seq"]

    def __str__(self) -> str:
        return f"{self.followup_id} #{self.seq}"


class CentreSettings(models.Model):
    """热线中心设置: what the centre's admin sets for its hotline (the system setup page): the opening hours the
    IVR announces, its greeting, the callback clock and the rule for numbers never reached."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.CASCADE,
        related_name="hotline_settings",
        help_text=_("这些设置所属的热线中心。"),
    )
    service_hours = models.CharField(
        _("人工服务时间"),
        max_length=100,
        default="工作日 08:30–12:00、14:30–17:30",
        help_text=_("IVR 播报和门户显示的人工坐席服务时间；其余时间转值班律师或留言回拨。"),
    )
    ivr_welcome = models.TextField(
        _("IVR 欢迎语"),
        blank=True,
        default="您好，这里是12348公共法律服务热线。",
        help_text=_("来电接通后 IVR 播放的欢迎语。"),
    )
    ivr_after_hours = models.TextField(
        _("非服务时间提示语"),
        blank=True,
        default="现在是非人工服务时间，请留下您的电话，我们将在工作时间内回拨。",
        help_text=_("人工服务时间以外来电时 IVR 播放的提示语。"),
    )
    callback_hours = models.PositiveSmallIntegerField(
        _("回拨时限（工作小时）"),
        default=conf.CALLBACK_WORK_HOURS,
        help_text=_("未接来电须在此工作小时数内回拨（按工作日历的上班时段计算）。"),
    )
    callback_max_attempts = models.PositiveSmallIntegerField(
        _("回拨最多次数"),
        default=conf.CALLBACK_MAX_ATTEMPTS,
        help_text=_("回拨连续这么多次无人接听后，任务按规则关闭（多次未接通）。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("热线中心设置")
        verbose_name_plural = _("热线中心设置")

    def __str__(self) -> str:
        return str(self.unit)


class HotlineQueueQuerySet(models.QuerySet["HotlineQueue"]):
    def visible_to(self, user: User) -> HotlineQueueQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class HotlineQueue(models.Model):
    """队列（技能组）: a queue the IVR offers (its key and menu text); the CTI ``queue`` field names it, seats
    sign into it, and its topics and dialects say whom it needs."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("队列所属的热线中心。"),
    )
    name = models.CharField(_("队列名称"), max_length=40, help_text=_("与电话系统推送的 queue 一致。"))
    digit = models.CharField(_("IVR 按键"), max_length=1, help_text=_("0–9。"))
    menu_text = models.CharField(
        _("IVR 菜单语"), max_length=200, help_text=_("IVR 菜单播报的文字，如“法律咨询请按 1”。")
    )
    topics = models.ManyToManyField(
        "orgs.Speciality",
        verbose_name=_("技能（领域）"),
        blank=True,
        related_name="+",
        help_text=_("本队列接听的法律领域（技能组的技能）。"),
    )
    dialects = models.JSONField(
        _("方言"), default=list, blank=True, help_text=_("本队列服务的方言（普通话以外），如闽南话、莆仙话。")
    )
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后 IVR 不再提供此队列。"))

    objects = HotlineQueueQuerySet.as_manager()

    class Meta:
        verbose_name = _("队列（技能组）")
        verbose_name_plural = _("队列（技能组）")
        ordering = ["unit", "digit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="hotline_queue_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.digit} {self.name}"


# --------------------------------------------------------------------------------------------- duty (值班)


class Dialect(models.TextChoices):
    MANDARIN = "mandarin", _("普通话")
    MINNAN = "minnan", _("闽南话")
    PUXIAN = "puxian", _("莆仙话")
    HAKKA = "hakka", _("客家话")
    ENGLISH = "english", _("英语")


class DutySlot(models.TextChoices):
    MORNING = "morning", _("上午 08:30–12:00")
    AFTERNOON = "afternoon", _("下午 14:30–17:30")
    EVENING = "evening", _("夜间 17:30–22:00")


# The hours of each slot, local time: a call at 13:00 falls in no slot, and is handed by the fallback rule.
SLOT_HOURS = {
    DutySlot.MORNING: ((8, 30), (12, 0)),
    DutySlot.AFTERNOON: ((14, 30), (17, 30)),
    DutySlot.EVENING: ((17, 30), (22, 0)),
}


class DutyShiftQuerySet(models.QuerySet["DutyShift"]):
    def visible_to(self, user: User) -> DutyShiftQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class DutyShift(models.Model):
    """值班: a lawyer or legal-service worker on duty at a hotline centre for one slot of one day, with the topics
    and dialects they take."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("值班所在的热线中心。"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("值班人员"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("值班的律师或法律服务工作者的账号。"),
    )
    day = models.DateField(_("日期"), help_text=_("值班日期。"))
    slot = models.CharField(
        _("时段"),
        max_length=10,
        choices=DutySlot.choices,
        help_text=_("上午、下午或夜间时段；不在任何时段的来电按兜底规则转接。"),
    )
    topics = models.ManyToManyField(
        "orgs.Speciality",
        verbose_name=_("擅长领域"),
        blank=True,
        related_name="+",
        help_text=_("留空：所有领域。"),
    )
    dialects = models.JSONField(_("方言"), default=list, blank=True, help_text=_("除普通话外可用的方言。"))
    created_at = models.DateTimeField(_("排班时间"), auto_now_add=True, help_text=_("安排此值班的时间。"))

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["day", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "person", "day", "slot"], name="hotline_shift_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_slot_display()} {self.person}"

    @property
    def dialect_labels(self) -> list[str]:
        return [str(Dialect(d).label) for d in self.dialects if d in Dialect.values]


class DutyReferralQuerySet(models.QuerySet["DutyReferral"]):
    def for_duty(self, user: User, now: dt.datetime | None = None) -> DutyReferralQuerySet:
        """The on-duty person's queue: the referrals handed to them, and those waiting at a centre where they are
        on duty now (a matter referred while nobody was on duty: whoever is next on duty takes it)."""
        from django.utils import timezone

        from .duty import slot_at

        now = now or timezone.now()
        slot = slot_at(now)
        on_duty_units = (
            DutyShift.objects.filter(person=user, day=timezone.localdate(now), slot=slot).values("unit_id")
            if slot is not None
            else DutyShift.objects.none().values("unit_id")
        )
        return self.filter(Q(shift__person=user) | Q(shift__isnull=True, unit_id__in=on_duty_units))


class DutyReferral(models.Model):
    """转值班律师: a call or a matter handed to the person on duty; the duty log is these rows. A matter referred
    while nobody is on duty waits at the centre (no shift) until someone on duty takes it from their queue."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DONE = "done", _("已处理")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("值班中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("值班表所在的热线中心（事项为其受理点）。"),
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("来电"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referrals",
        help_text=_("转给值班人员的来电；从事项转出的为空。"),
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duty_referrals",
        help_text=_("转给值班人员的事项（事项页或接听台的转值班律师）；只转来电的为空。"),
    )
    shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("值班"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text=_("为空：转出时无人值班，等待下一位值班人员接手。"),
    )
    topic = models.ForeignKey(
        "orgs.Speciality",
        verbose_name=_("领域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("来电涉及的法律领域，用于匹配值班人员。"),
    )
    dialect = models.CharField(
        _("方言"),
        max_length=10,
        choices=Dialect.choices,
        blank=True,
        help_text=_("来电人使用的方言，用于匹配值班人员。"),
    )
    rule = models.CharField(
        _("匹配规则"), max_length=60, help_text=_("按领域和方言、仅按领域或任一值班人员。")
    )
    note = models.TextField(_("转接说明"), blank=True, help_text=_("坐席员给值班人员的转接说明。"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转接人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("把来电转给值班人员的坐席员。"),
    )
    referred_at = models.DateTimeField(_("转接时间"), help_text=_("转接的时间。"))
    status = models.CharField(
        _("状态"),
        max_length=6,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("值班人员登记处理情况后为已处理。"),
    )
    handled_at = models.DateTimeField(
        _("处理时间"), null=True, blank=True, help_text=_("值班人员登记处理情况的时间。")
    )
    handled_note = models.TextField(
        _("处理情况"), blank=True, help_text=_("值班人员登记的处理情况，同时记入事项的办理过程。")
    )

    objects = DutyReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("转值班记录")
        verbose_name_plural = _("转值班记录")
        ordering = ["-referred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.call or self.matter} → {self.shift or self.unit}"


# --------------------------------------------------------------------------------------------- quality (质检)


class QualityItem(models.Model):
    """质检项: one line of a centre's checklist, with its full score."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("使用此质检项的热线中心。"),
    )
    name = models.CharField(_("质检项"), max_length=40, help_text=_("质检评分表中的一项，如“服务用语规范”。"))
    max_score = models.PositiveSmallIntegerField(_("满分"), help_text=_("本项满分；评分须在 0 至满分之间。"))
    order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("在评分表中的顺序，小的在前。")
    )
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后新的评分不再包含此项。"))

    class Meta:
        verbose_name = _("质检项")
        verbose_name_plural = _("质检项")
        ordering = ["unit", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}）"


class ReviewQuerySet(models.QuerySet["QualityReview"]):
    def visible_to(self, user: User) -> ReviewQuerySet:
        """Reviews at units the user reaches, and their own calls' reviews."""
        reach = unit_ids_filter(user, "unit_id")
        # An empty Q is "everything" (a 系统管理员): OR-ing it with another Q would narrow it to that one.
        return self.filter(reach | Q(agent=user)) if reach else self.all()


class QualityReview(models.Model):
    class Reason(models.TextChoices):
        RANDOM = "random", _("随机抽检")
        LONG = "long", _("长时通话")
        COMPLAINT = "complaint", _("涉及投诉")
        BAD_RATING = "bad_rating", _("不满意评价")

    class Status(models.TextChoices):
        SAMPLED = "sampled", _("待评分")
        SCORED = "scored", _("已评分")
        APPEALED = "appealed", _("申诉中")
        FINAL = "final", _("已定分")

    call = models.OneToOneField(
        Call,
        verbose_name=_("来电"),
        on_delete=models.CASCADE,
        related_name="review",
        help_text=_("被抽检的通话。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("热线中心"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("被抽检通话所属的热线中心。"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("接听被抽检通话的坐席员；可查看本人的评分并申诉一次。"),
    )
    reason = models.CharField(
        _("抽检原因"),
        max_length=12,
        choices=Reason.choices,
        help_text=_("随机抽检，或按规则抽检：长时通话（900 秒以上）、涉及投诉、不满意评价。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.SAMPLED,
        help_text=_("待评分、已评分；坐席员申诉后为申诉中，处理后为已定分，不再更改。"),
    )
    scores = models.JSONField(
        _("各项得分"), default=dict, blank=True, help_text=_("按质检项名称记录的各项得分。")
    )
    total = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True, help_text=_("各项得分之和。"))
    max_total = models.PositiveSmallIntegerField(
        _("满分"), null=True, blank=True, help_text=_("评分时各启用质检项满分之和。")
    )
    comment = models.TextField(_("评语"), blank=True, help_text=_("质检员对通话的评语。"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("质检员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("评分的质检员。"),
    )
    sampled_at = models.DateTimeField(_("抽检时间"), help_text=_("抽入质检的时间。"))
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True, help_text=_("质检员评分的时间。"))
    appeal = models.TextField(
        _("申诉理由"), blank=True, help_text=_("坐席员对评分提出申诉的理由；每次质检只能申诉一次。")
    )
    appealed_at = models.DateTimeField(
        _("申诉时间"), null=True, blank=True, help_text=_("坐席员提出申诉的时间。")
    )
    appeal_note = models.TextField(
        _("申诉处理意见"), blank=True, help_text=_("主管对申诉的处理意见：维持或改分。")
    )
    decided_at = models.DateTimeField(
        _("申诉处理时间"), null=True, blank=True, help_text=_("主管处理申诉、定分的时间。")
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("质检")
        verbose_name_plural = _("质检")
        ordering = ["-sampled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_status_display()}"


class DispatchTicket(models.Model):
    """派单: a ticket an outside hotline (12345) dispatched to us through the link API, and the matter it became.
    Their system reads our reply (办结反馈: the matter's state and result) back with the same token."""

    hotline = models.ForeignKey(
        Unit,
        verbose_name=_("派单热线"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("派单的外部热线（如 12345 政务服务便民热线）。"),
    )
    ticket_no = models.CharField(
        _("外部工单号"), max_length=40, help_text=_("外部热线的工单号；同一热线的同一工单号只接收一次。")
    )
    matter = models.OneToOneField(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        related_name="dispatch_ticket",
        help_text=_("派单生成的事项；外部热线据此读取办结反馈。"),
    )
    received_at = models.DateTimeField(_("派单时间"), auto_now_add=True, help_text=_("收到派单的时间。"))

    class Meta:
        verbose_name = _("外部派单")
        verbose_name_plural = _("外部派单")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["hotline", "ticket_no"], name="hotline_dispatch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.hotline} {self.ticket_no}"
