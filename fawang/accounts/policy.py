"""Sign-in policy: who must use a second factor.

Accounts sits below orgs, so it does not know units. An app above it that can demand a second factor (orgs: a unit
with ``require_2fa``) registers a check with ``add_2fa_rule`` from its AppConfig.ready().
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
