"""Sign-in policy: who must use a second factor.

System administrators, supervisors and unit administrators always need one: the rule is in the code, not a
setting, so no unit administrator (or anyone else) can switch it off for them. Other staff need one when a
unit of theirs requires it (``Unit.require_2fa``) or once they have set one up.
"""

from __future__ import annotations

from typing import Any

from fawang.orgs.models import Membership

R = Membership.Role
# Roles whose holders always sign in with a second factor.
ROLES_REQUIRING_2FA = frozenset({R.SYSTEM_ADMIN, R.SUPERVISOR, R.UNIT_ADMIN})


def role_requires_2fa(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return Membership.objects.active().filter(user=user, role__in=ROLES_REQUIRING_2FA).exists()


def requires_2fa(user: Any) -> bool:
    """A second factor is required once a user has set one up, for the roles above, or when any of their
    units demands it."""
    if user.has_totp or role_requires_2fa(user):
        return True
    return Membership.objects.active().filter(user=user, unit__require_2fa=True).exists()
