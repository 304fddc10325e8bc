"""What a person sees of their own matter, wherever they look (the tracking page, their account at /me/, the
citizens' API): the timeline of the events shown to them, a hint per status and the badge it wears.

Not a view module, so the citizens' pages and the API use it without importing matters' views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.accounts.models import User

from .models import Matter, MatterEvent

STATUS_HINTS: dict[str, Any] = {
    Matter.Status.SUBMITTED: gettext_lazy("您的申请已提交，正在等待办理机构受理。"),
    Matter.Status.ACCEPTED: gettext_lazy("办理机构已受理，正在审查办理。"),
    Matter.Status.AWAITING_MATERIALS: gettext_lazy(
        "需要您补正材料，请按下方清单一次性提交。补正期间不计入办理时限，逾期未补正的视为撤回申请。"
    ),
    Matter.Status.IN_PROGRESS: gettext_lazy("已指派专人办理，请保持电话畅通。"),
    Matter.Status.SUSPENDED: gettext_lazy("办理已中止，恢复办理后将通知您。"),
    Matter.Status.COMPLETED: gettext_lazy("已办结。欢迎您对本次服务作出评价。"),
    Matter.Status.CLOSED: gettext_lazy("已办结，事项已关闭。"),
    Matter.Status.REJECTED: gettext_lazy("不予受理，理由见下方办理记录。"),
    Matter.Status.WITHDRAWN: gettext_lazy("申请已撤回。如仍需办理，请重新提出申请。"),
    Matter.Status.MERGED: gettext_lazy("本事项已与您的其他申请合并办理，请查询合并后的事项。"),
}
PUBLIC_STATUS_BADGES: dict[str, str] = {
    Matter.Status.COMPLETED: "badge-ok",
    Matter.Status.CLOSED: "badge-ok",
    Matter.Status.AWAITING_MATERIALS: "badge-warn",
    Matter.Status.SUSPENDED: "badge-warn",
    Matter.Status.REJECTED: "badge-danger",
    Matter.Status.WITHDRAWN: "badge-muted",
    Matter.Status.MERGED: "badge-muted",
}
# What the person did themselves: shown as "本人" on the timeline rather than "系统".
PERSON_ACTIONS = {
    MatterEvent.Action.RATE,
    MatterEvent.Action.SUPPLY_MATERIALS,
    MatterEvent.Action.ATTACH,
    MatterEvent.Action.COMMENT,
}


def timeline(matter: Matter) -> list[dict[str, Any]]:
    """The events the person may see: when, what, a summary and who ("本人" for what they did themselves)."""
    events = matter.visible_events().select_related("actor", "old_unit")
    rows = []
    for event in events:
        by_person = (
            (event.actor is not None and event.actor.kind == User.Kind.PUBLIC)
            or (event.actor_id is None and event.action in PERSON_ACTIONS)
            or bool((event.payload or {}).get("by_person"))
        )
        rows.append(
            {
                "at": event.created_at,
                "action": event.get_action_display(),
                "summary": event.summary,
                "who": _("本人") if by_person else event.actor_label,
            }
        )
    return rows
