"""已解决: the person confirms that the answers to their consultation solved it (the online consultation of the
一网通办: ask, get answers, follow up, mark resolved, rate)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fawang.matters import notices
from fawang.matters.actions.base import (
    check_transition,
    close_locked,
    complete_locked,
    lock,
    notify_unit,
    require,
)
from fawang.matters.models import Matter, MatterEvent
from fawang.matters.workflow import is_public
from fawang.matters.workflow import now as _now

from . import threads

if TYPE_CHECKING:
    from fawang.accounts.models import User

VERB = gettext_noop("确认问题已解决")
# What staff read on the event (the person's timeline says it in their words, MatterEvent.summary).
NOTE = gettext_noop("服务对象确认问题已解决。")


def _last_answerer(matter: Matter) -> User | None:
    """The staff member who wrote the latest answer the person saw."""
    from fawang.accounts.models import User

    row = (
        matter.events.filter(
            action=MatterEvent.Action.COMMENT, visible_to_person=True, actor__kind=User.Kind.STAFF
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    return row.actor if row is not None else None


@transaction.atomic
def do_resolve(matter_id: int, *, actor: User, now: dt.datetime | None = None) -> Matter:
    """The person says the answers solved their question. Where the status table allows it, this ends the
    consultation the way staff would, with an event on the person's timeline and a message to the unit:

    - answered but not yet completed (已提交, 已受理 or 办理中): 已办结, the unit's answers so far becoming the
      result (what the 办结告知书 tells), the clock stopped; the person may then rate it, which closes it;
    - already completed by staff with a result: 已关闭.

    Only the person themselves, only a consultation, and only once (until staff reopen it)."""
    now = _now(now)
    if not is_public(actor):
        raise PermissionDenied(_("只有咨询人本人可以确认问题已解决。"))
    matter = lock(matter_id)
    require(actor, (), matter, person_matter=matter)
    if not threads.is_consultation(matter):
        raise ValidationError(_("只有法律咨询可以确认问题已解决。"), code="not_consultation")
    thread = threads.thread(matter)
    if thread.resolved:
        raise ValidationError(_("您已确认该咨询的问题已解决。"), code="already_resolved")
    if matter.status == Matter.Status.COMPLETED:
        ev = close_locked(
            matter,
            actor=actor,
            now=now,
            note=_(NOTE),
            action="resolve",
            verb=_(VERB),
            payload={"resolved": True},
        )
    else:
        old = check_transition(matter, Matter.Status.COMPLETED, _(VERB), action="resolve")
        answers = [row.note for row in thread.answers if row.note.strip()]
        if not answers:
            raise ValidationError(_("工作人员答复后，才能确认问题已解决。"), code="no_answer")
        # The staff member whose answer solved it becomes the handler of record (承办人) if nobody was assigned.
        ev = complete_locked(
            matter,
            actor=actor,
            now=now,
            result="\n\n".join(answers),
            old_status=old,
            note=_(NOTE),
            handler=_last_answerer(matter) if matter.handler_id is None else None,
            payload={"resolved": True},
            notice=None,
        )
    notify_unit(
        matter,
        "matter.resolved",
        _("%(ref)s：服务对象确认问题已解决。") % {"ref": notices.staff_ref(matter)},
        ev,
    )
    return matter
