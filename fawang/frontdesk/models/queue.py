"""The queue at a service point (取号、叫号): tickets by service, staff posted to windows for a shift, the hall
display, and the window and clerk that took a matter in (岗位责任制).

A ``Ticket`` is numbered per point, day and service (A 综合, B 咨询, C 援助); priority tickets (an appointment, 60
or over, a disabled person, a pregnant woman: 适老化、无障碍) are called before ordinary ones of the same service.
A skipped ticket (过号) waits until N more tickets of its service have been called and then comes first again
among its rank. Tickets move only through fawang.frontdesk.actions.queue; each move writes a ``TicketEvent`` in
the same transaction. Tickets hold no personal data: the number, the service and the reason for priority.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.matters.models import Matter
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit, Window

from .appointments import Appointment

if TYPE_CHECKING:
    from fawang.accounts.models import User


class Service(models.TextChoices):
    """The queues of a point, one per kind of window (岗位): the letter before the number."""

    RECEPTION = Window.Kind.RECEPTION.value, _("综合接待")
    CONSULTATION = Window.Kind.CONSULTATION.value, _("法律咨询")
    LEGAL_AID = Window.Kind.LEGAL_AID.value, _("法律援助")


SERVICE_LETTERS = {Service.RECEPTION: "A", Service.CONSULTATION: "B", Service.LEGAL_AID: "C"}


class PostingQuerySet(models.QuerySet["Posting"]):
    def visible_to(self, user: User) -> PostingQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))

    def open(self) -> PostingQuerySet:
        return self.filter(ended_at__isnull=True)


class Posting(models.Model):
    """上岗: a staff member at a window for a shift. One open posting per window and per person."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("窗口所在的服务点。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        related_name="postings",
        help_text=_("上岗的窗口；每个窗口同时只有一个在岗人员。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        related_name="postings",
        help_text=_("上岗的工作人员；每人同时只在一个窗口上岗。"),
    )
    started_at = models.DateTimeField(_("上岗时间"), help_text=_("开始在此窗口上岗的时间。"))
    ended_at = models.DateTimeField(
        _("离岗时间"), null=True, blank=True, help_text=_("离岗时间；为空表示仍在岗。")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("离岗经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("本人离岗或由同事、管理员结束。"),
    )

    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("窗口上岗")
        verbose_name_plural = _("窗口上岗")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"], condition=Q(ended_at__isnull=True), name="frontdesk_one_posting_per_window"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_at__isnull=True), name="frontdesk_one_posting_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window} · {self.user}"


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user: User) -> TicketQuerySet:
        """Staff see the tickets of the points they reach (docs/authority.md); nobody else any."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(unit_ids_filter(user, "unit_id"))


class Ticket(models.Model):
    class Priority(models.TextChoices):
        NONE = "", _("普通")
        APPOINTMENT = "appointment", _("预约")
        ELDERLY = "elderly", _("60 周岁以上老年人")
        DISABLED = "disabled", _("残疾人")
        PREGNANT = "pregnant", _("孕妇")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("自助取号")
        DESK = "desk", _("窗口代取")
        APPOINTMENT = "appointment", _("预约签到")

    class Status(models.TextChoices):
        WAITING = "waiting", _("等候中")
        CALLED = "called", _("已叫号")
        SKIPPED = "skipped", _("过号待回")
        DONE = "done", _("已办结")
        MISSED = "missed", _("过号作废")

    # Tickets still in the hall: counted in "people ahead", shown on the display.
    OPEN_STATUSES = (Status.WAITING, Status.CALLED, Status.SKIPPED)
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.WAITING: frozenset({Status.CALLED}),
        # Transfer (转窗口) puts a called ticket back to waiting, reserved for the other window.
        Status.CALLED: frozenset({Status.CALLED, Status.SKIPPED, Status.DONE, Status.MISSED, Status.WAITING}),
        Status.SKIPPED: frozenset({Status.CALLED}),
        Status.DONE: frozenset(),
        Status.MISSED: frozenset(),
    }

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("取号的服务点，号码按服务点、日期、业务编号。"),
    )
    date = models.DateField(_("日期"), help_text=_("取号日期，序号每天从 1 开始。"))
    service = models.CharField(
        _("业务"),
        max_length=16,
        choices=Service.choices,
        help_text=_("综合接待（A）、法律咨询（B）、法律援助（C）；号码前的字母。"),
    )
    number = models.PositiveSmallIntegerField(_("序号"), help_text=_("服务点、日期、业务内顺序编号。"))
    priority = models.CharField(
        _("优先"),
        max_length=12,
        choices=Priority.choices,
        blank=True,
        default="",
        help_text=_("预约签到、60 周岁以上老年人、残疾人、孕妇优先叫号（适老化、无障碍）；普通为空。"),
    )
    source = models.CharField(
        _("取号方式"),
        max_length=12,
        choices=Source.choices,
        help_text=_("自助终端取号、窗口工作人员代取，或预约签到时自动取号。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=Status.choices,
        default=Status.WAITING,
        help_text=_("等候中、已叫号、过号待回为在厅号码；过号次数超过上限即作废。"),
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("预约"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
        help_text=_("预约签到时取的号对应的预约。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("叫号的窗口；等候中的号有窗口时表示已转至该窗口。"),
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("叫号人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("最近一次叫此号的窗口工作人员。"),
    )
    token = models.CharField(
        _("查询码"), max_length=32, unique=True, editable=False, help_text=_("手机查看排队进度的随机码。")
    )
    skips = models.PositiveSmallIntegerField(
        _("过号次数"),
        default=0,
        help_text=_("已过号的次数；超过设定上限（FRONTDESK_MAX_SKIPS，默认 2）即过号作废。"),
    )
    returns_at = models.PositiveIntegerField(
        _("回队叫号序数"),
        null=True,
        blank=True,
        help_text=_("过号后，本业务当日叫号达到此数时重新排入。"),
    )
    issued_at = models.DateTimeField(_("取号时间"), help_text=_("取号的时间，等候时长从此算起。"))
    first_called_at = models.DateTimeField(
        _("首次叫号时间"), null=True, blank=True, help_text=_("第一次叫号的时间；等候时长算到此时。")
    )
    called_at = models.DateTimeField(
        _("本次叫号时间"),
        null=True,
        blank=True,
        help_text=_("最近一次叫号（含重呼、过号回队后再叫）的时间；办理时长从此算起。"),
    )
    finished_at = models.DateTimeField(
        _("办结时间"), null=True, blank=True, help_text=_("办结或过号作废的时间。")
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("受理事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为此号受理登记的事项。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代取人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("自助取号时为空。"),
    )
    meeting_room = models.CharField(
        _("视频会议室"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("工作室终端发起的视频咨询：随机生成、不可猜测的会议室名称。"),
    )
    ip = models.GenericIPAddressField(
        _("取号终端地址"), null=True, blank=True, help_text=_("自助取号的客户端地址，用于限制频率。")
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["date", "service", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date", "service", "number"], name="frontdesk_ticket_number"
            )
        ]
        indexes = [models.Index(fields=["unit", "date", "status"], name="frontdesk_ticket_unit_day")]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{SERVICE_LETTERS.get(Service(self.service), '?')}{self.number:03d}"

    @property
    def meeting_open(self) -> bool:
        """A walk-in's video consultation (视频咨询) while the ticket is still in the hall."""
        return bool(self.meeting_room) and self.status in self.OPEN_STATUSES

    @property
    def is_priority(self) -> bool:
        return bool(self.priority)

    @property
    def wait_seconds(self) -> int | None:
        """From taking the number to the first call."""
        if self.first_called_at is None:
            return None
        return max(int((self.first_called_at - self.issued_at).total_seconds()), 0)

    @property
    def service_seconds(self) -> int | None:
        """From the last call to the end of the service at the window."""
        if self.finished_at is None or self.called_at is None:
            return None
        return max(int((self.finished_at - self.called_at).total_seconds()), 0)

    def allowed(self, new_status: str) -> bool:
        return new_status in self.TRANSITIONS.get(self.status, frozenset())


