"""Consent to the processing of personal information (个人信息保护法), for public accounts at /me/.

- Signing up or in at /me/ records the person's consent to the 个人信息处理规则 (``NOTICE_VERSION``) as it stands:
  processing on the basis of consent, 第十三条第一款第（一）项; given in full knowledge, voluntarily and explicitly,
  第十四条 — the notice is on the sign-in page and the button says "同意并获取验证码".
- The ID number is handled as sensitive personal information (第二十八条: information whose leak easily endangers
  a person's safety or property); storing it needs the person's separate consent (单独同意, 第二十九条), asked on
  the real-name page with its own box, after saying why it is needed and what it means for them (第三十条).
- The person can read the rules again and withdraw either consent at /me/privacy/ (第十五条: 个人信息处理者应当提供
  便捷的撤回同意的方式; withdrawing does not undo processing already done). Withdrawing the ID-number consent
  erases the ID number from the account; withdrawing the whole consent also erases the real name and signs the
  person out (第四十七条第一款第（三）项: 个人撤回同意 — delete). Matters already submitted stay with the units
  handling them: that is their statutory duty (第十三条第一款第（三）项), not consent.
- Services do not depend on consent beyond what they need (第十六条): the 12348 hotline, the windows and tracking
  by number and code work without an account.

Each giving and each withdrawal is a ``Consent`` row written in the action that does it (version and time).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User

from .models import Consent, Profile

# The version of templates/citizens/_privacy_notice.html. Change it with the text: consent is recorded against it.
NOTICE_VERSION = "2026-12-v1"


def live(user: User, purpose: str) -> Consent | None:
    """The person's standing consent for ``purpose``, or None."""
    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()


def has_consent(user: User, purpose: str) -> bool:
    return live(user, purpose) is not None


@transaction.atomic
def do_give_consent(
    user_id: int, *, purpose: str, version: str = NOTICE_VERSION, now: dt.datetime | None = None
) -> Consent:
    """Record consent for ``purpose`` to the rules of ``version``. A standing consent to the same version is kept
    (signing in again is no new consent); one to an older version is closed and a new row opened."""
    user = User.objects.select_for_update().get(pk=user_id)
    now = now or timezone.now()
    current = live(user, purpose)
    if current is not None:
        if current.notice_version == version:
            return current
        current.withdrawn_at = now
        current.save(update_fields=["withdrawn_at"])
    return Consent.objects.create(user=user, purpose=purpose, notice_version=version, given_at=now)


@transaction.atomic
def do_withdraw_consent(user_id: int, *, purpose: str, now: dt.datetime | None = None) -> list[Consent]:
    """Withdraw consent for ``purpose`` and erase what it covered. The whole consent (``PERSONAL``) takes the
    ID-number consent with it. Returns the rows withdrawn (none when there was nothing standing)."""
    user = User.objects.select_for_update().get(pk=user_id)
    now = now or timezone.now()
    purposes = (
        [Consent.Purpose.PERSONAL, Consent.Purpose.SENSITIVE]
        if purpose == Consent.Purpose.PERSONAL
        else [Consent.Purpose.SENSITIVE]
    )
    rows = list(Consent.objects.filter(user=user, purpose__in=purposes, withdrawn_at__isnull=True))
    for row in rows:
        row.withdrawn_at = now
        row.save(update_fields=["withdrawn_at"])
    # 第四十七条: erase what the withdrawn consent covered.
    Profile.objects.filter(user=user).update(id_number="", id_number_hash="")
    if purpose == Consent.Purpose.PERSONAL:
        user.display_name = ""
        user.save(update_fields=["display_name"])
    return rows


class SensitiveConsentForm(forms.Form):
    """The separate consent for the ID number, on the real-name page (第二十九条、第三十条)."""

    agree_sensitive = forms.BooleanField(
        label=_("我单独同意本平台处理我的身份证号码（敏感个人信息），用于核实身份和办理我申请的事项。"),
        required=True,
        error_messages={
            "required": _(
                "登记身份证号码须您单独同意处理这一敏感个人信息；不同意的，可以拨打 12348 或到窗口办理。"
            )
        },
    )
