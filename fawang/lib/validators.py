"""Validators for personal data: mainland mobile numbers and resident ID numbers (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landlines as written at service points: optional area code (010, 0592 ...), 7-8 digits, optional extension.
PHONE_RE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^1[3-9]\d{9}$|^\d{3,5}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def normalize_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(_("请输入正确的 11 位手机号码。"), code="invalid_mobile")


def validate_phone(value: str) -> None:
    """A unit's public phone: mobile, landline with area code, or a short hotline number (12348)."""
    if not PHONE_RE.match(re.sub(r"\s", "", value or "")):
        raise ValidationError(
            _("请输入正确的电话号码，例如 0592-1234567、12348 或 11 位手机号码。"), code="invalid_phone"
        )


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str, *, today: dt.date | None = None) -> None:
    """18-digit resident identity number: format, birth date, check digit."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(_("身份证号码应为 18 位，最后一位可以是数字或 X。"), code="invalid_id_format")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="invalid_id_birth") from None
    if born < dt.date(1900, 1, 1) or born > (today or timezone.localdate()):
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="invalid_id_birth")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="invalid_id_checksum")


def mask_phone(value: str) -> str:
    value = value or ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value


def mask_id_number(value: str) -> str:
    value = value or ""
    return value[:6] + "********" + value[-4:] if len(value) == 18 else "*" * len(value)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧**明: enough to tell people apart in a queue, not to identify them."""
    name = name or ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
