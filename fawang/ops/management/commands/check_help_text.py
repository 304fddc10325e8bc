"""manage.py check_help_text [app_label ...]: fail when a model field has no help_text (run by `make lint`)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fawang.ops.helptext import fawang_models, fields_missing_help_text


class Command(BaseCommand):
    help = "检查每个模型字段都有 help_text（说明字段的业务含义和依据）；可只检查指定的应用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_labels", nargs="*", help="只检查这些应用（app label，例如 matters orgs）。")

    def handle(self, *args: Any, **options: Any) -> None:
        labels: list[str] = options["app_labels"]
        for label in labels:
            try:
                config = apps.get_app_config(label)
            except LookupError:
                raise CommandError(f"没有这个应用 / no such app: {label}") from None
            if not config.name.startswith("fawang."):
                raise CommandError(f"不是法网的应用 / not a fawang app: {label}")
        missing = fields_missing_help_text(fawang_models(labels))
        for name in missing:
            self.stderr.write(f"字段缺少 help_text / field without help_text: {name}")
        if missing:
            raise CommandError(
                f"{len(missing)} 个模型字段缺少 help_text / {len(missing)} model fields lack help_text. "
                "请用中文写明含义和依据；不言自明的字段名见 fawang/ops/helptext.py 的 SELF_EVIDENT_NAMES。"
            )
        self.stdout.write(self.style.SUCCESS("所有模型字段都有 help_text / every model field has help_text."))
