"""Prepare the demo site in one process: what `make run` does before it starts the server.

    migrate → import_regions 35 --if-empty → load_demo → import_laws --if-empty → load_knowledge_demo
    → build_law_index --if-missing → collectstatic (only when the static sources changed)

It replaces seven `manage.py` calls (issue 14, item 24). Each of them started Django and ran the system checks
again, so a warning such as the calendar's W001 was printed seven times, and a second `make run` took 98 s though
it had nothing to do: about three quarters of that was collectstatic, which copies nothing new but compresses
all ~1,000 static files again (whitenoise, gzip and brotli) every time. Here the steps run in this process
without the checks (bin/serve runs `manage.py check` once before it starts the server), and collectstatic runs
only when the fingerprint of the files the static finders collect (path, size, mtime) differs from the one kept
beside the manifest. Each step's time is printed, so a slow run says where the time went.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fawang.lib.encrypted_storage import encrypt_existing

FINGERPRINT = ".sources-fingerprint"
MANIFEST = "staticfiles.json"

STEPS: list[tuple[str, str, list[str]]] = [
    ("数据库迁移", "migrate", ["--no-input", "-v0"]),
    ("行政区划", "import_regions", ["35", "--if-empty"]),
    ("演示数据", "load_demo", []),
    ("法律法规", "import_laws", ["--if-empty"]),
    ("知识库演示", "load_knowledge_demo", []),
    ("法条检索索引", "build_law_index", ["--if-missing"]),
    # A year of generated activity for the supervision dashboards (fawang/insights/activity.py): ~25 s the first
    # time, a second or two after (it finds the year loaded and only rebuilds the rollup).
    ("一年业务数据（监督看板）", "load_activity", []),
]
PROGRESS_BARS = {"import_regions", "import_laws", "build_law_index"}


def static_fingerprint() -> str:
    """A digest of every file the static finders would collect (its path, size and modification time), and of
    the storage that post-processes them."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    seen: set[str] = set()
    entries: list[tuple[str, int, int]] = []
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path in seen:  # the first finder's file wins, as collectstatic does
                continue
            seen.add(path)
            stat = Path(storage.path(path)).stat()
            entries.append((path, stat.st_size, stat.st_mtime_ns))
    for path, size, mtime in sorted(entries):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()


def static_is_current(fingerprint: str) -> bool:
    root = Path(settings.STATIC_ROOT)
    kept = root / FINGERPRINT
    return (root / MANIFEST).exists() and kept.exists() and kept.read_text().strip() == fingerprint


class Command(BaseCommand):
    help = "一次准备好演示站点（make run 调用）：迁移、区划、演示数据、法律法规、检索索引、一年业务数据、静态文件。可重复运行。"
    requires_system_checks: list[str] = []  # bin/serve runs `manage.py check` once

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, quiet_progress: bool = False, **options: Any) -> None:
        started = time.monotonic()
        for label, command, arguments in STEPS:
            extra = ["--quiet-progress"] if quiet_progress and command in PROGRESS_BARS else []
            self.step(label, command, *arguments, *extra)
        # Uploads saved before encryption at rest was switched on are encrypted in place (issue 13).
        done = encrypt_existing()
        if done:
            self.stdout.write(f"上传文件：已加密 {done} 个原未加密的文件。")
        fingerprint = static_fingerprint()
        if static_is_current(fingerprint):
            self.stdout.write("静态文件：未变化，跳过 collectstatic。")
        else:
            self.step("静态文件", "collectstatic", "--no-input", "-v0")
            (Path(settings.STATIC_ROOT) / FINGERPRINT).write_text(fingerprint + "\n")
        self.stdout.write(self.style.SUCCESS(f"站点准备就绪，共 {time.monotonic() - started:.1f} 秒。"))

    def step(self, label: str, command: str, *arguments: str) -> None:
        began = time.monotonic()
        call_command(command, *arguments, skip_checks=True, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(f"{label}：{time.monotonic() - began:.1f} 秒")
