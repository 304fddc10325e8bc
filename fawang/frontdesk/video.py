"""音频视频咨询: the meeting link of a video consultation, made by a pluggable provider.

A schedule whose mode is 视频咨询 books video consultations: each booking gets a meeting room whose name comes
from a secret random token (160 bits, lower-case hex, because Jitsi folds room names to lower case), so the
person (我的预约) and the consultant (the desk's day page and the appointment page) open the same room and
nobody can guess it. The platform never calls the meeting server; it only builds the link.

Settings (read at call time):

FRONTDESK_VIDEO_PROVIDER     dotted path of a class with ``url(room, *, name, moderator) -> str``
                             (default: fawang.frontdesk.video.JitsiMeet)
FRONTDESK_JITSI_URL          base URL of the Jitsi Meet server (default https://meet.jit.si; a self-hosted server,
                             e.g. https://meet.sft.example.gov.cn, in production)
FRONTDESK_JITSI_APP_ID       the ``app_id`` of a Jitsi server with token authentication (default "fawang")
FRONTDESK_JITSI_JWT_SECRET   its shared secret; when set, each link carries a signed JWT (HS256) naming the room,
                             the person's display name and whether they moderate (the consultant), valid
                             FRONTDESK_JITSI_JWT_HOURS hours (default 12)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Protocol
from urllib.parse import quote, urlparse

from django.conf import settings
from django.utils.module_loading import import_string

ROOM_PREFIX = "fawang"


def new_room_name() -> str:
    """An unguessable room name: the platform's prefix and 160 random bits."""
    return ROOM_PREFIX + secrets.token_hex(20)


class Provider(Protocol):
    def url(self, room: str, *, name: str = "", moderator: bool = False) -> str: ...


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hs256_token(claims: dict[str, object], secret: str) -> str:
    """A JSON Web Token signed with HMAC-SHA256 (RFC 7519), as Jitsi's token authentication reads it."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


class JitsiMeet:
    """Jitsi Meet: ``<base>/<room>``, with ``?jwt=`` when the server requires tokens."""

    def __init__(self) -> None:
        self.base = str(getattr(settings, "FRONTDESK_JITSI_URL", "https://meet.jit.si")).rstrip("/")
        self.secret = str(getattr(settings, "FRONTDESK_JITSI_JWT_SECRET", "") or "")
        self.app_id = str(getattr(settings, "FRONTDESK_JITSI_APP_ID", "fawang"))
        self.hours = int(getattr(settings, "FRONTDESK_JITSI_JWT_HOURS", 12))

    def url(self, room: str, *, name: str = "", moderator: bool = False) -> str:
        link = f"{self.base}/{quote(room)}"
        if not self.secret:
            return link
        now = int(time.time())
        claims: dict[str, object] = {
            "aud": "jitsi",
            "iss": self.app_id,
            "sub": urlparse(self.base).hostname or "",
            "room": room,
            "iat": now,
            "nbf": now - 60,
            "exp": now + self.hours * 3600,
            "moderator": moderator,
            "context": {"user": {"name": name, "moderator": moderator}},
        }
        return f"{link}?jwt={hs256_token(claims, self.secret)}"


def provider() -> Provider:
    path = str(getattr(settings, "FRONTDESK_VIDEO_PROVIDER", "fawang.frontdesk.video.JitsiMeet"))
    provider_class = import_string(path)
    made: Provider = provider_class()
    return made


def meeting_url(room: str, *, name: str = "", moderator: bool = False) -> str:
    """The link to the room for one side: the consultant as moderator, the person as a guest."""
    return provider().url(room, name=name, moderator=moderator) if room else ""
