"""Backup and restore: the database, the uploads and a manifest with checksums; never the keys.

A backup is a folder ``<BACKUP_DIR>/fawang-<UTC time>/`` holding

- ``database.sqlite3``: SQLite's online backup API (a consistent copy while the site runs, WAL included; copying
  the file itself can give a broken copy), or ``database.pgdump``: ``pg_dump --format=custom`` on PostgreSQL;
- ``media/``: the uploaded files as stored;
- ``manifest.json``: when, which engine, every file's size and SHA-256, and a fingerprint of the field key (not
  the key): restoring under another key would leave the encrypted fields unreadable, so restore refuses then.

SECRET_KEY and FIELD_KEY are not in it: keep them apart from the backups (README, "备份与恢复").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    pass


def key_fingerprint() -> str:
    digest = hashlib.sha256(b"fawang-backup-key-fingerprint:" + settings.FIELD_ENCRYPTION_KEY.encode())
    return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _is_sqlite() -> bool:
    return str(_database()["ENGINE"]).endswith("sqlite3")


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = _database()
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（postgresql-client）。")
    return path


@dataclass
class Backup:
    folder: Path
    manifest: dict[str, Any]


def backup(target_dir: Path, now: dt.datetime | None = None) -> Backup:
    now = now or dt.datetime.now(dt.UTC)
    folder = Path(target_dir) / f"fawang-{now:%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, mode=0o700)
    db = _database()
    if _is_sqlite():
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(folder / "database.sqlite3"))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        engine = "sqlite"
    else:
        args, env = _pg_env()
        out = folder / "database.pgdump"
        subprocess.run(  # noqa: S603 - our own settings, no shell
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), *args, str(db["NAME"])],
            env=env,
            check=True,
        )
        engine = "postgresql"
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / "media", copy_function=shutil.copy2)
    else:
        (folder / "media").mkdir(mode=0o700)
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        path.chmod(0o600)
        files[str(path.relative_to(folder))] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "engine": engine,
        "field_key_fingerprint": key_fingerprint(),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    (folder / MANIFEST).chmod(0o600)
    return Backup(folder, manifest)


def verify(folder: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its size and checksum; BackupError otherwise."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 中没有 {MANIFEST}，不是完整的备份。")
    manifest: dict[str, Any] = json.loads(path.read_text())
    for name, expected in manifest["files"].items():
        file = Path(folder) / name
        if (
            not file.is_file()
            or file.stat().st_size != expected["size"]
            or _sha256(file) != expected["sha256"]
        ):
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符），未恢复任何内容。")
    return manifest


def restore(folder: Path, *, ignore_key: bool = False) -> dict[str, Any]:
    """Replace the database and the uploads with the backup's. Run with the site stopped."""
    folder = Path(folder)
    manifest = verify(folder)
    if manifest["field_key_fingerprint"] != key_fingerprint() and not ignore_key:
        raise BackupError(
            "当前的字段密钥（FIELD_KEY）与备份时的不同：恢复后加密的个人信息将无法读取。请先配置备份时的密钥。"
        )
    engine = "sqlite" if _is_sqlite() else "postgresql"
    if engine != manifest["engine"]:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前配置的是 {engine}。")
    connections.close_all()
    db = _database()
    if engine == "sqlite":
        source = sqlite3.connect(str(folder / "database.sqlite3"))
        dest = sqlite3.connect(str(db["NAME"]))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        args, env = _pg_env()
        subprocess.run(  # noqa: S603 - our own settings, no shell
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                str(db["NAME"]),
                str(folder / "database.pgdump"),
            ],
            env=env,
            check=True,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        aside = media.with_name(f"{media.name}.before-restore-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}")
        media.rename(aside)
    shutil.copytree(folder / "media", media, copy_function=shutil.copy2)
    media.chmod(0o700)
    return manifest
