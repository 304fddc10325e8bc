"""Staff and public users; sign-in throttling; second factor (TOTP)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib import crypto
from fawang.lib.validators import validate_mobile


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", _("工作人员")
        PUBLIC = "public", _("公众用户")

    kind = models.CharField(_("用户类型"), max_length=8, choices=Kind.choices, default=Kind.STAFF)
    display_name = models.CharField(_("姓名"), max_length=32, blank=True)
    phone = models.CharField(
        _("手机号码"), max_length=11, blank=True, validators=[validate_mobile], help_text=_("11 位手机号码。")
    )
    # Encrypted with the field key (fawang.lib.crypto): a copy of the database alone yields no second factor.
    totp_secret = crypto.EncryptedTextField(
        _("动态口令密钥"),
        blank=True,
        default="",
        help_text=_("基于时间的一次性口令（TOTP）密钥，加密保存；为空表示未绑定。"),
    )
    totp_confirmed_at = models.DateTimeField(_("动态口令绑定时间"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(
        _("最近使用的口令时段"),
        null=True,
        blank=True,
        help_text=_("最近一次验证通过的动态口令所属的 30 秒时段；同一口令不能再次使用。"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("新建账号或管理员重设密码后，本人下次登录须先修改密码。"),
    )
    is_demo = models.BooleanField(
        _("演示账号"),
        default=False,
        help_text=_("由演示数据建立；只在演示模式下，动态口令页面会显示当前口令。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class RecoveryCode(models.Model):
    """One-time recovery codes for a lost authenticator; only a hash is stored, each works once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("用户")
    )
    code_hash = models.CharField(_("恢复码摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class SignInThrottle(models.Model):
    """Failed sign-ins per user name *and client address*, whether or not the name exists, so a lockout
    reveals nothing and someone elsewhere cannot lock the account's owner out."""

    username = models.CharField(_("用户名与来源地址"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return self.username

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))
