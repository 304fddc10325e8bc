"""What the person and staff are told when a matter moves, written to the notification outbox (fawang.notify).

Messages are enqueued inside the action's transaction (a transactional outbox): they exist exactly when the
change they report exists, and delivery starts after commit (notify.actions.enqueue schedules it on commit).
Each message's dedupe key names the event it reports, so an action retried after a failure never sends twice.

The person gets an in-app message when their matter is linked to a public account, and an SMS when the
phone on file is a mobile number. Texts are plain Chinese; senders never interpret them as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.notify import kinds
from fawang.orgs.models import Membership

from . import lines, tracking

if TYPE_CHECKING:
    import datetime as dt

    from fawang.accounts.models import User

    from .models import Matter, MatterEvent

KINDS = {
    "matter.materials_requested": gettext_lazy("补正材料通知"),
    "matter.materials_supplied": gettext_lazy("已补正材料"),
    "matter.rejected": gettext_lazy("不予受理通知"),
    "matter.withdrawn": gettext_lazy("事项已撤回"),
    "matter.item_changed": gettext_lazy("事项已转换"),
    "matter.reopened": gettext_lazy("事项重新办理"),
    "matter.rate_invite": gettext_lazy("评价邀请"),
    "matter.warning": gettext_lazy("办理时限预警"),
    "matter.escalated": gettext_lazy("超期督办"),
    "matter.rectification": gettext_lazy("整改通知"),
    "matter.complaint": gettext_lazy("投诉通知"),
    "matter.answered": gettext_lazy("新的答复"),
}


def register_kinds() -> None:
    """Name our message kinds in the outbox (called from apps.ready)."""
    for code, label in KINDS.items():
        kinds.register(code, label)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "Y年n月j日 H:i")


def _ref(matter: Matter) -> str:
    return _("您的“%(item)s”（受理编号 %(no)s）") % {
        "item": matter.service_item.name,
        "no": matter.tracking_no,
    }


# Messages that say only which matter and which unit: (ref, unit) fill them.
_PERSON_TEXTS = {
    "matter.submitted": gettext_lazy("%(ref)s已提交，办理机构：%(unit)s。请凭受理编号查询办理进度。"),
    "matter.accepted": gettext_lazy("%(ref)s已由%(unit)s受理。"),
    "matter.assigned": gettext_lazy("%(ref)s已由%(unit)s指派专人办理。"),
    "matter.transferred": gettext_lazy("%(ref)s已转至%(unit)s办理。"),
    "matter.reopened": gettext_lazy("%(ref)s已重新办理。"),
    "matter.rate_invite": gettext_lazy(
        "%(ref)s已办结，请您对本次服务作出评价（非常满意、满意、基本满意、不满意、非常不满意）。"
    ),
    "matter.callback": gettext_lazy("%(ref)s：我们将对您进行回访，了解办理情况，请保持电话畅通。"),
}


def person_text(matter: Matter, kind: str, event: MatterEvent | None = None) -> str:
    """The message body for the person; ``event`` supplies reasons, lists and results."""
    ref = _ref(matter)
    # A business line's own words for its matters first (matters.lines; legal aid's decisions, for one).
    own = lines.person_text(kind, matter, event, ref)
    if own is not None:
        return own
    if kind in _PERSON_TEXTS:
        return str(_PERSON_TEXTS[kind]) % {"ref": ref, "unit": matter.unit.name}
    return _person_text_with_details(matter, kind, event, ref)


def _person_text_with_details(matter: Matter, kind: str, event: MatterEvent | None, ref: str) -> str:
    """The messages that carry more than the matter and unit: a list, a reason, a result, an answer."""
    note = event.note if event else ""
    if kind == "matter.materials_requested":
        missing = (event.payload.get("missing", []) if event else []) or []
        listed = "；".join(f"{i}. {name}" for i, name in enumerate(missing, 1))
        text = _(
            "%(ref)s需要补正以下材料：%(lines)s。请于 %(due)s 前一并提交，逾期未补正的视为撤回申请。"
        ) % {
            "ref": ref,
            "lines": listed,
            "due": _when(matter.materials_due_at),
        }
        return text + (_("说明：%(note)s") % {"note": note} if note else "")
    if kind == "matter.item_changed":
        return _("%(ref)s已转为“%(item)s”，由%(unit)s办理。") % {
            "ref": ref,
            "item": matter.service_item.name,
            "unit": matter.unit.name,
        }
    if kind == "matter.completed":
        return _("%(ref)s已办结。办理结果：%(result)s 欢迎您对本次服务进行评价。") % {
            "ref": ref,
            "result": matter.result,
        }
    if kind == "matter.rejected":
        return _("%(ref)s不予受理。理由：%(reason)s") % {"ref": ref, "reason": note}
    if kind == "matter.withdrawn":
        if event and event.actor_id is None:
            return _("%(ref)s因逾期未补正材料，视为撤回申请。如仍需办理，请重新提出申请。") % {"ref": ref}
        return _("%(ref)s已撤回。") % {"ref": ref}
    if kind == "matter.answered":
        # The whole answer is on the matter's page; an SMS carries its beginning.
        return _("%(ref)s有新的答复：%(text)s") % {"ref": ref, "text": Truncator(note).chars(120)}
    raise ValueError(f"no person text for {kind!r}")


def to_person(matter: Matter, kind: str, event: MatterEvent | None = None) -> None:
    """Queue ``kind`` for the person of ``matter``: in-app to their account — the one linked to the person, else
    the public account that submitted the matter online (an application whose applicant staff have not linked
    yet is still the submitter's own) — and SMS if a mobile is on file."""
    from fawang.notify.actions import to_person as notify_person

    person = matter.person
    notify_person(
        kind=kind,
        body=person_text(matter, kind, event),
        subject=str(kinds.label(kind)),
        user=person.user if person.user_id else matter.submitted_by,
        phone=person.phone,
        related=matter,
        key=f"matter:{matter.pk}:{kind}:{event.pk if event else 0}",
        fresh_key=event is not None,  # the event was made in this transaction: no message has its key yet
    )


def to_staff(users: Iterable[User], matter: Matter, kind: str, body: str, key: str) -> int:
    """Queue an in-app message to each of ``users`` (deduplicated); returns how many were queued."""
    from fawang.notify.actions import enqueue

    sent: set[int] = set()
    for user in users:
        if user.pk in sent or not user.is_active:
            continue
        sent.add(user.pk)
        enqueue(
            channel="inapp",
            kind=kind,
            body=body,
            subject=str(kinds.label(kind)),
            user=user,
            related=matter,
            dedupe_key=f"{key}:user{user.pk}",
        )
    return len(sent)


def unit_staff(unit_id: int, roles: Iterable[str] | None = None, limit: int = 20) -> list[User]:
    """Active staff of a unit (optionally of some roles): who is told about a matter with no handler yet."""
    from fawang.accounts.models import User

    memberships = Membership.objects.active().filter(unit_id=unit_id)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return list(
        User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("pk")[:limit]
    )


def handler_or_unit_staff(matter: Matter) -> list[User]:
    """Who is told of work on a matter: its handler, or its unit's staff while nobody is assigned."""
    return [matter.handler] if matter.handler_id and matter.handler else unit_staff(matter.unit_id)


def supervisors(unit_id: int) -> list[User]:
    """Who is told of an escalation at a bureau: its supervisors, or its staff where it has none."""
    return unit_staff(unit_id, roles=[Membership.Role.SUPERVISOR]) or unit_staff(unit_id)


def staff_ref(matter: Matter) -> str:
    return _("事项 %(no)s（%(item)s，%(person)s）") % {
        "no": tracking.display(matter.tracking_no),
        "item": matter.service_item.name,
        "person": matter.person.name,
    }
