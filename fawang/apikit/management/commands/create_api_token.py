from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken


class Command(BaseCommand):
    help = "为用户创建接口令牌（令牌只显示这一次）。用法：create_api_token 用户名 名称"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="令牌用途，例如“移动端 APP”。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"用户 {options['username']} 不存在。") from None
        if not user.is_active:
            raise CommandError(f"用户 {user.username} 已停用。")
        token, raw = ApiToken.issue(user, options["name"])
        self.stdout.write(raw)
        self.stderr.write(f"已为 {user.username} 创建令牌“{token.name}”。请立即保存：令牌只显示这一次。")
