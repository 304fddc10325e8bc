from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisorsConfig(AppConfig):
    name = "fawang.advisors"
    verbose_name = "村居法律顾问工作"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.lib import jobs, pointpage
        from fawang.lib.nav import Entry, register
        from fawang.matters import lines
        from fawang.notify import kinds
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        # The advisor's own pages: the schedule, the work log (only their own, through Practitioner.user).
        add_capability("advisors.log_work", {Membership.Role.LEGAL_ADVISOR})
        # Schedules, committee contacts, monthly figures, the subsidy export, missed days, subsidy rules, the
        # talent pool and its recommendations: the supervising 司法局 (and the system administrator).
        add_capability(
            "advisors.manage",
            {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN},
        )
        jobs.register("fawang.advisors.tasks.check_missed_task")
        from .line import LINE

        lines.register(LINE)
        from .board import card

        # The advisor block of a village room's 公示牌 (fawang.frontdesk prints the board).
        pointpage.register_advisor_card(card)
        section = _("村居法律顾问")
        register(
            Entry(section, _("我的驻村工作"), "advisors:my_work", "advisors.log_work"),
            Entry(section, _("月度履职与补助"), "advisors:monthly", "advisors.manage"),
            Entry(section, _("未履职预警"), "advisors:missed", "advisors.manage"),
            Entry(section, _("补助办法"), "advisors:rules", "advisors.manage"),
            Entry(section, _("人才信息库"), "advisors:talent", "advisors.manage"),
            Entry(section, _("律师参与信访接待"), "advisors:petition", "advisors.manage"),
        )
        codes.register("advisors.add_service_day", _("新增法律顾问服务安排"))
        codes.register("advisors.remove_service_day", _("删除法律顾问服务安排"))
        codes.register("advisors.set_board_profile", _("设置法律顾问公示信息"))
        codes.register("advisors.set_committee_contact", _("登记村委会确认联系人"))
        codes.register("advisors.log_work", _("填报法律顾问工作日志"))
        codes.register("advisors.confirm_work", _("村委会确认法律顾问服务"))
        codes.register("advisors.missed_day", _("法律顾问未按安排履职"))
        codes.register("advisors.add_subsidy_rule", _("录入法律服务工作补助办法"))
        codes.register("advisors.save_talent", _("更新人才信息库"))
        codes.register("advisors.add_petition_post", _("登记信访接待场所"))
        codes.register("advisors.add_petition_duty", _("安排律师信访值班"))
        codes.register("advisors.log_petition_duty", _("填写律师信访值班记录"))
        kinds.register("otp.advisor_confirm", _("村委会确认码"), sensitive=True)
        kinds.register("advisors.missed", _("法律顾问未履职提醒"))
