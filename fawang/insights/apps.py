from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "fawang.insights"
    verbose_name = "监督与决策（大数据）"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fawang.audit import codes
        from fawang.lib import jobs, nav
        from fawang.notify import kinds
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        # Supervision figures are the 司法局's: its supervisors (and the system administrator).
        add_capability("insights.view", {Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN})
        # Acting on a warning (acknowledge, assign, note, close): the same supervisors.
        add_capability("insights.handle_warning", {Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN})
        # 工作计划: making a plan, breaking it into tasks, recording progress — the same supervisors.
        add_capability("insights.plan", {Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN})
        # The text blocks of the monthly and yearly reports: the same supervisors.
        add_capability("insights.write_report", {Membership.Role.SUPERVISOR, Membership.Role.SYSTEM_ADMIN})
        codes.register("insights.raise_warning", _("发出风险预警"))
        codes.register("insights.acknowledge_warning", _("签收风险预警"))
        codes.register("insights.assign_warning", _("交办风险预警"), also=("orgs.unit",))
        codes.register("insights.note_warning", _("记录预警处置情况"))
        codes.register("insights.close_warning", _("办结风险预警"))
        codes.register("insights.write_report", _("编写统计报告文字"))
        codes.register("insights.create_plan", _("制定工作计划"))
        codes.register("insights.add_plan_task", _("分解计划任务"), also=("orgs.unit",))
        codes.register("insights.plan_progress", _("记录计划任务进展"))
        codes.register("insights.complete_plan_task", _("完成计划任务"))
        kinds.register("insights.warning", _("风险预警"))
        # The rollup: the days whose matters changed since the last pass.
        jobs.register("fawang.insights.tasks.refresh_rollups_task")
        nav.register(
            nav.Entry(_("监督与决策"), _("数据看板"), "insights:home", "insights.view"),
            nav.Entry(_("监督与决策"), _("热点与预警"), "insights:warnings", "insights.view"),
            nav.Entry(_("监督与决策"), _("工作计划"), "insights:plans_home", "insights.view"),
        )
