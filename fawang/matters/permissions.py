"""What a staff user may do with a matter right now: the moves its status allows (Matter.TRANSITIONS, and the
statuses each action starts from) that one of the user's roles grants over the matter's current unit.

This only decides which forms the workbench shows. The actions in fawang.matters.actions check everything
again when called (the status under a row lock, the role, the input), so a stale page can never do more
than the action allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fawang.orgs.authority import has_matter_capability
from fawang.orgs.roles import has_capability

from .models import Matter

if TYPE_CHECKING:
    from fawang.accounts.models import User

S = Matter.Status


@dataclass(frozen=True)
class ActionSpec:
    code: str
    label: str | Promise
    capabilities: tuple[str, ...]  # any one of them, over the matter's unit
    from_statuses: tuple[str, ...]
    target: str | None = None  # the status moved to; None: no status change (comment, escalate ...)
    danger: bool = False  # shown as a red button (it ends or reverses the matter)


OPEN = tuple(Matter.OPEN_STATUSES)
DONE = tuple(Matter.DONE_STATUSES)

# In the order the detail page shows them: the usual next step first.
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("accept", _("受理"), ("matters.handle",), (S.SUBMITTED,), S.ACCEPTED),
    ActionSpec("assign", _("分派承办人"), ("matters.assign",), (S.ACCEPTED, S.IN_PROGRESS), S.IN_PROGRESS),
    ActionSpec(
        "request_materials",
        _("一次性告知补正"),
        ("matters.handle",),
        (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS),
        S.AWAITING_MATERIALS,
    ),
    ActionSpec(
        "supply_materials", _("登记已补正"), ("matters.intake", "matters.handle"), (S.AWAITING_MATERIALS,)
    ),
    ActionSpec("complete", _("办结"), ("matters.handle",), (S.ACCEPTED, S.IN_PROGRESS), S.COMPLETED),
    ActionSpec("resume", _("恢复办理"), ("matters.handle",), (S.SUSPENDED,)),
    ActionSpec("comment", _("留言"), ("matters.comment",), tuple(S.values)),
    ActionSpec(
        "transfer",
        _("转办"),
        ("matters.transfer",),
        (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS),
        S.SUBMITTED,
    ),
    ActionSpec(
        "change_item",
        _("转换事项"),
        ("matters.intake", "matters.handle"),
        (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED),
        S.SUBMITTED,
    ),
    ActionSpec("suspend", _("中止"), ("matters.handle",), (S.ACCEPTED, S.IN_PROGRESS), S.SUSPENDED),
    ActionSpec("escalate", _("提请督办"), ("matters.escalate",), OPEN),
    ActionSpec("merge", _("合并重复事项"), ("matters.handle",), OPEN),
    ActionSpec("rate", _("代录评价"), ("matters.intake", "matters.callback"), DONE),
    ActionSpec("close", _("关闭"), ("matters.handle", "matters.supervise"), (S.COMPLETED,), S.CLOSED),
    ActionSpec(
        "reopen",
        _("重新办理"),
        ("matters.reopen",),
        (S.COMPLETED, S.CLOSED, S.REJECTED, S.WITHDRAWN),
        danger=True,
    ),
    ActionSpec("reject", _("不予受理"), ("matters.handle",), (S.SUBMITTED,), S.REJECTED, danger=True),
    ActionSpec("withdraw", _("撤回"), ("matters.intake", "matters.handle"), OPEN, S.WITHDRAWN, danger=True),
)
BY_CODE = {spec.code: spec for spec in ACTIONS}


def _can(user: Any, capabilities: Iterable[str], matter: Matter) -> bool:
    return any(has_matter_capability(user, cap, matter.unit, matter.intake_unit) for cap in capabilities)


def status_allows(spec: ActionSpec, matter: Matter) -> bool:
    if matter.status not in spec.from_statuses:
        return False
    return spec.target is None or matter.allowed(spec.target)


def available_actions(user: User, matter: Matter, *, rated: bool | None = None) -> list[ActionSpec]:
    """The actions ``user`` may take on ``matter`` in its current status, in display order.

    ``rated``: whether the matter has an evaluation already (the caller may know; otherwise one query when
    the matter is completed). Rating is also never offered to the matter's own handler (do_rate refuses it).
    """
    out: list[ActionSpec] = []
    for spec in ACTIONS:
        if not status_allows(spec, matter) or not _can(user, spec.capabilities, matter):
            continue
        if spec.code == "rate":
            if matter.handler_id == user.pk:
                continue
            if rated is None:
                from .models import Evaluation

                rated = Evaluation.objects.filter(matter_id=matter.pk).exists()
            if rated:
                continue
        out.append(spec)
    return out


def can_upload(user: User, matter: Matter) -> bool:
    return matter.status not in Matter.ENDED_STATUSES and _can(
        user, ("matters.intake", "matters.handle"), matter
    )


def can_reveal(user: User, matter: Matter | None = None) -> bool:
    if matter is None:
        return has_capability(user, "matters.view_personal_data")
    return _can(user, ("matters.view_personal_data",), matter)


def can_cite(user: User, matter: Matter) -> bool:
    """May choose the matter's 法律依据 (actions.legal_basis.CITE_CAPABILITIES)."""
    from .actions.legal_basis import CITE_CAPABILITIES

    return _can(user, CITE_CAPABILITIES, matter)


def can_correct_topic(user: User, matter: Matter) -> bool:
    from .actions.legal_basis import TOPIC_CAPABILITIES

    return _can(user, TOPIC_CAPABILITIES, matter)
