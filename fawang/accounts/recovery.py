"""One-time recovery codes for a lost authenticator: ten per binding, shown once, stored as hashes.

A code is 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), shown as ``abcde-fghij``:
about 48 bits each, so a keyed SHA-256 is enough to store them (no slow hash needed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 10
COUNT = 10


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize(value: str) -> str:
    return "".join(ch for ch in (value or "").lower() if ch.isalnum())


def looks_like(value: str) -> bool:
    """True for something typed as a recovery code (a TOTP code is six digits)."""
    code = normalize(value)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code) and not code.isdigit()


def digest(value: str) -> str:
    key = f"fawang.accounts.recovery:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalize(value).encode(), hashlib.sha256).hexdigest()
