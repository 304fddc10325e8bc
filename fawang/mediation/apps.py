from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "fawang.mediation"
    verbose_name = "人民调解"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fawang.lib import jobs, nav, supervision
        from fawang.matters import lines
        from fawang.notify import kinds
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        from .actions import register_audit_codes
        from .line import LINE

        # Working a case: 立案, consent, mediators, sessions, agreement, confirmation, follow-ups.
        add_capability("mediation.handle", {Membership.Role.HANDLER, Membership.Role.SYSTEM_ADMIN})
        # 矛盾纠纷排查 and 研判会 records (committees, 司法所, village rooms).
        add_capability(
            "mediation.screen",
            {Membership.Role.HANDLER, Membership.Role.LEGAL_ADVISOR, Membership.Role.SYSTEM_ADMIN},
        )
        # Following up and lowering risk warnings (the committee, the 司法所 and the 司法局's supervisors).
        add_capability(
            "mediation.warn",
            {Membership.Role.HANDLER, Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN},
        )
        # Editing committees' particulars and staffing, their mediators and trainings: a committee its own, a 司法所
        # its town's, a 司法局 its region's (where: the unit rule).
        add_capability(
            "mediation.manage",
            {
                Membership.Role.HANDLER,
                Membership.Role.SUPERVISOR,
                Membership.Role.UNIT_ADMIN,
                Membership.Role.SYSTEM_ADMIN,
            },
        )
        # Statistics and their Excel export.
        add_capability(
            "mediation.stats",
            {
                Membership.Role.HANDLER,
                Membership.Role.SUPERVISOR,
                Membership.Role.UNIT_ADMIN,
                Membership.Role.SYSTEM_ADMIN,
            },
        )
        section = _("人民调解")
        nav.register(
            nav.Entry(section, _("调解案件"), "mediation:cases"),
            nav.Entry(section, _("矛盾纠纷排查"), "mediation:screenings"),
            nav.Entry(section, _("风险预警"), "mediation:warnings"),
            nav.Entry(section, _("调委会与调解员"), "mediation:committees"),
            nav.Entry(section, _("调解统计"), "mediation:stats", "mediation.stats"),
        )
        register_audit_codes()
        jobs.register("fawang.mediation.tasks.daily_task")
        kinds.register("mediation.confirmation_reminder", _("司法确认期限提醒"))
        kinds.register("mediation.warning_overdue", _("风险预警逾期未跟踪提醒"))
        lines.register(LINE)
        # 风险预警 (人民调解法 第二十五条) also reach the 司法局's supervisors' early-warning loop (fawang.insights).
        supervision.register_warnings(
            supervision.WarningSource(
                key="mediation.risk",
                label=_("矛盾纠纷预警"),
                model="mediation.RiskWarning",
                open_filter=(("status", "open"),),
                region_field="region_id",
                raised_field="raised_at",
                text_field="summary",
                url_name="mediation:warning",
            )
        )
        # 调解成功率 on the supervisors' KPI board.
        from .indicators import INDICATORS

        for indicator in INDICATORS:
            supervision.register_indicator(indicator)
