"""Public accounts (/me/): the one-time codes that sign people in by mobile number, and real-name details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import mask_id_number, validate_id_number


class PhoneCode(models.Model):
    """A sign-in code sent by SMS to a mobile number. Only a keyed hash of the code is kept; every request is
    a row, so the rate limits (per number and per client address) hold across all web processes."""

    phone = models.CharField(
        _("手机号码"),
        max_length=11,
        help_text=_(
            "接收登录验证码的手机号码；同一号码 60 秒内只发一次、每小时最多 5 次（CITIZENS_SENDS_PER_HOUR）。"
        ),
    )
    code_hash = models.CharField(
        _("验证码摘要"), max_length=64, help_text=_("带密钥的哈希值；验证码本身不保存。")
    )
    ip = models.GenericIPAddressField(
        _("请求 IP 地址"),
        null=True,
        blank=True,
        help_text=_(
            "请求验证码的客户端 IP 地址；同一地址每小时最多 10 次（CITIZENS_SENDS_PER_HOUR_PER_IP）。"
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("已验证次数"),
        default=0,
        help_text=_("已输入验证码的次数；达到上限（默认 5 次，CITIZENS_CODE_ATTEMPTS）后验证码作废。"),
    )
    expires_at = models.DateTimeField(
        _("失效时间"), help_text=_("验证码失效的时间，发送后 10 分钟（CITIZENS_CODE_MINUTES）。")
    )
    used_at = models.DateTimeField(
        _("使用时间"), null=True, blank=True, help_text=_("登录成功的时间；验证码只能使用一次。")
    )
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The rate limits: codes per number and per client address in the last hour.
            models.Index(fields=["phone", "created_at"], name="citizens_code_phone_idx"),
            models.Index(fields=["ip", "created_at"], name="citizens_code_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class Profile(models.Model):
    """Real-name details (实名信息) of a public account. The name is ``User.display_name``; the ID number is
    encrypted at rest with a keyed hash beside it, so one ID number backs at most one account.

    The details are what the person states: a claim, never proof. Any account may state any valid ID number,
    and the answer is the same whether or not the number is registered (a form that refused a number "already
    registered" told anyone which numbers have an account). What counts is the link of the person record with
    that ID number to the account (``Person.user``): made on proof only — a code sent to the mobile number on
    that record (``IdClaimCode``, ``actions.request_claim_code``) or staff checking the identity document
    (``matters.actions.do_link_account``). Until then the account's requests go on a record of its own.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="profile"
    )
    id_number = crypto.EncryptedTextField(
        _("身份证号码"),
        blank=True,
        validators=[validate_id_number],
        help_text=_("加密保存；页面上只显示前六位和后四位。"),
    )
    id_number_hash = models.CharField(
        _("身份证号码索引"), max_length=64, blank=True, editable=False, help_text=_("带密钥的哈希值。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("实名信息")
        verbose_name_plural = _("实名信息")
        indexes = [models.Index(fields=["id_number_hash"], name="citizen_id_number_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class IdClaimCode(models.Model):
    """A request to prove that the account's stated ID number is the holder's own (认领档案): a code sent by SMS
    to the mobile number on the person record with that ID number. Every request is a row, sent or not: with no
    such record, no mobile number on it, or the record linked to another account, nothing is sent and the row
    can never match (``code_hash`` empty), so the answer to the citizen is the same in every case."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="id_claims"
    )
    id_number_hash = models.CharField(
        _("身份证号码索引"), max_length=64, help_text=_("认领时账号实名信息中的身份证号码的带密钥哈希值。")
    )
    person_id = models.PositiveIntegerField(
        _("服务对象档案"), null=True, blank=True, help_text=_("验证码发往其手机号码的档案；未发送为空。")
    )
    code_hash = models.CharField(
        _("验证码摘要"), max_length=64, blank=True, help_text=_("带密钥的哈希值；未发送验证码时为空。")
    )
    ip = models.GenericIPAddressField(
        _("请求 IP 地址"), null=True, blank=True, help_text=_("请求认领的客户端 IP 地址，用于按地址限流。")
    )
    attempts = models.PositiveSmallIntegerField(
        _("已验证次数"),
        default=0,
        help_text=_("已输入验证码的次数；达到上限（默认 5 次，CITIZENS_CODE_ATTEMPTS）后作废。"),
    )
    expires_at = models.DateTimeField(
        _("失效时间"), help_text=_("验证码失效的时间，发送后 10 分钟（CITIZENS_CODE_MINUTES）。")
    )
    used_at = models.DateTimeField(
        _("使用时间"),
        null=True,
        blank=True,
        help_text=_("认领成功、档案关联到本账号的时间；验证码只能使用一次。"),
    )
    created_at = models.DateTimeField(_("请求时间"), default=timezone.now)

    class Meta:
        verbose_name = _("档案认领验证码")
        verbose_name_plural = _("档案认领验证码")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="citizens_claim_user_idx"),
            models.Index(fields=["ip", "created_at"], name="citizens_claim_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class BrowserSession(models.Model):
    """A browser signed in to a public account (``/me/devices/``): written at sign-in, ended at sign-out — by
    the browser itself or from another device. The session itself lives in Django's session store; this row is
    what the person sees of it (when, from where, which browser) and the key to end it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="browser_sessions",
    )
    session_key = models.CharField(
        _("会话标识"),
        max_length=40,
        unique=True,
        help_text=_("Django 会话存储中的会话键；在“我的设备”中退出某台设备时据此删除该会话。"),
    )
    user_agent = models.CharField(
        _("浏览器"),
        max_length=200,
        blank=True,
        help_text=_("登录时浏览器报告的 User-Agent（截取前 200 字符），让本人认出是哪台设备。"),
    )
    ip = models.GenericIPAddressField(
        _("登录 IP 地址"),
        null=True,
        blank=True,
        help_text=_("登录时的客户端 IP 地址，在“我的设备”中显示给本人。"),
    )
    signed_in_at = models.DateTimeField(
        _("登录时间"), default=timezone.now, help_text=_("本设备登录的时间。")
    )
    ended_at = models.DateTimeField(
        _("退出时间"),
        null=True,
        blank=True,
        help_text=_("本设备退出的时间（本人退出，或在其他设备上将其退出）；为空表示仍在登录。"),
    )

    class Meta:
        verbose_name = _("浏览器登录")
        verbose_name_plural = _("浏览器登录")
        ordering = ["-signed_in_at", "-pk"]
        indexes = [models.Index(fields=["user", "ended_at"], name="citizens_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.signed_in_at:%Y-%m-%d %H:%M}"


class Consent(models.Model):
    """A person's consent to the processing of their personal information, one row each time it is given;
    withdrawing it dates the row (个人信息保护法 第十四条、第十五条). The rows are the record of what the person
    agreed to (``notice_version``: the 个人信息处理规则 shown) and when. See fawang/citizens/consent.py."""

    class Purpose(models.TextChoices):
        # 第十三条第一款第（一）项: processing on the basis of the person's consent.
        PERSONAL = "personal", _("个人信息处理")
        # 第二十九条: 处理敏感个人信息应当取得个人的单独同意 — the ID number.
        SENSITIVE = "sensitive", _("敏感个人信息（身份证号码）处理")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(
        _("同意事项"),
        max_length=16,
        choices=Purpose.choices,
        help_text=_(
            "同意处理个人信息（《个人信息保护法》第十三条第一款第（一）项），或单独同意处理身份证号码等敏感个人信息（第二十九条）。"
        ),
    )
    notice_version = models.CharField(
        _("规则版本"), max_length=20, help_text=_("同意时展示的《个人信息处理规则》的版本。")
    )
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now, help_text=_("本人勾选同意的时间。"))
    withdrawn_at = models.DateTimeField(
        _("撤回时间"),
        null=True,
        blank=True,
        help_text=_(
            "本人撤回同意的时间（《个人信息保护法》第十五条）；为空表示同意仍然有效。撤回不影响撤回前已进行的处理。"
        ),
    )

    class Meta:
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = _("个人信息处理同意")
        ordering = ["-given_at", "-pk"]
        constraints = [
            # At most one standing consent per person and purpose.
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="citizen_one_live_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.notice_version}"
