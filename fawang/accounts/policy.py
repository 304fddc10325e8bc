"""Sign-in policy: who must use a second factor."""

from __future__ import annotations

from typing import Any

from fawang.orgs.models import Membership


def requires_2fa(user: Any) -> bool:
    """A second factor is required once a user has set one up, or when any of their units demands it."""
    if user.has_totp:
        return True
    return Membership.objects.active().filter(user=user, unit__require_2fa=True).exists()
