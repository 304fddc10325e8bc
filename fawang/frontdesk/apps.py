from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "fawang.frontdesk"
    verbose_name = "前台预约"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fawang.audit import codes
        from fawang.lib import jobs, nav, pointpage
        from fawang.matters import lines, registry
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        from .line import DESK_LINE
        from .notices import register_kinds
        from .suggestion_views import point_section
        from .visits import RECORD_VISIT, SCHEDULE_VISIT, VISIT_LINE

        # Names of our message kinds in the outbox console; not workflow.
        register_kinds()
        # The hall screens' links (叫号大屏) of a point: made and revoked by its admins.
        add_capability("frontdesk.manage_hall", {Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN})
        codes.register("frontdesk.post", _("窗口上岗"))
        codes.register("frontdesk.end_posting", _("窗口离岗"))
        codes.register("frontdesk.add_display", _("新建叫号大屏"))
        codes.register("frontdesk.revoke_display", _("停用叫号大屏"))
        codes.register("frontdesk.suggest", _("便民箱意见"))
        codes.register("frontdesk.answer_suggestion", _("答复便民箱意见"))
        codes.register("frontdesk.remind_suggestion", _("便民箱意见超期提醒"))
        codes.register("frontdesk.kiosk_lookup", _("自助终端查询事项"))
        codes.register("frontdesk.open_handoff", _("生成扫码上传链接"))
        codes.register("frontdesk.handoff_upload", _("扫码上传材料"))
        # The 便民箱 (form and published answers) on a point's public page, e.g. a village room's.
        pointpage.register(
            pointpage.Section("frontdesk.suggest", "frontdesk/_point_suggestions.html", point_section)
        )
        jobs.register(
            "fawang.frontdesk.tasks.derive_slots_task",
            "fawang.frontdesk.tasks.send_reminders_task",
            "fawang.frontdesk.tasks.remind_suggestions_task",
        )
        nav.register(nav.Entry(_("预约服务"), _("便民箱"), "frontdesk:suggestions", "frontdesk.desk"))
        nav.register(nav.Entry(_("预约服务"), _("排队叫号"), "frontdesk:queue", "frontdesk.desk"))
        nav.register(nav.Entry(_("机构与人员"), _("三级平台覆盖"), "frontdesk:coverage", "matters.supervise"))
        # The window and clerk that took a matter in (岗位责任制), on the matter's page.
        lines.register(DESK_LINE)
        # 上门服务: two matter actions and the visit's card on the matter page.
        registry.register(SCHEDULE_VISIT, before="comment")
        registry.register(RECORD_VISIT, before="comment")
        lines.register(VISIT_LINE)
