"""Field-key rotation: every encrypted column re-encrypted, every look-up hash recomputed, with a new key.

Order, so that no crash leaves data under a key nobody has:

1. the new key is written beside the key file (``<file>.new``, 0600) before the database is touched;
2. one transaction reads every encrypted value (the current key) and writes it back under the new key, and
   recomputes the keyed look-up hashes (``<field>_hash`` beside an encrypted ``<field>``); then every upload
   is re-encrypted, file by file;
3. the old key file is kept as ``<file>.old`` and the new one takes its place.

If step 2 fails nothing changed; if the process dies between 2 and 3, ``<file>.new`` holds the key the data
is under (README, "数据与密钥"). With the key in the ``FIELD_KEY`` environment variable the command cannot move
it: it writes the new key to a file named by ``--new-key-file`` and says to set ``FIELD_KEY`` to it and
``FIELD_OLD_KEYS`` to the old one until the rotation is checked.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.test.utils import override_settings

from fawang.lib import crypto
from fawang.lib.encrypted_storage import reencrypt_all


@dataclass
class RotationReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def encrypted_fields(model: type[models.Model]) -> list[crypto.EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)]


def _hash_field(model: type[models.Model], name: str) -> str | None:
    hashed = f"{name}_hash"
    try:
        model._meta.get_field(hashed)
    except FieldDoesNotExist:
        return None
    return hashed


@contextmanager
def _keys(current: str, old: list[str]) -> Iterator[None]:
    with override_settings(FIELD_ENCRYPTION_KEY=current, FIELD_ENCRYPTION_OLD_KEYS=old):
        yield


def reencrypt(old_key: str, new_key: str, *, old_keys: list[str] | None = None) -> RotationReport:
    """Re-encrypt every encrypted column from ``old_key`` (or any of ``old_keys``) to ``new_key``."""
    report = RotationReport()
    readable = [old_key, *(old_keys or [])]
    with transaction.atomic():
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields or model._meta.proxy:
                continue
            names = [f.name for f in fields]
            with _keys(new_key, readable):
                # Read with the old keys (MultiFernet tries each), write with the new one.
                rows = list(model._default_manager.values_list("pk", *names))
                for pk, *values in rows:
                    update: dict[str, str] = {}
                    for name, value in zip(names, values, strict=True):
                        update[name] = value or ""
                        hashed = _hash_field(model, name)
                        if hashed:
                            update[hashed] = crypto.lookup_hash((value or "").strip().upper())
                    model._default_manager.filter(pk=pk).update(**update)
            report.rows[model._meta.label] = len(rows)
    return report


def write_key(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())


def new_key() -> str:
    return secrets.token_urlsafe(50)


def rotate(*, key_file: Path | None, new_key_file: Path | None = None) -> tuple[RotationReport, Path]:
    """Rotate to a fresh key; returns the report and where the new key now is."""
    old = settings.FIELD_ENCRYPTION_KEY
    key = new_key()
    staged = new_key_file or (key_file.with_name(key_file.name + ".new") if key_file else None)
    if staged is None:
        raise ValueError("no place for the new key")
    write_key(staged, key)
    report = reencrypt(old, key, old_keys=list(settings.FIELD_ENCRYPTION_OLD_KEYS))
    # The uploads, file by file (each replaced atomically; a file is readable under either key meanwhile, as
    # long as both keys are configured).
    with _keys(key, [old, *settings.FIELD_ENCRYPTION_OLD_KEYS]):
        report.rows["uploads"] = reencrypt_all()
    if key_file is not None and new_key_file is None:
        backup = key_file.with_name(key_file.name + ".old")
        if key_file.exists():
            os.replace(key_file, backup)
        os.replace(staged, key_file)
        staged = key_file
    settings.FIELD_ENCRYPTION_KEY = key
    return report, staged
