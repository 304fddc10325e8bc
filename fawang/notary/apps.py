from django.apps import AppConfig


class NotaryConfig(AppConfig):
    name = "fawang.notary"
    verbose_name = "公证"

    def ready(self) -> None:
        from fawang.matters import lines

        from .items import NOTARY

        lines.register_item_data(NOTARY)
