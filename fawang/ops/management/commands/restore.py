"""manage.py restore FOLDER --yes: check the backup's checksums, then replace the database and the uploads with
it. Stop the site (web, worker, scheduler) first (fawang/ops/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.ops import backups


class Command(BaseCommand):
    help = "从备份恢复数据库和上传的材料（先校验；请先停止网站、任务执行进程和调度进程）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="manage.py backup 生成的备份目录。")
        parser.add_argument("--yes", action="store_true", help="确认用备份替换当前的数据库和上传材料。")
        parser.add_argument(
            "--ignore-key", action="store_true", help="字段密钥与备份时不同也恢复（加密字段将无法读取）。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            manifest = backups.verify(folder)
            if not options["yes"]:
                raise CommandError(
                    f"备份完整（{manifest['created_at']}，{len(manifest['files'])} 个文件）。"
                    "恢复将替换当前的数据库和上传材料：确认请加 --yes。"
                )
            backups.restore(folder, ignore_key=options["ignore_key"])
        except backups.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"已从 {folder} 恢复（备份时间 {manifest['created_at']}）。")
