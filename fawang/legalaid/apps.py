from dataclasses import replace

from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    name = "fawang.legalaid"
    verbose_name = "法律援助"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fawang.audit import codes
        from fawang.lib import nav
        from fawang.matters import lines, registry
        from fawang.notify import kinds
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        from . import actions
        from .line import ACTIONS, panel_context, public_panel_context
        from .notices import LINE

        # Review and decide, assign and check case files: the 法律援助中心's handlers.
        add_capability(actions.DECIDE, {Membership.Role.HANDLER, Membership.Role.SYSTEM_ADMIN})
        # Hardship standards and reference figures of a region: the bureau's supervisors and admins.
        add_capability(
            actions.STANDARDS,
            {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN},
        )
        # A law firm's (基层所's) work on the cases assigned to it: accept, log, close.
        add_capability(
            actions.CASEWORK,
            {Membership.Role.HANDLER, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN},
        )
        # Deciding objections (第四十九条): the 司法局 that set up the centre.
        add_capability(actions.OBJECTION, {Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN})

        lines.register(
            replace(
                LINE,
                panel=lines.Panel("legalaid/_panel.html", panel_context),
                public_panel=lines.Panel("legalaid/_public_panel.html", public_panel_context),
            )
        )
        for defn in ACTIONS:
            registry.register(defn)

        section = _("法律援助")
        nav.register(
            nav.Entry(section, _("经济困难标准"), "legalaid:standards"),
            nav.Entry(section, _("法律援助人员名册"), "legalaid:roster"),
            nav.Entry(section, _("法律援助案件"), "legalaid:cases"),
            nav.Entry(section, _("通知辩护"), "legalaid:notifications"),
            nav.Entry(section, _("值班律师"), "legalaid:duty"),
            nav.Entry(section, _("异议审查"), "legalaid:objections"),
            nav.Entry(section, _("办案补贴"), "legalaid:subsidies"),
            nav.Entry(section, _("法律援助统计"), "legalaid:statistics"),
        )
        codes.register("legalaid.set_standard", _("调整经济困难标准"))
        codes.register("legalaid.set_reference", _("调整参照标准"))
        codes.register("legalaid.add_to_roster", _("列入法律援助人员名册"))
        codes.register("legalaid.decide_objection", _("审查法律援助异议"))
        codes.register("legalaid.approve_subsidy", _("审批办案补贴"))
        codes.register("legalaid.add_station", _("设立法律援助工作站"))
        codes.register("legalaid.add_shift", _("值班律师排班"))
        codes.register("legalaid.log_duty", _("记录值班律师法律帮助"))
        codes.register("legalaid.add_partner", _("登记通知辩护对接单位"))
        for code, label in (
            ("legalaid.assigned", _("法律援助指派")),
            ("legalaid.notified", _("通知辩护")),
            ("legalaid.closed", _("法律援助结案待审查")),
            ("legalaid.objection", _("法律援助异议")),
            ("legalaid.objection_maintained", _("法律援助异议维持")),
            ("legalaid.terminated", _("终止法律援助")),
        ):
            kinds.register(code, label)
