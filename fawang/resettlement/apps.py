from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResettlementConfig(AppConfig):
    name = "fawang.resettlement"
    verbose_name = "安置帮教"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.corrections.actions import on_end
        from fawang.lib import nav
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        from .actions import open_from_correction

        # The 司法所's staff who run 安置帮教 (the corrections staff), and the 司法局's supervisors.
        add_capability("resettlement.view", {Membership.Role.CORRECTIONS_OFFICER, Membership.Role.SUPERVISOR})
        add_capability("resettlement.work", {Membership.Role.CORRECTIONS_OFFICER})
        # A prison or detention centre sends release notices (window clerks of a 监所).
        add_capability("resettlement.notify", {Membership.Role.WINDOW_CLERK})
        nav.register(
            nav.Entry(_("安置帮教"), _("刑满释放衔接"), "resettlement:notices", "resettlement.view"),
            nav.Entry(_("安置帮教"), _("帮教档案"), "resettlement:files", "resettlement.view"),
            nav.Entry(_("安置帮教"), _("衔接安置指标"), "resettlement:rates", "resettlement.view"),
        )
        for code, label in (
            ("resettlement.notice", _("收到刑满释放通知")),
            ("resettlement.connect", _("登记衔接（必接必送）")),
            ("resettlement.open_file", _("建立帮教档案")),
            ("resettlement.help", _("登记帮教记录")),
            ("resettlement.place", _("登记安置情况")),
            ("resettlement.plan", _("制定帮教计划")),
            ("resettlement.reoffence", _("登记重新犯罪")),
        ):
            codes.register(code, label)
        on_end(open_from_correction)
        # 衔接率 and 安置率 on the supervisors' KPI board (fawang.insights reads them from the registry).
        from fawang.lib import supervision

        from .indicators import INDICATORS

        for indicator in INDICATORS:
            supervision.register_indicator(indicator)
