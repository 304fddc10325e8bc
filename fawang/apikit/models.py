"""Access tokens for apps (mobile app, WeChat mini-program, integrations) and the record of idempotent creates.

A token is shown once, when ``create_api_token`` makes it; only its SHA-256 is stored, so a database leak does
not leak working tokens (a token is 40 random bytes, so a fast hash is enough: nothing to brute-force).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "fw_"  # noqa: S105 - a marker that makes leaked tokens easy to find, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """An app's access token, acting as ``user`` (so it sees exactly what that user sees in the console)."""

    name = models.CharField(_("名称"), max_length=100, help_text=_("用途，例如“移动端 APP”“小程序”。"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("所属用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("令牌以该用户的身份访问接口，看到和能做的与该用户在工作台或门户中完全相同。"),
    )
    token_hash = models.CharField(
        _("令牌摘要"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("令牌的 SHA-256 摘要；令牌原文只在签发时显示一次，本身不保存。"),
    )
    prefix = models.CharField(
        _("令牌前缀"), max_length=12, editable=False, help_text=_("令牌的前几位，便于辨认；不能用于访问。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(
        _("最近使用时间"),
        null=True,
        blank=True,
        help_text=_(
            "令牌最近一次通过认证的时间（每分钟最多更新一次）；公众令牌 30 天未使用即失效，工作人员令牌 90 天"
            "（API_TOKEN_IDLE_DAYS、API_STAFF_TOKEN_IDLE_DAYS）。"
        ),
    )
    revoked_at = models.DateTimeField(
        _("吊销时间"),
        null=True,
        blank=True,
        help_text=_("吊销的时间（本人退出或在“我的设备”中吊销，或管理员吊销）；吊销后令牌立即不能使用。"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user``; returns the row and the raw token, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(40)
        token = cls.objects.create(user=user, name=name, token_hash=hash_token(raw), prefix=raw[:10])
        return token, raw

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotencyRecord(models.Model):
    """The first successful answer to a create sent with an ``Idempotency-Key``; a resend gets it again."""

    scope = models.CharField(_("调用方"), max_length=80, help_text=_("“u:用户编号”，未登录时为“ip:地址”。"))
    key = models.CharField(
        _("幂等键"),
        max_length=100,
        help_text=_(
            "调用方在 Idempotency-Key 请求头中给出的键（最长 100 字符）；同一调用方、同一接口重发相同的键，返回第一次的响应，不会重复办理。"
        ),
    )
    endpoint = models.CharField(
        _("接口"), max_length=200, help_text=_("请求的接口路径；幂等键只在同一接口内有效。")
    )
    request_hash = models.CharField(
        _("请求摘要"),
        max_length=64,
        help_text=_("第一次请求内容的 SHA-256；相同的键带着不同的内容重发时拒绝（409）。"),
    )
    status = models.PositiveSmallIntegerField(
        _("响应状态码"), help_text=_("第一次成功处理时的 HTTP 状态码，重发时原样返回。")
    )
    body = models.JSONField(
        _("响应内容"),
        default=dict,
        blank=True,
        help_text=_("第一次成功处理时的响应内容（JSON），重发时原样返回。"),
    )
    body_hash = models.CharField(
        _("响应摘要"), max_length=64, help_text=_("保存时计算的响应内容 SHA-256 摘要。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [
            models.UniqueConstraint(fields=["scope", "endpoint", "key"], name="api_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.endpoint} {self.key}"
