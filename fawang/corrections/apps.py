from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "fawang.corrections"
    verbose_name = "社区矫正"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.lib import jobs, nav
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        # Seeing a file: corrections staff, and the supervisors of a 司法局 (access.py: minors only the former).
        add_capability("corrections.view", {Membership.Role.CORRECTIONS_OFFICER, Membership.Role.SUPERVISOR})
        # Day-to-day supervision: takeover, reporting, schedule items, leave up to seven days, 表扬/训诫, tasks.
        add_capability("corrections.supervise", {Membership.Role.CORRECTIONS_OFFICER})
        # Decisions of the 社区矫正机构 (at a 司法局): monitoring, longer leave, 警告 and 提请, ending.
        add_capability(
            "corrections.approve", {Membership.Role.CORRECTIONS_OFFICER, Membership.Role.SUPERVISOR}
        )
        jobs.register("fawang.corrections.tasks.scan_supervision_task")
        nav.register(
            nav.Entry(_("社区矫正"), _("社区矫正对象"), "corrections:list", "corrections.view"),
            nav.Entry(_("社区矫正"), _("矫正待办"), "corrections:tasks", "corrections.view"),
            nav.Entry(_("社区矫正"), _("接收社区矫正对象"), "corrections:take_over", "corrections.supervise"),
        )
        for code, label in (
            ("corrections.take_over", _("接收社区矫正对象")),
            ("corrections.report", _("登记报到")),
            ("corrections.set_plan", _("制定矫正方案")),
            ("corrections.add_group_member", _("添加矫正小组成员")),
            ("corrections.link_account", _("关联本人账号")),
            ("corrections.check_in", _("定位报告")),
            ("corrections.record_item", _("登记听声或走访")),
            ("corrections.raise_task", _("生成矫正待办")),
            ("corrections.escalate_task", _("矫正待办升级")),
            ("corrections.close_task", _("处理矫正待办")),
            ("corrections.approve_monitoring", _("批准使用电子定位装置")),
            ("corrections.renew_monitoring", _("延长使用电子定位装置")),
            ("corrections.device_location", _("记录电子定位数据")),
            ("corrections.apply_leave", _("登记外出申请")),
            ("corrections.decide_leave", _("审批外出申请")),
            ("corrections.return", _("外出销假")),
            ("corrections.decide", _("考核奖惩决定")),
            ("corrections.assess", _("月度考核")),
            ("corrections.mark_lost", _("登记失去联系")),
            ("corrections.found", _("登记已找到")),
            ("corrections.end", _("解除或终止矫正")),
            ("corrections.activity", _("登记教育和公益活动")),
            ("corrections.visit_photo", _("上传走访照片")),
            ("corrections.record_call", _("登记电话系统听声通话")),
            ("corrections.receive_relocation", _("新执行地接收变更执行地")),
            ("corrections.reoffence", _("登记再犯罪")),
        ):
            codes.register(code, label)
        # 监管事项按时完成率 and 脱管率 on the supervisors' KPI board (fawang.insights reads them from the registry).
        from fawang.lib import supervision

        from .indicators import INDICATORS

        for indicator in INDICATORS:
            supervision.register_indicator(indicator)
