from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    name = "fawang.legalaid"
    verbose_name = "法律援助"

    def ready(self) -> None:
        from fawang.matters import lines

        from .notices import LINE

        lines.register(LINE)
