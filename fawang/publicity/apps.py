from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "fawang.publicity"
    verbose_name = "普法宣传"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.lib.nav import Entry, register
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        # The register of sites, display schedules, activities, village surveys and talk bookings, over the unit
        # that keeps them (a 司法局, 公共法律服务中心, 工作站 or 司法所).
        add_capability(
            "publicity.manage",
            {
                Membership.Role.HANDLER,
                Membership.Role.SUPERVISOR,
                Membership.Role.UNIT_ADMIN,
                Membership.Role.SYSTEM_ADMIN,
            },
        )
        section = _("普法宣传")
        register(
            Entry(section, _("普法阵地"), "publicity:sites", "publicity.manage"),
            Entry(section, _("普法活动"), "publicity:activities", "publicity.manage"),
            Entry(section, _("覆盖与知晓率"), "publicity:surveys", "publicity.manage"),
            Entry(section, _("讲座预约"), "publicity:bookings", "publicity.manage"),
        )
        codes.register("publicity.register_site", _("登记普法阵地"))
        codes.register("publicity.add_photo", _("上传普法照片"))
        codes.register("publicity.add_display_item", _("新增宣传栏/LED展示内容"))
        codes.register("publicity.plan_activity", _("登记普法活动"))
        codes.register("publicity.record_activity", _("登记普法活动开展情况"))
        codes.register("publicity.save_survey", _("录入村（居）普法覆盖与知晓率"))
        codes.register("publicity.book_talk", _("预约普法讲座"))
        codes.register("publicity.decide_booking", _("处理普法讲座预约"))
