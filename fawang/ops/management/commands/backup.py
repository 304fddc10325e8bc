"""manage.py backup [--output DIR]: the database (online), the uploads and a checksummed manifest; never the keys
(fawang/ops/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fawang.ops import backups


class Command(BaseCommand):
    help = "备份数据库（在线一致备份）、上传的材料和带校验和的清单；不含密钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default=None,
            help="备份存放的目录（默认 BACKUP_DIR，即 var/backups；请再复制到另一台机器）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(
            options["output"] or getattr(settings, "BACKUP_DIR", Path(settings.VAR_DIR) / "backups")
        )
        made = backups.backup(target)
        size = sum(f["size"] for f in made.manifest["files"].values())
        self.stdout.write(
            f"备份完成：{made.folder}（{len(made.manifest['files'])} 个文件，{size / 1024 / 1024:.1f} MB）"
        )
