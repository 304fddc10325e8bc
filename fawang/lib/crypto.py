"""Field encryption for personal data (个人信息保护法): ID numbers at rest, with a keyed hash for look-up.

Two keys are derived from ``settings.FIELD_ENCRYPTION_KEY`` (env ``FIELD_KEY``) with HKDF-SHA256 under
different labels, so the encryption key and the look-up key are independent and the raw setting is never
used directly:

- ``encrypt``/``decrypt``: Fernet (AES-128-CBC + HMAC-SHA256, random IV). The same ID number encrypts to a
  different token each time, so the column reveals nothing, not even which rows are equal.
- ``lookup_hash``: HMAC-SHA256 of the normalised value. Equal inputs give equal hashes, so "this person's
  other matters" is an indexed equality; without the key the hash cannot be reversed by trying all
  1.4 billion valid ID numbers, as a plain SHA-256 could.

Key rotation: put the new key in FIELD_KEY and the old ones in ``settings.FIELD_ENCRYPTION_OLD_KEYS`` (a list);
old tokens still decrypt, new ones use the new key. Look-up hashes depend on the key, so after a rotation
the hash column must be recomputed (re-save the rows) before old keys are dropped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

ENCRYPTION_LABEL = b"fawang field encryption v1"
LOOKUP_LABEL = b"fawang lookup hash v1"


class DecryptionError(Exception):
    """A stored token could not be decrypted with any configured key."""


def _derive(secret: str, label: bytes) -> bytes:
    if not secret:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY 未设置，无法加密个人信息字段。")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


@functools.lru_cache(maxsize=4)
def _fernet(current: str, old: tuple[str, ...]) -> MultiFernet:
    keys = [Fernet(base64.urlsafe_b64encode(_derive(k, ENCRYPTION_LABEL))) for k in (current, *old)]
    return MultiFernet(keys)


@functools.lru_cache(maxsize=4)
def _lookup_key(current: str) -> bytes:
    return _derive(current, LOOKUP_LABEL)


def _keys() -> tuple[str, tuple[str, ...]]:
    # Read at call time (not import time) so tests can override the setting.
    return settings.FIELD_ENCRYPTION_KEY, tuple(getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ()))


def encrypt(text: str) -> str:
    """A Fernet token (ASCII) for ``text``; the empty string stays empty, meaning "not given"."""
    if not text:
        return ""
    return _fernet(*_keys()).encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(*_keys()).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError(
            "无法解密已加密的字段：请检查 FIELD_KEY 与 FIELD_ENCRYPTION_OLD_KEYS 配置。"
        ) from exc


def lookup_hash(text: str) -> str:
    """Hex HMAC-SHA256 of ``text`` (callers normalise first, e.g. upper-case the ID number's X); "" for ""."""
    if not text:
        return ""
    return hmac.new(_lookup_key(_keys()[0]), text.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token and read back as plain text.

    Only ``isnull`` look-ups are allowed: an equality test against a random-IV token can never match, so
    ``filter(id_number=...)`` would silently find nothing. Look rows up by the companion hash column instead.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        return None