class TicketEvent(models.Model):
    class Action(models.TextChoices):
        ISSUE = "issue", _("取号")
        CALL = "call", _("叫号")
        RECALL = "recall", _("重呼")
        SKIP = "skip", _("过号")
        MISS = "miss", _("过号作废")
        TRANSFER = "transfer", _("转窗口")
        FINISH = "finish", _("办结")
        TAKE_IN = "take_in", _("受理登记")

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("排队号"),
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("此记录所属的排队号。"),
    )
    action = models.CharField(
        _("操作"),
        max_length=10,
        choices=Action.choices,
        help_text=_("取号、叫号、重呼、过号、作废、转窗口、办结或受理登记。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("叫号或转入的窗口。"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示自助终端或系统。"),
    )
    old_status = models.CharField(
        _("原状态"),
        max_length=8,
        choices=Ticket.Status.choices,
        blank=True,
        help_text=_("操作前的状态；取号时为空。"),
    )
    new_status = models.CharField(
        _("新状态"), max_length=8, choices=Ticket.Status.choices, help_text=_("操作后的状态。")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("转窗口原因等说明。"))
    created_at = models.DateTimeField(_("时间"), help_text=_("操作发生的时间。"))

    class Meta:
        verbose_name = _("排队记录")
        verbose_name_plural = _("排队记录")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["action", "created_at"], name="frontdesk_ticketevent_action")]

    def __str__(self) -> str:
        return f"{self.ticket.code} {self.get_action_display()}"

    @property
    def announcement(self) -> str:
        """What the hall hears: 请 B003 号到 2 号窗口办理."""
        if self.window is None:
            return ""
        return _("请 %(code)s 号到 %(window)s 号窗口办理") % {
            "code": self.ticket.code,
            "window": self.window.number,
        }


