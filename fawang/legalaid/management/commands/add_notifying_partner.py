"""Register a court, procuratorate or police organ for the notification API (通知辩护) and print its signing secret
once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.legalaid.actions import add_notifying_partner
from fawang.orgs.models import Unit


class Command(BaseCommand):
    help = "法律援助：登记通知辩护对接单位（人民法院、人民检察院、公安机关），生成签名密钥（只显示一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="通知机关名称，如 厦门市思明区人民法院")
        parser.add_argument("kind", choices=["court", "procuratorate", "police"])
        parser.add_argument("key_id", help="接入标识（请求头 X-Partner）")
        parser.add_argument("centre", help="接收通知的法律援助机构名称")

    def handle(self, *args: Any, **options: Any) -> None:
        centre = Unit.objects.filter(name=options["centre"], kind=Unit.Kind.LEGAL_AID).first()
        if centre is None:
            raise CommandError("没有该名称的法律援助机构。")
        try:
            partner, secret = add_notifying_partner(
                name=options["name"], kind=options["kind"], key_id=options["key_id"], centre=centre
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        self.stdout.write(f"{partner.name} ({partner.key_id})\n签名密钥（只显示这一次）：{secret}")
