"""The CTI push format (the generic CTI interface Zammad documents, so PBX scripts written for it work unchanged)
and how a telephone system proves who it is.

Events are posted to ``/api/v1/hotline/cti/<token>/`` as JSON or form fields:

    event=newCall  from, to, direction (in|out), callId, user (agents rung), queue
    event=answer   callId, user, answeringNumber (the extension that took it)
    event=hangup   callId, cause (normalClearing, cancel, noAnswer, busy, congestion, notFound, forwarded),
                   answeringNumber; recordingUrl if the PBX records
    event=rating   callId, digit (the IVR's satisfaction question after the call: 1 满意 2 基本满意 3 不满意)

Optional everywhere: ``timestamp`` (Unix seconds or ISO 8601; the moment of the event, default: when received),
``queue``, ``recordingUrl``. The token in the URL names the system (only its keyed hash is stored). A system with
a secret also needs ``X-Fawang-Timestamp`` (Unix seconds, within ``SIGNATURE_WINDOW`` of our clock) and
``X-Fawang-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>``; a bad or stale signature is
refused (401) before anything is stored.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fawang.lib import crypto, memo
from fawang.lib.versiontoken import VersionToken

from .models import CallEvent, CtiSystem

SIGNATURE_WINDOW = dt.timedelta(minutes=5)
TIMESTAMP_HEADER = "HTTP_X_FAWANG_TIMESTAMP"
SIGNATURE_HEADER = "HTTP_X_FAWANG_SIGNATURE"
# An event time this far from the moment we receive it is a broken PBX clock: we keep our own.
EVENT_TIME_SLACK = dt.timedelta(hours=6)
ABANDON_CAUSES = frozenset({"cancel"})
# Unanswered here but answered elsewhere (the PBX forwarded it): nobody to ring back.
NO_CALLBACK_CAUSES = frozenset({"forwarded"})


class NotAuthenticated(Exception):
    """The token, signature or timestamp does not hold: 401, nothing stored."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return crypto.lookup_hash(f"cti:{token}")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


# Each process keeps the telephone systems it has seen (by token hash) under a version token that every save or
# delete of a system renews (hotline/apps.py connects it): a PBX posts every event of every call, and the system's
# row (its secret decrypted) was the same on each. A system stopped, its token or secret rotated on the setup
# page takes effect at the next event, in every process. Only systems found are kept (a stream of made-up tokens
# must not grow the dict); link systems (a few posts a day) are read each time.
SYSTEMS = VersionToken("hotline:cti-systems")
_copies: dict[str, tuple[str, CtiSystem]] = {}
_copies_lock = threading.Lock()
_MAX_COPIES = 200


def _cached() -> bool:
    return memo.seconds() > 0


def _find(key: str, purpose: str) -> CtiSystem | None:
    # No join (the centre is read only by the IVR menu, a GET) and no ordering (token_hash is unique).
    found = CtiSystem.objects.filter(token_hash=key, is_active=True, purpose=purpose).order_by()
    if purpose == CtiSystem.Purpose.LINK:
        found = found.select_related("unit")
    return next(iter(found[:1]), None)


def _cti_system(key: str) -> CtiSystem | None:
    if not _cached():
        return _find(key, CtiSystem.Purpose.CTI)
    version = SYSTEMS.current()
    hit = _copies.get(key)
    if hit is None or hit[0] != version:
        # Read after the token: a change committed meanwhile has put a newer one, which the next event sees.
        system = _find(key, CtiSystem.Purpose.CTI)
        if system is None:
            return None
        hit = (version, system)
        with _copies_lock:
            if len(_copies) >= _MAX_COPIES:
                _copies.clear()
            _copies[key] = hit
    # A copy: what a caller caches on it (its unit) stays in that request.
    return copy.copy(hit[1])


def forget_systems() -> None:
    """Drop this process's copies (tests)."""
    with _copies_lock:
        _copies.clear()


def authenticate(
    token: str, body: bytes, meta: Mapping[str, Any], now: dt.datetime, purpose: str = CtiSystem.Purpose.CTI
) -> CtiSystem:
    key = token_hash(token)
    system = _cti_system(key) if purpose == CtiSystem.Purpose.CTI else _find(key, purpose)
    if system is None:
        raise NotAuthenticated(_("推送令牌无效或电话系统已停用。"))
    if not system.secret:
        return system
    stamp = str(meta.get(TIMESTAMP_HEADER, "")).strip()
    given = str(meta.get(SIGNATURE_HEADER, "")).strip()
    if not stamp.isdigit() or not given:
        raise NotAuthenticated(_("缺少签名或时间戳。"))
    moment = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    if abs(now - moment) > SIGNATURE_WINDOW:
        raise NotAuthenticated(_("时间戳超出允许范围（前后 5 分钟），请校准电话系统时钟。"))
    if not hmac.compare_digest(sign(system.secret, stamp, body), given):
        raise NotAuthenticated(_("签名不正确。"))
    return system