class HallDisplayQuerySet(models.QuerySet["HallDisplay"]):
    def visible_to(self, user: User) -> HallDisplayQuerySet:
        return self.filter(unit_ids_filter(user, "unit_id"))


class HallDisplay(models.Model):
    """大屏: a screen in the hall, opened by a link with an unguessable token (the TV signs in as nobody). The
    page shows only ticket numbers and windows, nothing personal; revoking the link stops it at once."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("服务点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("大屏所在的服务点，只显示本点的号码。"),
    )
    name = models.CharField(_("名称"), max_length=40, help_text=_("如“一楼大厅”。"))
    notice = models.CharField(
        _("滚动公告"), max_length=300, blank=True, help_text=_("大屏底部滚动显示的服务点公告。")
    )
    token = models.CharField(
        _("访问码"),
        max_length=48,
        unique=True,
        editable=False,
        help_text=_("大屏链接中的随机访问码（不可猜测）；大屏不登录。"),
    )
    is_active = models.BooleanField(_("有效"), default=True, help_text=_("撤销后链接立即失效。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("生成大屏链接的工作人员。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = HallDisplayQuerySet.as_manager()

    class Meta:
        verbose_name = _("叫号大屏")
        verbose_name_plural = _("叫号大屏")
        ordering = ["unit", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.name}"


class MatterDesk(models.Model):
    """岗位责任制: the window and the clerk that took a matter in, kept beside the Matter (matters has no such
    field; the front desk keeps it, keyed to the matter)."""

    matter = models.OneToOneField(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.CASCADE,
        related_name="desk_record",
        help_text=_("在窗口受理登记的事项。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("受理点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("受理事项的服务点。"),
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("受理窗口"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("受理时受理人员上岗的窗口（岗位责任制）。"),
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人员"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("在窗口受理登记的工作人员（岗位责任制）。"),
    )
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("排队号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("受理时正在办理的排队号；未取号直接受理时为空。"),
    )
    created_at = models.DateTimeField(_("受理时间"), help_text=_("窗口受理登记的时间。"))

    class Meta:
        verbose_name = _("窗口受理记录")
        verbose_name_plural = _("窗口受理记录")

    def __str__(self) -> str:
        return f"{self.matter} · {self.window}"


def seconds_label(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    return str(dt.timedelta(seconds=seconds))
