from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "fawang.appraisal"
    verbose_name = "司法鉴定"

    def ready(self) -> None:
        from fawang.audit import codes
        from fawang.lib.nav import Entry, register
        from fawang.matters import lines
        from fawang.orgs.models import Membership
        from fawang.orgs.roles import add_capability

        from .actions import LICENSE
        from .items import APPRAISAL
        from .line import LINE

        # Recording an institution's and its appraisers' licensed categories: the 司法局 covering the institution
        # (actions.may_license keeps it to bureau memberships), and the system administrator.
        add_capability(
            LICENSE, {Membership.Role.SUPERVISOR, Membership.Role.UNIT_ADMIN, Membership.Role.SYSTEM_ADMIN}
        )
        lines.register_item_data(APPRAISAL)
        lines.register(LINE)
        register(Entry(_("司法鉴定"), _("鉴定机构业务范围"), "appraisal:institutions"))
        codes.register("appraisal.set_categories", _("登记司法鉴定机构业务范围"))
        codes.register("appraisal.set_appraiser_categories", _("登记司法鉴定人执业类别"))
