"""Message kinds: short codes such as ``matter.accepted`` or ``otp.login``, with a Chinese label.

Apps register the kinds they send (``register("matter.accepted", _("事项已受理"))``) so the console can name
them; an unregistered kind still works and is shown by its code. A *sensitive* kind carries a secret (a
one-time code): its body is masked wherever staff see it, and staff cannot resend it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every kind under these prefixes is sensitive, registered or not: a one-time code must never leak because
# someone forgot to register its kind.
SENSITIVE_PREFIXES = ("otp.",)
DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    sensitive: bool = False


KINDS: dict[str, Kind] = {}


def register(code: str, label: str | Promise, *, sensitive: bool = False) -> Kind:
    kind = Kind(code, label, sensitive or code.startswith(SENSITIVE_PREFIXES))
    KINDS[code] = kind
    return kind


def is_sensitive(code: str) -> bool:
    kind = KINDS.get(code)
    return code.startswith(SENSITIVE_PREFIXES) or bool(kind and kind.sensitive)


def label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def mask_digits(text: str) -> str:
    """Every digit replaced by ``*``: the code in "验证码 483920，5 分钟内有效" must not reach a staff list."""
    return DIGITS.sub("*", text or "")


register("otp.login", _("登录验证码"), sensitive=True)
register("otp.track", _("查询验证码"), sensitive=True)
register("otp.claim", _("档案认领验证码"), sensitive=True)
register("matter.submitted", _("事项已提交"))
register("matter.accepted", _("事项已受理"))
register("matter.assigned", _("事项已分派"))
register("matter.transferred", _("事项已转办"))
register("matter.completed", _("事项已办结"))
register("matter.callback", _("回访通知"))
register("notify.test", _("测试消息"))
