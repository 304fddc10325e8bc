from typing import Any

from django.apps import AppConfig

# Roles whose holders always sign in with a second factor (Membership.Role values).
ROLES_REQUIRING_2FA = frozenset({"system_admin", "supervisor", "unit_admin"})


def role_requires_2fa(user: Any) -> bool:
    """System administrators, supervisors and unit administrators always sign in with a second factor."""
    from .models import Membership

    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.active().filter(user=user, role__in=ROLES_REQUIRING_2FA).exists()


def unit_requires_2fa(user: Any) -> bool:
    from .models import Membership

    return Membership.objects.active().filter(user=user, unit__require_2fa=True).exists()


class OrgsConfig(AppConfig):
    name = "fawang.orgs"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        # Hooks into the apps below: which regions a user sees (by the units reached) and the 2FA rules.
        from fawang.accounts import policy
        from fawang.regions import models as regions

        from . import scoping
        from .authority import regions_filter

        regions.set_scope(regions_filter)
        scoping.connect()  # the per-process copies of the memberships: every change bumps their token
        policy.add_2fa_rule(role_requires_2fa)
        policy.add_2fa_rule(unit_requires_2fa)
