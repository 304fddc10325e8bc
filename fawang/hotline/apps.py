from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "fawang.hotline"
    verbose_name = "12348 热线"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.lib import nav
        from fawang.matters import lines, registry
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        # The agent's desk: a seat, the screen pop, taking in from a call, wrap-up, callbacks.
        add_capability("hotline.desk", {Membership.Role.HOTLINE_AGENT, Membership.Role.SYSTEM_ADMIN})
        # Supervising the hotline: calls and callbacks of the units reached, statistics and their export.
        add_capability(
            "hotline.supervise",
            {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN},
        )
        # Setting up a centre's telephone systems (push tokens and signing secrets).
        add_capability("hotline.manage", {Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN})
        for code, label in (
            ("hotline.create_system", _("登记电话系统")),
            ("hotline.sign_in", _("签入坐席")),
            ("hotline.sign_out", _("签出坐席")),
            ("hotline.wrap_up", _("来电小结")),
            ("hotline.take_in", _("来电受理")),
            ("hotline.show_number", _("查看完整来电号码")),
            ("hotline.callback_done", _("登记回拨结果")),
            ("hotline.callback_dial", _("外呼回拨")),
            ("hotline.settings", _("热线中心设置")),
            ("hotline.add_queue", _("添加热线队列")),
            ("hotline.queue_active", _("启用/停用热线队列")),
            ("hotline.update_system", _("修改电话系统")),
            ("hotline.rotate_system", _("更换推送令牌或签名密钥")),
            ("hotline.add_shift", _("排班（值班）")),
            ("hotline.remove_shift", _("删除值班")),
            ("hotline.refer", _("转值班律师")),
            ("hotline.referral_done", _("值班处理转接")),
            ("hotline.followup_dial", _("回访外呼")),
            ("hotline.quality_item", _("添加质检项")),
            ("hotline.quality_sample", _("质检抽检")),
            ("hotline.quality_score", _("质检评分")),
            ("hotline.quality_appeal", _("质检申诉")),
            ("hotline.quality_decide", _("处理质检申诉")),
        ):
            codes.register(code, label)
        from . import cti
        from .line import LINE, REFER_TO_DUTY
        from .models import CtiSystem

        # The CTI endpoint's copies of the telephone systems: renewed on every save or delete of one.
        cti.SYSTEMS.connect(CtiSystem)

        lines.register(LINE)
        # 接通率 and 回拨及时率 on the supervisors' KPI board (fawang.insights reads them from the registry).
        from fawang.lib import supervision

        from .indicators import INDICATORS

        for indicator in INDICATORS:
            supervision.register_indicator(indicator)
        # 转值班律师 on a matter: its page's form and the API endpoint, from one definition.
        registry.register(REFER_TO_DUTY, before="comment")
        section = _("12348 热线")
        nav.register(
            nav.Entry(section, _("坐席工作台"), "hotline:desk", "hotline.desk"),
            nav.Entry(section, _("回拨任务"), "hotline:callbacks", "hotline.desk"),
            nav.Entry(section, _("联动待反馈"), "hotline:handovers", "hotline.desk"),
            nav.Entry(section, _("值班表"), "hotline:roster", "hotline.desk"),
            nav.Entry(section, _("值班待办"), "hotline:duty_queue", None),
            nav.Entry(section, _("值班表"), "hotline:roster", "hotline.manage"),
            nav.Entry(section, _("来电记录"), "hotline:calls", "hotline.supervise"),
            nav.Entry(section, _("质检"), "hotline:quality", "hotline.supervise"),
            nav.Entry(section, _("我的质检"), "hotline:quality", "hotline.desk"),
            nav.Entry(section, _("热线统计"), "hotline:stats", "hotline.supervise"),
            nav.Entry(section, _("热线系统设置"), "hotline:setup", "hotline.manage"),
        )
