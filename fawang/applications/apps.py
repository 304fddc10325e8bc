from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "fawang.applications"
    verbose_name = "网上申请"

    def ready(self) -> None:
        from fawang.matters import lines

        from .console import facts_panel

        # The online application's facts on the staff matter page, for any matter that came from one.
        lines.register(
            lines.Line(
                "online_application",
                lambda matter: True,
                panel=lines.Panel("applications/console/_facts.html", facts_panel),
            )
        )
