"""Appointments at service points (预约办理) and prison remote-visit bookings (监所远程探视预约).

A unit admin sets a weekly schedule per window (or for the whole point): time ranges per weekday, slot length,
places per slot, the service items that can be booked, and exceptions (a closed day, extra hours). The slots of
the next days are rows (``Slot``), derived from the schedule and the working-day calendar (slots.py), so that a
place is taken by one conditional UPDATE of a counter (``booked < capacity``): two people booking the last
place cannot both win, on SQLite or on PostgreSQL.

An ``Appointment`` moves only through fawang.frontdesk.actions; every move writes an ``AppointmentEvent`` in the
same transaction. A remote visit is an appointment with a ``RemoteVisit`` beside it (inmate, prison, relation,
the visitor's ID number encrypted) that staff of the point review before it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.calendar.models import WEEKDAY_NAMES
from fawang.catalog.models import BusinessLine, Channel, ServiceItem
from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, mask_phone, validate_id_number
from fawang.matters.models import Matter
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit, Window

if TYPE_CHECKING:
    from fawang.accounts.models import User

# Weekly rules are for Monday–Friday: appointments are not offered on rest days (a Saturday service is an
# "extra hours" exception, a make-up working day follows the weekday named on the schedule).
WORKING_WEEKDAYS = [(i, WEEKDAY_NAMES[i]) for i in range(5)]


# --------------------------------------------------------------------------------------------- schedules


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    def visible_to(self, user: User) -> ScheduleQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))

    def active(self) -> ScheduleQuerySet:
        return self.filter(is_active=True, unit__is_active=True)


class Schedule(models.Model):
    """预约排班: the weekly appointment schedule of one window of a service point, or of the whole point. A
    schedule in 视频咨询 mode books video consultations (音频视频咨询): each booking gets a meeting link
    (fawang/frontdesk/video.py) instead of a place at the window."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("现场办理")
        VIDEO = "video", _("视频咨询")

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="appointment_schedules",
        help_text=_("公共法律服务中心、工作站或工作室。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_schedules",
        help_text=_("为空表示整个服务点（例如远程探视室）。"),
    )
    name = models.CharField(
        _("名称"), max_length=40, help_text=_("公众预约时看到的名称，如“综合窗口”“远程视频探视”。")
    )
    mode = models.CharField(
        _("预约方式"),
        max_length=8,
        choices=Mode.choices,
        default=Mode.ONSITE,
        help_text=_("视频咨询：预约后双方通过同一视频会议链接咨询，无需到场。"),
    )
    service_items = models.ManyToManyField(
        ServiceItem,
        verbose_name=_("可预约事项"),
        related_name="+",
        help_text=_("公众可以预约办理的服务事项。"),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("时段长度（分钟）"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
        help_text=_("每个预约时段的长度，每周时段按此切分（10 至 240 分钟）。"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("每时段名额"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("同一时段最多接受的预约数。"),
    )
    days_ahead = models.PositiveSmallIntegerField(
        _("开放预约天数"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("公众可以预约今天起多少天内的时段。"),
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("最少提前（小时）"),
        default=0,
        validators=[MaxValueValidator(168)],
        help_text=_("时段开始前至少提前多少小时预约；远程探视须留出审核时间，建议 24。"),
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("取消、改约截止（小时）"),
        default=2,
        validators=[MaxValueValidator(72)],
        help_text=_("时段开始前多少小时内不能再取消或改约。"),
    )
    makeup_weekday = models.PositiveSmallIntegerField(
        _("调休上班日按"),
        choices=WORKING_WEEKDAYS,
        default=0,
        help_text=_("调休上班日（周末上班）按星期几的时段开放预约。"),
    )
    is_active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后不再生成新时段，公众也不能再预约此排班。")
    )
    derived_through = models.DateField(
        _("时段已生成至"), null=True, blank=True, editable=False, help_text=_("最近一次生成时段的最后一天。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约排班")
        verbose_name_plural = _("预约排班")
        ordering = ["unit", "window__number", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.name}"

    @property
    def place_label(self) -> str:
        """Where the person goes: the window, or the point itself."""
        if self.window_id and self.window:
            return str(self.window)
        return self.name


class WeeklyRule(models.Model):
    """One time range on one weekday, cut into slots of the schedule's length."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("预约排班"), on_delete=models.CASCADE, related_name="rules"
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期"),
        choices=WORKING_WEEKDAYS,
        help_text=_("周一至周五；周末开放用“加开时段”例外，调休上班日按排班指定的星期。"),
    )
    start_time = models.TimeField(
        _("开始时间"), help_text=_("当天可预约时间段的开始，按排班的时段长度切分。")
    )
    end_time = models.TimeField(_("结束时间"), help_text=_("当天可预约时间段的结束，须晚于开始时间。"))

    class Meta:
        verbose_name = _("每周时段")
        verbose_name_plural = _("每周时段")
        ordering = ["schedule", "weekday", "start_time"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("结束时间应晚于开始时间。")})


class ScheduleException(models.Model):
    """A closed day (停止预约) or extra hours (加开时段) on one date, overriding the weekly rules."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("停止预约")
        EXTRA = "extra", _("加开时段")

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("预约排班"), on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("日期"), help_text=_("例外适用的日期，优先于每周时段。"))
    kind = models.CharField(
        _("类型"),
        max_length=8,
        choices=Kind.choices,
        help_text=_("停止预约：当天不开放，已有预约取消并通知；加开时段：在每周时段之外另开。"),
    )
    start_time = models.TimeField(_("开始时间"), null=True, blank=True, help_text=_("加开时段必填。"))
    end_time = models.TimeField(_("结束时间"), null=True, blank=True, help_text=_("加开时段必填。"))
    note = models.CharField(
        _("说明"),
        max_length=200,
        blank=True,
        help_text=_("如“系统维护，暂停预约”；停止预约时写入给预约人的取消通知。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("设置此例外的工作人员。"),
    )
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排班例外")
        verbose_name_plural = _("排班例外")
        ordering = ["schedule", "date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "date"], condition=Q(kind="closed"), name="frontdesk_one_closed_day"
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.EXTRA and self.start_time and self.end_time:
            return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class SlotQuerySet(models.QuerySet["Slot"]):
    def visible_to(self, user: User) -> SlotQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))

    def bookable(self) -> SlotQuerySet:
        """Open slots with a place left (the time rules are checked by the actions, against ``now``)."""
        return self.filter(is_open=True, booked__lt=models.F("capacity"), schedule__is_active=True)


class Slot(models.Model):
    """One bookable time slot of a schedule on one day. ``booked`` counts the appointments holding a place
    (待审核 and 已预约); it only ever changes by conditional UPDATE in the actions."""

    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("预约排班"),
        on_delete=models.PROTECT,
        related_name="slots",
        help_text=_("生成此时段的排班。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("排班所属服务点（冗余保存，便于按单位筛选）。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("排班所属窗口；为空表示整个服务点。"),
    )
    date = models.DateField(_("日期"), help_text=_("时段所在的日期（当地时间）。"))
    starts_at = models.DateTimeField(
        _("开始时间"), help_text=_("时段开始时刻，按排班每周时段和工作日历生成。")
    )
    ends_at = models.DateTimeField(_("结束时间"), help_text=_("时段结束时刻：开始时刻加排班的时段长度。"))
    capacity = models.PositiveSmallIntegerField(
        _("名额"), help_text=_("本时段可接受的预约数，生成时取自排班的每时段名额。")
    )
    booked = models.PositiveSmallIntegerField(_("已约"), default=0, help_text=_("占用名额的有效预约数。"))
    is_open = models.BooleanField(
        _("开放预约"), default=True, help_text=_("排班调整或停止预约后，已有预约的时段保留但不再接受新预约。")
    )

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["starts_at", "schedule_id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "starts_at"], name="frontdesk_slot_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "date"], name="frontdesk_slot_unit_date"),
            models.Index(fields=["date"], name="frontdesk_slot_date"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.name} {self.label}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def label(self) -> str:
        from django.utils import timezone

        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d} {WEEKDAY_NAMES[start.weekday()]} {start:%H:%M}-{end:%H:%M}"

    @property
    def time_label(self) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(self.starts_at):%H:%M}-{timezone.localtime(self.ends_at):%H:%M}"


