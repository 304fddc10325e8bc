from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotaryConfig(AppConfig):
    name = "fawang.notary"
    verbose_name = "公证"

    def ready(self) -> None:
        from fawang.matters import lines
        from fawang.notify import kinds

        from .actions import BOOKED, PREREVIEWED
        from .items import NOTARY
        from .line import LINE

        lines.register_item_data(NOTARY)
        lines.register(LINE)
        kinds.register(PREREVIEWED, _("公证材料预审结果"))
        kinds.register(BOOKED, _("公证预约办理"))
