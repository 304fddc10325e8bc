from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.knowledge.topics.command import classify_lines


class Command(BaseCommand):
    help = (
        '为咨询问题分类：逐行读取 JSON（{"question": ...}），逐行输出加上 topic（中文主题名）的 JSON；'
        "其余字段原样保留。空行或无效行在标准错误输出中提示，并以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON Lines 文件，每行一个含 question 字段的对象；- 表示标准输入")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        if file == "-":
            bad = classify_lines(sys.stdin, self.stdout, self.stderr)
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"找不到输入文件：{file}")
            try:
                with open(path, encoding="utf-8") as f:
                    bad = classify_lines(f, self.stdout, self.stderr)
            except UnicodeDecodeError as e:
                raise CommandError(f"输入文件不是 UTF-8 编码：{file}（{e.reason}）") from e
        if bad:
            raise CommandError(f"有 {bad} 行无效，已跳过；其余各行已输出")
