from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "fawang.matters"
    verbose_name = "服务事项办理"

    def ready(self) -> None:
        from .notices import register_kinds

        # Names of our message kinds in the outbox console; not workflow.
        register_kinds()
        from .actions.persons import register_audit_codes

        register_audit_codes()
        from fawang.notify import scopes

        from .models import Matter

        # The outbox: a message about a matter is seen by who sees the matter (docs/authority.md).
        scopes.register(
            Matter, visible=lambda user: Matter.objects.visible_to(user), unit_of=lambda m: m.unit
        )
