"""The notification outbox: one row per message to one person on one channel, with its delivery state.

A row is written in the same transaction as the change it reports (a matter accepted, a sign-in code asked
for); delivery happens afterwards through a pluggable sender (senders.py), with retries and a dead-letter
state (actions.py). Without a real gateway the local sender keeps the message here, where the person reads it
in their inbox and staff in the console outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fawang.lib.validators import mask_phone, validate_mobile

from . import kinds

if TYPE_CHECKING:
    from fawang.accounts.models import User


class MessageQuerySet(models.QuerySet["Message"]):
    def visible_to(self, user: User) -> MessageQuerySet:
        """Messages about what the user sees (a matter: who sees the matter); messages about nothing in
        particular with the 司法局 of their region; with no region only system-wide staff (notify/scopes.py)."""
        from .scopes import messages_filter

        return self.filter(messages_filter(user))

    def inbox_of(self, user: User) -> MessageQuerySet:
        """What a member of the public reads in their in-app inbox: their own delivered in-app and SMS messages."""
        return self.filter(
            user=user,
            channel__in=(Message.Channel.INAPP, Message.Channel.SMS),
            status=Message.Status.SENT,
        )

    def due(self, now: object) -> MessageQuerySet:
        return self.filter(status__in=Message.DUE_STATUSES, next_attempt_at__lte=now)


class Message(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        WECHAT = "wechat", _("微信")
        INAPP = "inapp", _("站内信")
        EMAIL = "email", _("邮件")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败（将重试）")
        DEAD = "dead", _("死信")

    # Rows a worker may claim. SENDING is in the due index too: a worker that died mid-send leaves its row
    # SENDING with an expired lease, and the periodic scan must find it (actions.recover_stale).
    DUE_STATUSES = (Status.QUEUED, Status.FAILED)
    INDEXED_STATUSES = (Status.QUEUED, Status.FAILED, Status.SENDING)

    channel = models.CharField(
        _("渠道"),
        max_length=8,
        choices=Channel.choices,
        help_text=_(
            "短信、微信、站内信或邮件；决定用哪一个收件字段（手机号码、OpenID、收件用户、邮箱）和由哪个发送通道投递。"
        ),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        # No index of its own: notify_message_inbox starts with it (one index fewer for every message).
        db_index=False,
        help_text=_("站内信必须有收件用户；短信等渠道有账号时也记录，便于本人在“我的消息”中查看。"),
    )
    phone = models.CharField(
        _("手机号码"), max_length=11, blank=True, validators=[validate_mobile], help_text=_("短信收件号码。")
    )
    openid = models.CharField(_("微信 OpenID"), max_length=64, blank=True, help_text=_("微信消息的收件人。"))
    email = models.EmailField(_("电子邮箱"), blank=True, help_text=_("邮件的收件地址。"))
    kind = models.CharField(
        _("消息类型"),
        max_length=40,
        db_index=True,
        help_text=_("简短代码，例如 matter.accepted（事项已受理）、otp.login（登录验证码）。"),
    )
    sensitive = models.BooleanField(
        _("敏感内容"),
        default=False,
        help_text=_("含验证码等秘密信息；工作人员看到的正文中数字以 * 代替，且不能重新发送。"),
    )
    subject = models.CharField(
        _("标题"),
        max_length=120,
        blank=True,
        help_text=_("站内信和邮件的标题；短信和微信不用。含验证码的消息对工作人员打码显示。"),
    )
    body = models.TextField(_("正文"), help_text=_("纯文本，显示时转义，不作为 HTML 解释。"))
    related_type = models.ForeignKey(
        ContentType,
        verbose_name=_("关联对象类型"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("消息所涉对象的类型（多为服务事项）；与关联对象编号一起决定谁能看到这条消息。"),
    )
    related_id = models.CharField(
        _("关联对象编号"),
        max_length=64,
        blank=True,
        help_text=_("消息所涉对象的主键，例如事项编号；看得到该事项的工作人员才看得到这条消息。"),
    )
    related = GenericForeignKey("related_type", "related_id")
    region_code = models.CharField(
        _("区划代码"),
        max_length=12,
        blank=True,
        help_text=_("关联对象所在区划；工作人员只能看到本人所在机构区划内的消息。为空时仅系统管理员可见。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=Status.choices,
        default=Status.QUEUED,
        help_text=_(
            "待发送、发送中、已发送、发送失败（将重试）或死信；发件箱按状态领取和重试（fawang/notify/actions.py）。"
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("已尝试次数"),
        default=0,
        help_text=_("已经尝试发送的次数；失败后按退避时间重试，达到最多尝试次数转为死信。"),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("最多尝试次数"),
        default=5,
        help_text=_("达到次数仍未发出的消息转为死信，由工作人员决定是否重新发送。"),
    )
    next_attempt_at = models.DateTimeField(
        _("下次尝试时间"),
        null=True,
        blank=True,
        help_text=_("待发送或失败的消息在此时间之后发送；发送中的消息在此时间之后视为超时。"),
    )
    last_error = models.TextField(
        _("最近错误"), blank=True, help_text=_("最近一次发送失败时服务商或网络返回的错误，便于排查。")
    )
    sent_at = models.DateTimeField(
        _("发送时间"), null=True, blank=True, help_text=_("发送成功的时间；为空表示尚未发出。")
    )
    provider_message_id = models.CharField(
        _("服务商消息编号"), max_length=100, blank=True, help_text=_("本地发件箱保存的消息为 local-编号。")
    )
    dedupe_key = models.CharField(
        _("去重键"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("同一事件重复入队（重发的回调、重复点击）只生成一条消息。"),
    )
    read_at = models.DateTimeField(
        _("阅读时间"),
        null=True,
        blank=True,
        help_text=_("收件人在“我的消息”中打开站内信的时间；为空表示未读。"),
    )
    requeued_at = models.DateTimeField(
        _("重新发送时间"), null=True, blank=True, help_text=_("工作人员将死信重新发送的时间。")
    )
    requeued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新发送人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # notify_message_requeued_by: only the messages that were requeued
        help_text=_("最近一次将死信重新发送的工作人员。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's scan: only rows still waiting are indexed, so the index stays small however many
            # messages have been sent.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "failed", "sending"]),
                name="notify_message_due",
            ),
            # Staff lists: a region-prefix range, newest first.
            models.Index(fields=["region_code", "created_at"], name="notify_message_region"),
            # A person's inbox, newest first.
            models.Index(fields=["user", "created_at"], name="notify_message_inbox"),
            # Empty on almost every message: partial, so a new message writes no entry (the deletion of a user
            # still finds the messages it requeued).
            models.Index(
                fields=["requeued_by"],
                condition=Q(requeued_by__isnull=False),
                name="notify_message_requeued_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.kind_label} · {self.recipient_masked}"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    @property
    def body_masked(self) -> str:
        """The body as staff may see it."""
        return kinds.mask_digits(self.body) if self.sensitive else self.body

    @property
    def subject_masked(self) -> str:
        return kinds.mask_digits(self.subject) if self.sensitive else self.subject

    @property
    def recipient_masked(self) -> str:
        """Where the message goes, as staff may see it in a list."""
        if self.channel == self.Channel.SMS:
            return mask_phone(self.phone)
        if self.channel == self.Channel.EMAIL:
            name, _at, domain = self.email.partition("@")
            return f"{name[:1]}***@{domain}" if domain else self.email
        if self.channel == self.Channel.WECHAT:
            return f"{self.openid[:4]}…" if self.openid else ""
        return ""

    @property
    def kept_locally(self) -> bool:
        return self.provider_message_id.startswith("local-")

    @property
    def status_badge(self) -> str:
        return {
            self.Status.SENT: "badge-ok",
            self.Status.FAILED: "badge-warn",
            self.Status.DEAD: "badge-danger",
            self.Status.SENDING: "badge-info",
        }.get(self.Status(self.status), "badge-muted")
