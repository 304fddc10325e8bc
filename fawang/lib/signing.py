"""Signatures of the partner APIs (the mediation referrals: 诉调、警调、访调对接; legal aid's 通知辩护): a partner
signs each request, and we sign each outcome report we send back, with HMAC-SHA256 over ``timestamp + "\\n" +
body`` and the partner's secret (fawang.apikit.signed checks a request).

Headers: ``X-Partner`` (the partner's key id), ``X-Timestamp`` (Unix seconds; five minutes either way) and
``X-Signature`` (lowercase hex).
"""

from __future__ import annotations

import hashlib
import hmac
import time

WINDOW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None) -> bool:
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - moment) > WINDOW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), (signature or "").lower())
