from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "fawang.frontdesk"
    verbose_name = "前台预约"

    def ready(self) -> None:
        from .notices import register_kinds

        # Names of our message kinds in the outbox console; not workflow.
        register_kinds()
