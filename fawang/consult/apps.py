from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "fawang.consult"
    verbose_name = "法律咨询"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from fawang.knowledge.alerts import register_citation_source
        from fawang.matters import lines
        from fawang.notify import kinds

        from .legal_basis import flag_cited_answers
        from .line import LEGAL_BASIS, LINE

        lines.register(LINE)
        lines.register(LEGAL_BASIS)
        # Law-change alerts reach the legal basis of answered matters too.
        register_citation_source(flag_cited_answers)
        # The name of our message kind in the outbox (the unit is told the person resolved it: do_resolve).
        kinds.register("matter.resolved", gettext_lazy("咨询已解决"))