# --------------------------------------------------------------------------------------------- appointments


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: User) -> AppointmentQuerySet:
        """Staff see the appointments of the service points they reach (docs/authority.md); nobody else any."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(unit_ids_filter(user, "unit_id"))

    def of_user(self, user: User) -> AppointmentQuerySet:
        """A member of the public's own bookings."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self) -> AppointmentQuerySet:
        return self.filter(status__in=Appointment.ACTIVE_STATUSES)


class Appointment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        BOOKED = "booked", _("已预约")
        REFUSED = "refused", _("未通过审核")
        CANCELLED = "cancelled", _("已取消")
        CHECKED_IN = "checked_in", _("已签到")
        NO_SHOW = "no_show", _("爽约")
        TAKEN_IN = "taken_in", _("已受理")

    # These hold a place in their slot (Slot.booked counts them).
    ACTIVE_STATUSES = (Status.PENDING, Status.BOOKED)
    # Allowed moves, enforced by actions.check_transition. PENDING/BOOKED -> PENDING/BOOKED: a reschedule (a
    # remote visit goes back to review for its new time).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.PENDING, Status.BOOKED, Status.REFUSED, Status.CANCELLED}),
        Status.BOOKED: frozenset(
            {Status.BOOKED, Status.PENDING, Status.CANCELLED, Status.CHECKED_IN, Status.NO_SHOW}
        ),
        Status.CHECKED_IN: frozenset({Status.TAKEN_IN}),
        Status.REFUSED: frozenset(),
        Status.CANCELLED: frozenset(),
        # A person marked 爽约 who turns up later the same day is still checked in (the mark is withdrawn).
        Status.NO_SHOW: frozenset({Status.CHECKED_IN}),
        Status.TAKEN_IN: frozenset(),
    }

    number = models.CharField(
        _("预约号"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("YY + 年月日 + 6 位随机字符；不按顺序编号。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约账号"),
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("预约人的公众账号。"),
    )
    name = models.CharField(_("预约人姓名"), max_length=32, help_text=_("预约时账号的实名。"))
    phone = models.CharField(_("联系电话"), max_length=11, help_text=_("预约时账号的手机号码，用于通知。"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("预约办理的服务点（时段所属服务点）。"),
    )
    slot = models.ForeignKey(
        Slot,
        verbose_name=_("预约时段"),
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("预约占用名额的时段；改约后为新时段。"),
    )
    service_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("预约事项"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("预约办理的服务事项，须在排班的可预约事项中。"),
    )
    reason = models.TextField(_("预约事由"), max_length=1000, help_text=_("纯文本；显示时转义。"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=Status.choices,
        default=Status.BOOKED,
        help_text=_("待审核、已预约占用时段名额；远程探视须经服务点审核才成为已预约。"),
    )
    channel = models.CharField(
        _("预约渠道"),
        max_length=8,
        choices=Channel.choices,
        default=Channel.WEB,
        help_text=_("网上预约的来源：网站、APP 或微信。"),
    )
    matter = models.OneToOneField(
        Matter,
        verbose_name=_("受理事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
        help_text=_("签到后在窗口受理登记的事项。"),
    )
    idempotency_key = models.CharField(
        _("幂等键"),
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("表单或接口提交的防重键：重复提交返回第一次的预约，不重复占名额。"),
    )
    meeting_room = models.CharField(
        _("视频会议室"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("视频咨询的会议室名称（随机生成，不可猜测）；现场预约为空。"),
    )
    reminder_sent_at = models.DateTimeField(
        _("提醒发送时间"), null=True, blank=True, help_text=_("前一天的预约提醒；改约后重新提醒。")
    )
    checked_in_at = models.DateTimeField(
        _("签到时间"), null=True, blank=True, help_text=_("到窗口签到的时间。")
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("办理签到的窗口工作人员。"),
    )
    cancelled_at = models.DateTimeField(
        _("取消时间"), null=True, blank=True, help_text=_("预约人取消或停止预约导致取消的时间。")
    )
    cancel_reason = models.CharField(
        _("取消原因"), max_length=200, blank=True, help_text=_("取消的原因，如停止预约的说明。")
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # No two active bookings of one person in the same slot (the action says so in Chinese first).
            models.UniqueConstraint(
                fields=["user", "slot"],
                condition=Q(status__in=("pending", "booked")),
                name="frontdesk_one_active_per_slot",
            )
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="frontdesk_appt_user_status"),
            models.Index(fields=["slot", "status"], name="frontdesk_appt_slot_status"),
            models.Index(fields=["unit", "status"], name="frontdesk_appt_unit_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_remote_visit(self) -> bool:
        """A 监所远程探视 booking (it has a RemoteVisit row and needs review)."""
        return self.service_item.business_line == BusinessLine.REMOTE_VISIT

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_video(self) -> bool:
        """A video consultation (视频咨询): it has a meeting room."""
        return bool(self.meeting_room)

    @property
    def meeting_open(self) -> bool:
        """The link is shown while the consultation stands (booked, or checked in when the call started)."""
        return self.is_video and self.status in (self.Status.BOOKED, self.Status.CHECKED_IN)

    def allowed(self, new_status: str) -> bool:
        return new_status in self.TRANSITIONS.get(self.status, frozenset())


class AppointmentEvent(models.Model):
    """One change of an appointment: who, when, from which status and slot to which, why."""

    class Action(models.TextChoices):
        BOOK = "book", _("预约")
        APPROVE = "approve", _("审核通过")
        REFUSE = "refuse", _("审核未通过")
        RESCHEDULE = "reschedule", _("改约")
        CANCEL = "cancel", _("取消")
        CHECK_IN = "check_in", _("签到")
        NO_SHOW = "no_show", _("标记爽约")
        TAKE_IN = "take_in", _("受理")
        REMIND = "remind", _("发送提醒")

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("操作"),
        max_length=12,
        choices=Action.choices,
        help_text=_("这一步做了什么：预约、审核、改约、取消、签到、爽约、受理或提醒。"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示系统。"),
    )
    old_status = models.CharField(
        _("原状态"),
        max_length=12,
        choices=Appointment.Status.choices,
        blank=True,
        help_text=_("操作前的状态；首次预约为空。"),
    )
    new_status = models.CharField(
        _("新状态"), max_length=12, choices=Appointment.Status.choices, help_text=_("操作后的状态。")
    )
    old_slot = models.ForeignKey(
        Slot,
        verbose_name=_("原时段"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("改约前的时段。"),
    )
    new_slot = models.ForeignKey(
        Slot,
        verbose_name=_("新时段"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("改约后的时段，或预约的时段。"),
    )
    note = models.CharField(
        _("说明"), max_length=500, blank=True, help_text=_("审核意见、取消原因等随操作记录的说明。")
    )
    created_at = models.DateTimeField(_("时间"), help_text=_("操作发生的时间。"))

    class Meta:
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment.number} {self.get_action_display()}"


class RemoteVisit(models.Model):
    """监所远程探视预约: a relative books a video visit with a person held in a prison or detention centre.

    Who may visit: 监狱法 第四十八条 (罪犯在监狱服刑期间，按照规定，可以会见亲属、监护人) and 看守所条例 第二十八条
    (人犯在羁押期间，经办案机关同意，并经公安机关批准，可以与近亲属通信、会见). Staff of the point review the
    booking (relation, identity) with the prison before it stands. The visitor's ID number is encrypted at rest
    with a keyed hash beside it, shown masked; the full number only through a logged reveal.
    """

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        PARENT = "parent", _("父母")
        CHILD = "child", _("子女")
        SIBLING = "sibling", _("兄弟姐妹")
        GRANDPARENT = "grandparent", _("祖父母、外祖父母")
        GRANDCHILD = "grandchild", _("孙子女、外孙子女")
        GUARDIAN = "guardian", _("监护人")

    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("预约"),
        on_delete=models.CASCADE,
        related_name="remote_visit",
        help_text=_("此探视所属的预约（预约事项为监所远程探视）。"),
    )
    prison = models.ForeignKey(
        Unit,
        verbose_name=_("监所"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.PRISON},
        help_text=_("被探视人所在的监狱或看守所。"),
    )
    inmate_name = models.CharField(
        _("被探视人姓名"),
        max_length=32,
        help_text=_("在监狱服刑或在看守所羁押的被探视人姓名，审核时与监所核对。"),
    )
    relation = models.CharField(
        _("与被探视人关系"),
        max_length=12,
        choices=Relation.choices,
        help_text=_("可探视的亲属或监护人（《监狱法》第四十八条；《看守所条例》第二十八条为近亲属）。"),
    )
    id_number = crypto.EncryptedTextField(
        _("探视人身份证号码"),
        validators=[validate_id_number],
        help_text=_("加密保存；列表中只显示前六位和后四位。"),
    )
    id_number_hash = models.CharField(
        _("身份证号码索引"), max_length=64, editable=False, help_text=_("带密钥的哈希值。")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("与监所核对关系、身份后作出审核的服务点工作人员。"),
    )
    reviewed_at = models.DateTimeField(
        _("审核时间"), null=True, blank=True, help_text=_("审核通过或未通过的时间。")
    )
    review_note = models.CharField(
        _("审核意见"), max_length=500, blank=True, help_text=_("未通过时必填，告知预约人。")
    )

    class Meta:
        verbose_name = _("监所远程探视预约")
        verbose_name_plural = _("监所远程探视预约")

    def __str__(self) -> str:
        return f"{self.appointment.number} → {self.inmate_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hash column must always agree with the encrypted one: a model invariant, not workflow.
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_hash = crypto.lookup_hash(self.id_number)
        super().save(*args, **kwargs)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)
