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
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("令牌前缀"), max_length=12, editable=False, help_text=_("令牌的前几位，便于辨认；不能用于访问。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

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
    key = models.CharField(_("幂等键"), max_length=100)
    endpoint = models.CharField(_("接口"), max_length=200)
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    status = models.PositiveSmallIntegerField(_("响应状态码"))
    body = models.JSONField(_("响应内容"), default=dict, blank=True)
    body_hash = models.CharField(_("响应摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [
            models.UniqueConstraint(fields=["scope", "endpoint", "key"], name="api_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.endpoint} {self.key}"
