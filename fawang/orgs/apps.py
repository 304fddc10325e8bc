from typing import Any

from django.apps import AppConfig


def _unit_requires_2fa(user: Any) -> bool:
    from .models import Membership

    return Membership.objects.active().filter(user=user, unit__require_2fa=True).exists()


class OrgsConfig(AppConfig):
    name = "fawang.orgs"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        # Hooks into the apps below: which regions a user sees (by their memberships) and the unit's 2FA rule.
        from fawang.accounts import policy
        from fawang.regions import models as regions

        from .scoping import region_filter

        regions.set_scope(region_filter)
        policy.add_2fa_rule(_unit_requires_2fa)
