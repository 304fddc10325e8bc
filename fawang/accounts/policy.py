"""Sign-in policy: who must use a second factor.

A second factor is required once a user has set one up, and whenever a registered rule demands it. Accounts sits
below orgs, so it does not know units or roles: orgs registers its rules with ``add_2fa_rule`` from its
AppConfig.ready() — system administrators, supervisors and unit administrators always (the rule is in the code,
not a setting, so no unit administrator can switch it off for them), other staff when a unit of theirs requires
it (``Unit.require_2fa``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = Callable[[Any], bool]

_RULES: list[Rule] = []


def add_2fa_rule(rule: Rule) -> None:
    """``rule(user)`` is True when something the user belongs to demands a second factor."""
    if rule not in _RULES:
        _RULES.append(rule)


def requires_2fa(user: Any) -> bool:
    """A second factor is required once a user has set one up, or when any registered rule demands it."""
    if user.has_totp:
        return True
    return any(rule(user) for rule in _RULES)
