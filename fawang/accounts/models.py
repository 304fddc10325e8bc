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

    kind = models.CharField(
        _("用户类型"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.STAFF,
        help_text=_(
            "工作人员在管理后台办理事项（权限来自所在机构的任职）；公众用户只在门户查看本人事项和提交申请。"
        ),
    )
    display_name = models.CharField(
        _("姓名"),
        max_length=32,
        blank=True,
        help_text=_(
            "真实姓名，在工作台和办理记录中显示；为空时显示用户名。服务对象看到的是机构名称，不是工作人员姓名。"
        ),
    )
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
    totp_confirmed_at = models.DateTimeField(
        _("动态口令绑定时间"),
        null=True,
        blank=True,
        help_text=_("本人输入正确口令、确认绑定动态口令的时间；为空表示尚未启用双因素登录。"),
    )
    totp_last_step = models.BigIntegerField(
        _("最近使用的口令时段"),
        null=True,
        blank=True,
        help_text=_("最近一次验证通过的动态口令所属的 30 秒时段；同一口令不能再次使用。"),
    )
    password_changed_at = models.DateTimeField(
        _("密码修改时间"),
        null=True,
        blank=True,
        help_text=_("最近一次修改或重设密码的时间（写入审计记录）。"),
    )
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
    code_hash = models.CharField(
        _("恢复码摘要"),
        max_length=64,
        unique=True,
        help_text=_("恢复码的带密钥哈希值；恢复码只在生成时显示一次，本身不保存。"),
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    used_at = models.DateTimeField(
        _("使用时间"),
        null=True,
        blank=True,
        help_text=_("用恢复码登录的时间；每个恢复码只能使用一次，为空表示尚未使用。"),
    )

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class SignInThrottle(models.Model):
    """Failed sign-ins per user name *and client address*, whether or not the name exists, so a lockout
    reveals nothing and someone elsewhere cannot lock the account's owner out."""

    username = models.CharField(
        _("用户名与来源地址"),
        max_length=200,
        unique=True,
        help_text=_(
            "用户名加客户端地址：按“用户名 + 来源地址”计数，他人在别处输错密码不会锁住本人。用户名不存在也计数，锁定不泄露账号是否存在。"
        ),
    )
    failures = models.PositiveIntegerField(
        _("连续失败次数"),
        default=0,
        help_text=_(
            "连续输错密码或动态口令的次数，完整登录成功后清零；达到 LOGIN_MAX_FAILURES（默认 5）次起每次失败都会锁定。"
        ),
    )
    last_failure_at = models.DateTimeField(
        _("最近失败时间"), null=True, blank=True, help_text=_("最近一次失败的时间。")
    )
    locked_until = models.DateTimeField(
        _("锁定至"),
        null=True,
        blank=True,
        help_text=_(
            "锁定到期的时间：第一次锁定 1 分钟，之后每次加倍，最长 LOGIN_LOCKOUT_MINUTES；锁定期间不校验密码。"
        ),
    )

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return self.username

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))
