"""所涉领域 of a matter: corrections of the topic the classifier suggested at intake (or any earlier choice).
Writes an internal MatterEvent."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fawang.orgs.models import Speciality

from ..models import Matter, MatterEvent, TopicSource
from .base import _event, _lock, _now, _require

if TYPE_CHECKING:
    from fawang.accounts.models import User

TOPIC_CAPABILITIES = ("matters.handle", "matters.intake", "matters.assign")


@transaction.atomic
def do_correct_topic(
    matter_id: int, *, actor: User | None, topic: Speciality, now: dt.datetime | None = None
) -> Matter:
    """更正领域: staff set the matter's topic. The event keeps the old and the new topic and the question, which
    is what ``export_topic_corrections`` writes out for retraining the classifier."""
    now = _now(now)
    matter = _lock(matter_id)
    _require(actor, TOPIC_CAPABILITIES, matter)
    if matter.topic_id == topic.pk and matter.topic_source != TopicSource.AUTO:
        raise ValidationError(_("所涉领域没有变化。"), code="unchanged")
    old = matter.topic
    old_source = matter.topic_source
    matter.topic = topic
    matter.topic_source = TopicSource.CORRECTED
    matter.save(update_fields=["topic", "topic_source", "updated_at"])
    _event(
        matter,
        MatterEvent.Action.TOPIC,
        actor=actor,
        now=now,
        note=_("所涉领域：%(old)s → %(new)s") % {"old": old.name if old else _("未分类"), "new": topic.name},
        payload={
            "old_topic": old.code if old else "",
            "new_topic": topic.code,
            "old_source": old_source,
            "confidence": matter.topic_confidence,
        },
    )
    return matter
