"""manage.py rotate_field_key: a new field key, every encrypted column and look-up hash redone under it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.ops.rotation import rotate


class Command(BaseCommand):
    help = "更换字段加密密钥：用新密钥重新加密全部加密字段并重算索引哈希（先备份，见 README“数据与密钥”）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key-file",
            type=Path,
            help="新密钥写入的文件（密钥由环境变量 FIELD_KEY 提供时必须指定）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from_env = bool(os.environ.get("FIELD_KEY"))
        new_key_file: Path | None = options.get("new_key_file")
        if from_env and new_key_file is None:
            raise CommandError("字段密钥来自环境变量 FIELD_KEY：请用 --new-key-file 指定新密钥写入的文件。")
        key_file = None if from_env else Path(settings.FIELD_KEY_FILE)
        report, where = rotate(key_file=key_file, new_key_file=new_key_file)
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"已用新密钥重新加密 {report.total} 行；新密钥在 {where}。"))
        if from_env or new_key_file is not None:
            self.stdout.write(
                "请把 FIELD_KEY 改为新密钥、把原密钥放入 FIELD_OLD_KEYS，重启各进程；核对无误后再删除原密钥。"
            )
        else:
            self.stdout.write(f"原密钥保存在 {where}.old；核对无误、备份已更新后再删除。")
