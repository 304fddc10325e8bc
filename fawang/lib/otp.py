"""One-time codes sent by SMS, in one place for every use: the citizens' sign-in (fawang.citizens.actions) and
tracking a matter without an account (fawang.matters.actions.public_tracking).

A code is six digits, kept only as a keyed hash (``code_hash(salt, key, code)``: ``key`` is what the code is
for, a phone number or a tracking number). Its row (each app has its own model with the fields ``code_hash``,
``attempts``, ``used_at``, ``expires_at`` and ``created_at``) is checked by ``check_latest``: only the latest code
for the key counts, once, before it expires, within ``attempts`` tries. Every try is counted and committed before
the error is raised, so making the request fail cannot reset the count.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(salt: str, key: str, code: str) -> str:
    return salted_hmac(salt, f"{key}:{code}", algorithm="sha256").hexdigest()


def clean_code(code: str) -> str:
    """The code as typed, without spaces; a ValidationError unless it is six digits."""
    code = "".join((code or "").split())
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        raise ValidationError(_("请输入短信中的 6 位数字验证码。"), code="bad_code_format")
    return code


def check_latest(
    rows: models.QuerySet[Any],
    *,
    salt: str,
    key: str,
    code: str,
    now: dt.datetime,
    attempts: int,
    usable: Callable[[Any], bool] = lambda row: bool(row.code_hash),
) -> Any:
    """The latest row of ``rows`` (the rows of one key), marked used, when ``code`` is its code, unused,
    unexpired and within ``attempts`` tries; otherwise a ValidationError in Chinese. ``usable``: whether a row
    can match at all (a request recorded without sending never does, and is answered like a wrong code)."""
    error: ValidationError | None = None
    with transaction.atomic():
        row = rows.select_for_update().order_by("-created_at", "-pk").first()
        if row is None:
            error = ValidationError(_("请先获取验证码。"), code="no_code")
        elif row.used_at is not None:
            error = ValidationError(_("该验证码已经使用过，请重新获取。"), code="used")
        elif row.attempts >= attempts:
            error = ValidationError(_("验证码错误次数过多，请重新获取验证码。"), code="locked")
        elif row.expires_at <= now:
            error = ValidationError(_("验证码已过期，请重新获取。"), code="expired")
        else:
            row.attempts += 1
            if usable(row) and constant_time_compare(row.code_hash, code_hash(salt, key, code)):
                row.used_at = now
            else:
                left = attempts - row.attempts
                error = (
                    ValidationError(_("验证码不正确，还可以再试 %(n)s 次。") % {"n": left}, code="wrong")
                    if left > 0
                    else ValidationError(_("验证码错误次数过多，请重新获取验证码。"), code="locked")
                )
            row.save(update_fields=["attempts", "used_at"])
    if error is not None:
        raise error
    return row
