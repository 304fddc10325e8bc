"""The thread of a consultation as the person sees it: their question and follow-ups, the answers of the unit
(comments visible to them, and the result), and whether they confirmed it solved (已解决, actions.do_resolve).

Everything is read from MatterEvent rows visible to the person, so the state shown in "我的咨询", on the matter's
page and on the API is the same and needs no column of its own:

- 待答复 (awaiting): the last word is the person's (the question, or a follow-up after an answer);
- 已答复 (answered): the unit answered after it (a visible comment by staff, or completing with a result);
- 已解决 (resolved): the person confirmed the answers solved it and the matter is 已办结 / 已关闭 (a reopening by
  staff undoes it);
- 已结束 (ended): not answered but ended (不予受理, 撤回, 合并).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import BusinessLine
from fawang.matters.models import Matter, MatterEvent

if TYPE_CHECKING:
    import datetime as dt

PUBLIC = "public"  # accounts.User.Kind.PUBLIC, without importing accounts here
# The events that move the thread; the others (accept, assign, attach ...) do not change who has the last word.
THREAD_ACTIONS = (
    MatterEvent.Action.SUBMIT,
    MatterEvent.Action.COMMENT,
    MatterEvent.Action.COMPLETE,
    MatterEvent.Action.CLOSE,
    MatterEvent.Action.REOPEN,
)


class ThreadState(models.TextChoices):
    AWAITING = "awaiting", _("待答复")
    ANSWERED = "answered", _("已答复")
    RESOLVED = "resolved", _("已解决")
    ENDED = "ended", _("已结束")


BADGES = {
    ThreadState.AWAITING: "badge-warn",
    ThreadState.ANSWERED: "badge-info",
    ThreadState.RESOLVED: "badge-ok",
    ThreadState.ENDED: "badge-muted",
}


def is_consultation(matter: Matter) -> bool:
    return bool(matter.service_item.business_line == BusinessLine.CONSULTATION)


@dataclass(frozen=True)
class Row:
    action: str
    by_person: bool
    resolved: bool
    note: str
    at: dt.datetime
    unit: str


def _row(action: str, actor_kind: str | None, payload: Any, note: str, at: dt.datetime, unit: str) -> Row:
    payload = payload if isinstance(payload, dict) else {}
    return Row(
        action=action,
        by_person=actor_kind == PUBLIC or bool(payload.get("by_person")),
        resolved=bool(payload.get("resolved")),
        note=note,
        at=at,
        unit=unit or "",
    )


def _rows(matter_ids: Iterable[int]) -> dict[int, list[Row]]:
    """The thread events of several matters, oldest first: one query."""
    out: dict[int, list[Row]] = {}
    rows = (
        MatterEvent.objects.filter(
            matter_id__in=list(matter_ids), visible_to_person=True, action__in=THREAD_ACTIONS
        )
        .order_by("created_at", "pk")
        .values_list("matter_id", "action", "actor__kind", "payload", "note", "created_at", "new_unit__name")
    )
    for matter_id, action, actor_kind, payload, note, at, unit in rows:
        out.setdefault(matter_id, []).append(_row(action, actor_kind, payload, note, at, unit))
    return out


def is_answer(row: Row) -> bool:
    """A word of the unit to the person: a visible staff comment, or the result of completing it."""
    if row.by_person:
        return False
    return row.action == MatterEvent.Action.COMMENT or (
        row.action == MatterEvent.Action.COMPLETE and not row.resolved
    )


def state_of(rows: list[Row], status: str) -> ThreadState:
    state, resolved = ThreadState.AWAITING, False
    for row in rows:
        if row.action == MatterEvent.Action.REOPEN:
            state, resolved = ThreadState.AWAITING, False
        elif row.resolved and row.action in (MatterEvent.Action.COMPLETE, MatterEvent.Action.CLOSE):
            resolved = True
        elif is_answer(row):
            state = ThreadState.ANSWERED
        elif row.action in (MatterEvent.Action.SUBMIT, MatterEvent.Action.COMMENT):
            state = ThreadState.AWAITING
    if resolved and status in Matter.DONE_STATUSES:
        return ThreadState.RESOLVED
    if status in Matter.ENDED_STATUSES and state != ThreadState.ANSWERED:
        return ThreadState.ENDED
    return state


def states(matters: Iterable[Matter]) -> dict[int, ThreadState]:
    """Thread states of consultations among ``matters`` (one query); other matters are left out."""
    consultations = [m for m in matters if is_consultation(m)]
    rows = _rows(m.pk for m in consultations)
    return {m.pk: state_of(rows.get(m.pk, []), m.status) for m in consultations}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    role: str  # question | follow_up | answer
    text: str
    unit: str


# Where the person may say 已解决 (actions.do_resolve): before completion once answered, or after it.
RESOLVE_FROM = (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Thread:
    matter: Matter
    rows: list[Row]

    @property
    def state(self) -> ThreadState:
        return state_of(self.rows, self.matter.status)

    @property
    def resolved(self) -> bool:
        return self.state == ThreadState.RESOLVED

    @property
    def answers(self) -> list[Row]:
        """The unit's answers so far, oldest first."""
        return [row for row in self.rows if is_answer(row)]

    @property
    def can_resolve(self) -> bool:
        if not is_consultation(self.matter) or self.resolved:
            return False
        if self.matter.status == Matter.Status.COMPLETED:
            return True
        return self.matter.status in RESOLVE_FROM and bool(self.answers)

    @property
    def entries(self) -> list[Entry]:
        """The conversation: the question (the matter's description), follow-ups and answers, oldest first."""
        out = [Entry(self.matter.submitted_at, "question", self.matter.description, "")]
        for row in self.rows:
            if row.action == MatterEvent.Action.COMMENT and row.by_person:
                out.append(Entry(row.at, "follow_up", row.note, ""))
            elif is_answer(row):
                out.append(Entry(row.at, "answer", row.note, row.unit))
        return out


def thread(matter: Matter) -> Thread:
    """The thread of one matter (one query)."""
    return Thread(matter, _rows([matter.pk]).get(matter.pk, []))
