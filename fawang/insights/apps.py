from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "fawang.insights"
    verbose_name = "监督与决策（大数据）"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fawang.lib import nav
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        R = Membership.Role
        # Supervision figures are the 司法局's: its supervisors (and the system administrator).
        add_capability("insights.view", {R.SUPERVISOR, R.SYSTEM_ADMIN})
        # Acting on a warning (acknowledge, assign, note, close): the same supervisors.
        add_capability("insights.handle_warning", {R.SUPERVISOR, R.SYSTEM_ADMIN})
        nav.register(
            nav.Entry(_("监督与决策"), _("数据看板"), "insights:dashboard", "insights.view"),
            nav.Entry(_("监督与决策"), _("热点与预警"), "insights:warnings", "insights.view"),
        )
