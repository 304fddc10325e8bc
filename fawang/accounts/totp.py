"""Time-based one-time passwords (RFC 6238) for the second factor."""

from __future__ import annotations

import datetime as dt
import hmac
import io

import pyotp
import qrcode
import qrcode.image.svg
from django.utils import timezone
from django.utils.html import escape

ISSUER = "fawang 法网"
DIGITS = 6


def new_secret() -> str:
    return pyotp.random_base32()


def normalize(code: str) -> str:
    """Authenticator apps show the code as "123 456"; people also paste it with stray spaces."""
    return "".join((code or "").split())


def matching_step(secret: str, code: str, at: dt.datetime | None = None) -> int | None:
    """The 30-second time step whose code equals ``code``, or None.

    One step either side is accepted because phone clocks drift a little. The caller keeps the step so that
    the same code cannot be used twice (RFC 6238 section 5.2).
    """
    code = normalize(code)
    if not secret or len(code) != DIGITS or not code.isdigit():
        return None
    otp = pyotp.TOTP(secret)
    step = otp.timecode(at or timezone.now())
    for offset in (0, -1, 1):
        if hmac.compare_digest(otp.generate_otp(step + offset), code):
            return step + offset
    return None


def group(secret: str, size: int = 4) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str, label: str) -> str:
    """An inline <svg> element (no XML declaration) for the page; ``label`` is its accessible name."""
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    svg = buf.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def next_usable_step(secret: str, last_step: int | None, at: dt.datetime | None = None) -> int | None:
    """The earliest step whose code would be accepted now (not used before), or None until one is."""
    now_step = pyotp.TOTP(secret).timecode(at or timezone.now())
    step = max(now_step, (last_step + 1) if last_step is not None else now_step)
    return step if step <= now_step + 1 else None


def code_at_step(secret: str, step: int) -> str:
    return str(pyotp.TOTP(secret).generate_otp(step))
