"""What a staff user may do with a matter right now: the registered actions (matters.registry) whose row of
moves (Matter.MOVES) starts from its status and that one of the user's roles grants over the matter's current
unit.

This only decides which forms the workbench shows. The actions in fawang.matters.actions check everything
again when called (the status under a row lock, the role, the input), so a stale page can never do more
than the action allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fawang.orgs.authority import has_matter_capability
from fawang.orgs.roles import has_capability

from .models import Matter

if TYPE_CHECKING:
    from fawang.accounts.models import User

    from .registry import ActionDef


def _can(user: Any, capabilities: Iterable[str], matter: Matter) -> bool:
    return any(has_matter_capability(user, cap, matter.unit, matter.intake_unit) for cap in capabilities)


def may(user: Any, capabilities: Iterable[str], matter: Matter) -> bool:
    """Whether ``user`` has any of ``capabilities`` over the matter's unit (for a business line's own checks)."""
    return _can(user, capabilities, matter)


def available_actions(user: User, matter: Matter, *, rated: bool | None = None) -> list[ActionDef]:
    """The actions ``user`` may take on ``matter`` in its current status, in display order: the registered
    actions (matters.registry) whose row of moves starts from the status and whose capability the user has over
    the matter's unit.

    ``rated``: whether the matter has an evaluation already (the caller may know; otherwise one query when
    the matter is completed). Rating is also never offered to the matter's own handler (do_rate refuses it).
    """
    from . import registry

    return registry.available(user, matter, rated=rated)


def can_upload(user: User, matter: Matter) -> bool:
    return matter.status not in Matter.ENDED_STATUSES and _can(
        user, ("matters.intake", "matters.handle"), matter
    )


def can_reveal(user: User, matter: Matter | None = None) -> bool:
    if matter is None:
        return has_capability(user, "matters.view_personal_data")
    return _can(user, ("matters.view_personal_data",), matter)


def can_correct_topic(user: User, matter: Matter) -> bool:
    from .actions.topic import TOPIC_CAPABILITIES

    return _can(user, TOPIC_CAPABILITIES, matter)
