from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "fawang.consult"
    verbose_name = "法律咨询"

    def ready(self) -> None:
        from fawang.matters import lines

        from .line import LINE

        lines.register(LINE)
