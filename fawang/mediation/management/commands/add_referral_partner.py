"""Register a court, police station or petition office for the referral API and print its signing secret once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.mediation.actions import add_partner


class Command(BaseCommand):
    help = "人民调解：登记诉调、警调、访调对接单位，生成签名密钥（只显示一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="对接单位名称，如 厦门市思明区人民法院")
        parser.add_argument("kind", choices=["court", "police", "petition"])
        parser.add_argument("key_id", help="接入标识（请求头 X-Partner）")
        parser.add_argument("--callback", default="", help="调解结果回传地址（https）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partner, secret = add_partner(
                name=options["name"],
                kind=options["kind"],
                key_id=options["key_id"],
                callback_url=options["callback"],
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        self.stdout.write(f"{partner.name} ({partner.key_id})\n签名密钥（只显示这一次）：{secret}")
