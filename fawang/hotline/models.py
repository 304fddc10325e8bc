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
    purpose = models.CharField(_("用途"), max_length=4, choices=Purpose.choices, default=Purpose.CTI)
    name = models.CharField(_("名称"), max_length=60)
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
    is_active = models.BooleanField(_("启用"), default=True)
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

    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="seats")
    extension = models.CharField(_("分机号"), max_length=10)
    queue = models.CharField(_("服务队列"), max_length=40, blank=True, help_text=_("留空：接听所有队列。"))
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签入坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_seat",
    )
    signed_in_at = models.DateTimeField(_("签入时间"), null=True, blank=True)

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
        CtiSystem, verbose_name=_("电话系统"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="+")
    call_id = models.CharField(_("呼叫标识"), max_length=64, help_text=_("电话系统给出的 callId。"))
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices, default=Direction.IN)
    caller = crypto.EncryptedTextField(_("来电号码"), blank=True, help_text=_("加密保存；页面上只显示掩码。"))
    caller_hash = models.CharField(_("来电号码索引"), max_length=64, blank=True, editable=False)
    callee = models.CharField(_("被叫号码"), max_length=20, blank=True)
    queue = models.CharField(_("队列"), max_length=40, blank=True, help_text=_("IVR 选择的服务队列。"))
    extension = models.CharField(_("接听分机"), max_length=10, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RINGING)
    rang_at = models.DateTimeField(_("振铃时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("接听时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("挂机时间"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("等待秒数"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("通话秒数"), null=True, blank=True)
    cause = models.CharField(_("挂机原因"), max_length=20, blank=True)
    recording_url = models.URLField(_("录音地址"), max_length=500, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度按键"), null=True, blank=True, help_text=_("通话后 IVR 评价：1 满意，2 基本满意，3 不满意。")
    )
    wrap_code = models.CharField(_("小结类型"), max_length=12, choices=Wrap.choices, blank=True)
    wrap_notes = models.TextField(_("小结备注"), blank=True)
    wrapped_at = models.DateTimeField(_("小结时间"), null=True, blank=True)
    matters = models.ManyToManyField(Matter, verbose_name=_("产生的事项"), blank=True, related_name="calls")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

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

    call = models.ForeignKey(Call, verbose_name=_("来电"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
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
        Call, verbose_name=_("来电"), on_delete=models.CASCADE, related_name="callback"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="+")
    queue = models.CharField(_("队列"), max_length=40, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回拨坐席员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("回拨时限"))
    done_at = models.DateTimeField(_("回拨时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回拨人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("回拨结果"), max_length=14, choices=Outcome.choices, blank=True)
    note = models.TextField(_("回拨记录"), blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("回拨次数"), default=0, help_text=_("已拨打的次数（工作台外呼和话机直拨都计入）。")
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

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
        CallbackTask, verbose_name=_("回拨任务"), on_delete=models.CASCADE, related_name="tries"
    )
    seq = models.PositiveSmallIntegerField(_("第几次"))
    dial_id = models.CharField(
        _("外呼标识"), max_length=64, unique=True, help_text=_("外呼电话的 callId（以 fw-cb- 开头）。")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension = models.CharField(_("外呼分机"), max_length=10, blank=True)
    dial = models.CharField(_("外呼请求"), max_length=10, choices=Dial.choices)
    dial_detail = models.CharField(_("外呼接口回复"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("发起时间"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("外呼电话"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("电话系统报告的这次外呼（呼出方向）。"),
    )
    outcome = models.CharField(_("结果"), max_length=14, choices=CallbackTask.Outcome.choices, blank=True)
    note = models.TextField(_("记录"), blank=True)
    recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)

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
        "matters.Callback", verbose_name=_("回访任务"), on_delete=models.CASCADE, related_name="+"
    )
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+")
    system = models.ForeignKey(
        CtiSystem,
        verbose_name=_("电话系统"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seq = models.PositiveSmallIntegerField(_("第几次"))
    dial_id = models.CharField(
        _("外呼标识"), max_length=64, unique=True, help_text=_("外呼电话的 callId（以 fw-fu- 开头）。")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension = models.CharField(_("外呼分机"), max_length=10, blank=True)
    dial = models.CharField(_("外呼请求"), max_length=10, choices=CallbackAttempt.Dial.choices)
    dial_detail = models.CharField(_("外呼接口回复"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("发起时间"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("外呼电话"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("电话系统报告的这次外呼（呼出方向）。"),
    )
    outcome = models.CharField(_("结果"), max_length=14, choices=Outcome.choices, blank=True)
    recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)

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
        Unit, verbose_name=_("热线中心"), on_delete=models.CASCADE, related_name="hotline_settings"
    )
    service_hours = models.CharField(
        _("人工服务时间"),
        max_length=100,
        default="工作日 08:30–12:00、14:30–17:30",
        help_text=_("IVR 播报和门户显示的人工坐席服务时间；其余时间转值班律师或留言回拨。"),
    )
    ivr_welcome = models.TextField(_("IVR 欢迎语"), blank=True, default="您好，这里是12348公共法律服务热线。")
    ivr_after_hours = models.TextField(
        _("非服务时间提示语"),
        blank=True,
        default="现在是非人工服务时间，请留下您的电话，我们将在工作时间内回拨。",
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

    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("队列名称"), max_length=40, help_text=_("与电话系统推送的 queue 一致。"))
    digit = models.CharField(_("IVR 按键"), max_length=1, help_text=_("0–9。"))
    menu_text = models.CharField(_("IVR 菜单语"), max_length=200)
    topics = models.ManyToManyField(
        "orgs.Speciality", verbose_name=_("技能（领域）"), blank=True, related_name="+"
    )
    dialects = models.JSONField(_("方言"), default=list, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

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

    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("值班人员"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    slot = models.CharField(_("时段"), max_length=10, choices=DutySlot.choices)
    topics = models.ManyToManyField(
        "orgs.Speciality",
        verbose_name=_("擅长领域"),
        blank=True,
        related_name="+",
        help_text=_("留空：所有领域。"),
    )
    dialects = models.JSONField(_("方言"), default=list, blank=True, help_text=_("除普通话外可用的方言。"))
    created_at = models.DateTimeField(_("排班时间"), auto_now_add=True)

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
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duty_referrals",
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
    )
    dialect = models.CharField(_("方言"), max_length=10, choices=Dialect.choices, blank=True)
    rule = models.CharField(
        _("匹配规则"), max_length=60, help_text=_("按领域和方言、仅按领域或任一值班人员。")
    )
    note = models.TextField(_("转接说明"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转接人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_at = models.DateTimeField(_("转接时间"))
    status = models.CharField(_("状态"), max_length=6, choices=Status.choices, default=Status.OPEN)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_note = models.TextField(_("处理情况"), blank=True)

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

    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("质检项"), max_length=40)
    max_score = models.PositiveSmallIntegerField(_("满分"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

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

    call = models.OneToOneField(Call, verbose_name=_("来电"), on_delete=models.CASCADE, related_name="review")
    unit = models.ForeignKey(Unit, verbose_name=_("热线中心"), on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("坐席员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("抽检原因"), max_length=12, choices=Reason.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SAMPLED)
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    max_total = models.PositiveSmallIntegerField(_("满分"), null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("质检员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sampled_at = models.DateTimeField(_("抽检时间"))
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    appeal = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appeal_note = models.TextField(_("申诉处理意见"), blank=True)
    decided_at = models.DateTimeField(_("申诉处理时间"), null=True, blank=True)

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

    hotline = models.ForeignKey(Unit, verbose_name=_("派单热线"), on_delete=models.PROTECT, related_name="+")
    ticket_no = models.CharField(_("外部工单号"), max_length=40)
    matter = models.OneToOneField(
        Matter, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="dispatch_ticket"
    )
    received_at = models.DateTimeField(_("派单时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部派单")
        verbose_name_plural = _("外部派单")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["hotline", "ticket_no"], name="hotline_dispatch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.hotline} {self.ticket_no}"