@dataclass(frozen=True)
class Event:
    kind: str
    call_id: str
    occurred_at: dt.datetime
    number_from: str = ""
    number_to: str = ""
    direction: str = ""
    queue: str = ""
    users: tuple[str, ...] = ()
    answering_number: str = ""
    cause: str = ""
    recording_url: str = ""
    digit: int | None = None

    def payload(self) -> dict[str, Any]:
        """What the event row keeps: everything but the numbers (they are on the call, encrypted)."""
        data: dict[str, Any] = {
            "direction": self.direction,
            "queue": self.queue,
            "user": list(self.users),
            "answeringNumber": self.answering_number,
            "cause": self.cause,
            "recordingUrl": self.recording_url,
            "digit": self.digit,
        }
        return {k: v for k, v in data.items() if v not in ("", [], None)}


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """JSON or form fields; a repeated form field (user[]=a&user[]=b) becomes a list."""
    if "json" in (content_type or ""):
        try:
            data = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationError(_("事件内容不是有效的 JSON。"), code="bad_json") from exc
        if not isinstance(data, dict):
            raise ValidationError(_("事件内容应为 JSON 对象。"), code="bad_json")
        return data
    try:
        raw = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError as exc:
        raise ValidationError(_("事件内容编码不是 UTF-8。"), code="bad_encoding") from exc
    out: dict[str, Any] = {}
    for key, values in raw.items():
        name = key.removesuffix("[]")
        out[name] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return out


def _text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = data.get(key, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value if value is not None else "").strip()[:limit]


def _moment(value: Any, received: dt.datetime) -> dt.datetime:
    if value in (None, ""):
        return received
    text = str(value).strip()
    moment: dt.datetime | None
    try:
        moment = dt.datetime.fromtimestamp(float(text), tz=dt.UTC)
    except (ValueError, OverflowError):
        moment = parse_datetime(text)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    if moment is None:
        raise ValidationError(_("时间戳格式不正确（应为 Unix 秒数或 ISO 8601）。"), code="bad_timestamp")
    if abs(moment - received) > EVENT_TIME_SLACK:
        raise ValidationError(_("事件时间与当前时间相差过大，请校准电话系统时钟。"), code="bad_timestamp")
    return moment


def parse_event(data: Mapping[str, Any], received: dt.datetime) -> Event:
    kind = _text(data, "event", 20)
    if kind not in CallEvent.Kind.values:
        raise ValidationError(
            _("未知的事件类型“%(kind)s”（应为 newCall、answer、hangup 或 rating）。") % {"kind": kind[:20]},
            code="bad_event",
        )
    call_id = _text(data, "callId", 64)
    if not call_id:
        raise ValidationError(_("缺少 callId。"), code="no_call_id")
    direction = _text(data, "direction", 3)
    if direction and direction not in ("in", "out"):
        raise ValidationError(_("direction 应为 in 或 out。"), code="bad_direction")
    users = data.get("user", ())
    if isinstance(users, str):
        users = (users,) if users else ()
    digit: int | None = None
    if kind == CallEvent.Kind.RATING:
        raw = _text(data, "digit", 2) or _text(data, "satisfaction", 2)
        if raw not in ("1", "2", "3"):
            raise ValidationError(_("满意度按键应为 1、2 或 3。"), code="bad_digit")
        digit = int(raw)
    url = _text(data, "recordingUrl", 500)
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError(_("录音地址应以 http:// 或 https:// 开头。"), code="bad_recording")
    return Event(
        kind=kind,
        call_id=call_id,
        occurred_at=_moment(data.get("timestamp"), received),
        number_from=_text(data, "from", 40),
        number_to=_text(data, "to", 40),
        direction=direction,
        queue=_text(data, "queue", 40),
        users=tuple(str(u)[:40] for u in users if u)[:20],
        answering_number=_text(data, "answeringNumber", 20),
        cause=_text(data, "cause", 20),
        recording_url=url,
        digit=digit,
    )
