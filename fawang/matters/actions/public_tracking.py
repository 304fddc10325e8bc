"""Tracking without an account (issue 4 item 3): a one-time code sent to the phone on the matter, and what
the person does on the tracking page (supply materials with files).

The code is six digits, kept only as a keyed hash, valid for ``MATTERS_TRACK_CODE_MINUTES`` (10) and for at
most ``MATTERS_TRACK_CODE_ATTEMPTS`` (5) tries. Sending is limited per tracking number
(``MATTERS_TRACK_SEND_INTERVAL_SECONDS``, 60; ``MATTERS_TRACK_SENDS_PER_HOUR``, 5) and counted per client
address (``MATTERS_TRACK_SENDS_PER_HOUR_PER_IP``, 10 an hour, with no interval), on TrackingCode rows
(fawang.lib.sendlimits), so every web process sees the same counts. A request for a well-formed number that does not exist is
recorded without a code and answered like any other: the page, the limits and the error texts are the same
whether the number exists or not; only the check character is ever judged on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fawang.lib import otp
from fawang.lib.sendlimits import RateLimited as RateLimited  # raised here; callers catch it from this module
from fawang.lib.sendlimits import check_send_limits
from fawang.lib.validators import MOBILE_RE, normalize_mobile
from fawang.notify import conf as notify_conf

from .. import tracking
from ..models import Matter, TrackingCode
from ..uploads import check_uploads
from .base import _lock, _now, check_transition
from .workflow import add_attachment, do_supply_materials

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from fawang.accounts.models import User

CODE_DIGITS = otp.CODE_DIGITS
SALT = "fawang.matters.tracking-code"


def code_minutes() -> int:
    return int(getattr(settings, "MATTERS_TRACK_CODE_MINUTES", 10))


def code_attempts() -> int:
    return int(getattr(settings, "MATTERS_TRACK_CODE_ATTEMPTS", 5))


def send_interval() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MATTERS_TRACK_SEND_INTERVAL_SECONDS", 60)))


def sends_per_hour() -> int:
    return int(getattr(settings, "MATTERS_TRACK_SENDS_PER_HOUR", 5))


def sends_per_hour_per_ip() -> int:
    # Looser than per number: several people behind one address (a service hall, a mobile carrier's NAT).
    return int(getattr(settings, "MATTERS_TRACK_SENDS_PER_HOUR_PER_IP", 10))


def grant_minutes() -> int:
    """How long a verified code opens the matter's page in that browser session."""
    return int(getattr(settings, "MATTERS_TRACK_GRANT_MINUTES", 30))


def show_codes() -> bool:
    """The code on the page too, in a development or demo set-up without an SMS gateway (notify.conf.show_codes)."""
    return notify_conf.show_codes()


@dataclass(frozen=True)
class CodeRequest:
    tracking_no: str
    # The code itself, only so that a development page can show it (show_codes); None when nothing was sent.
    code: str | None


def clean_number(value: str) -> str:
    """The normalised tracking number, or a ValidationError when its form or check character is wrong."""
    number = tracking.normalize(value)
    if not tracking.is_valid(number):
        raise ValidationError(
            _("受理编号有误，请核对后重新输入（受理编号以 FW 开头，共 16 位）。"), code="bad_number"
        )
    return number


def _check_limits(number: str, ip: str | None, now: dt.datetime) -> None:
    check_send_limits(
        TrackingCode.objects.all(),
        Q(tracking_no=number),
        ip,
        now,
        interval=send_interval(),
        per_key=sends_per_hour(),
        per_ip=sends_per_hour_per_ip(),
    )


@transaction.atomic
def request_tracking_code(tracking_no: str, *, ip: str | None, now: dt.datetime | None = None) -> CodeRequest:
    """Send a one-time code to the mobile phone on the matter ``tracking_no``, if there is such a matter with a
    mobile number on file; record the request either way. Raises ValidationError for a malformed number and
    RateLimited when the number or the address asked too often."""
    from fawang.notify.actions import enqueue

    now = _now(now)
    number = clean_number(tracking_no)
    # On SQLite the transaction is IMMEDIATE (settings), so two requests cannot both pass the limit check.
    _check_limits(number, ip, now)
    matter = Matter.objects.select_related("person").filter(tracking_no=number).first()
    phone = normalize_mobile(matter.person.phone) if matter is not None else ""
    expires_at = now + dt.timedelta(minutes=code_minutes())
    if matter is None or not MOBILE_RE.match(phone):
        # Nothing to send to; recorded so the limits count it like a real send.
        TrackingCode.objects.create(
            tracking_no=number, matter=matter, ip=ip, expires_at=expires_at, created_at=now
        )
        return CodeRequest(number, None)
    code = otp.new_code()
    row = TrackingCode.objects.create(
        tracking_no=number,
        matter=matter,
        code_hash=otp.code_hash(SALT, number, code),
        ip=ip,
        expires_at=expires_at,
        created_at=now,
    )
    enqueue(
        channel="sms",
        kind="otp.track",
        subject=_("查询验证码"),
        body=_(
            "您正在查询受理编号 %(no)s 的办理进度，验证码 %(code)s，%(minutes)s 分钟内有效。"
            "如非本人操作，请忽略本短信，切勿将验证码告诉他人。"
        )
        % {"no": number, "code": code, "minutes": code_minutes()},
        phone=phone,
        related=matter,
        dedupe_key=f"track-code:{row.pk}",
        # A code is useless after it expires: no long retry schedule for it.
        max_attempts=3,
    )
    return CodeRequest(number, code)


def verify_tracking_code(tracking_no: str, code: str, *, now: dt.datetime | None = None) -> Matter:
    """The matter ``tracking_no`` when ``code`` is its latest code, unused, unexpired and within its tries;
    otherwise a ValidationError in Chinese. Every wrong try is counted (and committed) before the error is
    raised, so an attacker cannot reset the count by making the request fail."""
    now = _now(now)
    number = clean_number(tracking_no)
    row = otp.check_latest(
        TrackingCode.objects.filter(tracking_no=number),
        salt=SALT,
        key=number,
        code=otp.clean_code(code),
        now=now,
        attempts=code_attempts(),
        usable=lambda row: bool(row.code_hash and row.matter_id),
    )
    return Matter.objects.get(pk=row.matter_id)


@transaction.atomic
def do_supply_materials_online(
    matter_id: int,
    *,
    actor: User | None,
    uploads: Sequence[UploadedFile],
    note: str = "",
    now: dt.datetime | None = None,
) -> Matter:
    """The person uploads what the 一次性告知 asked for and marks the materials supplied, in one transaction:
    a file refused for its type or size leaves neither attachments nor a status change behind.

    ``actor`` is the signed-in owner, or None for a browser session opened by a tracking code (the code was
    the authentication, like an API token)."""
    if not uploads:
        raise ValidationError(_("请选择要上传的补正材料文件。"), code="no_files")
    matter = _lock(matter_id)
    # Checked before any file is stored: a matter no longer waiting for materials takes none.
    check_transition(
        matter, matter.resume_status or Matter.Status.SUBMITTED, _("补正材料"), action="supply_materials"
    )
    check_uploads(uploads)  # all before the first is stored
    for upload in uploads:
        add_attachment(matter_id, actor=actor, upload=upload)
    return do_supply_materials(matter_id, actor=actor, note=note, now=now)
