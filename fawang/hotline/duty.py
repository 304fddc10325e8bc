"""值班: who is on duty now, and the rule that picks the one a call goes to (转值班律师).

The rule, in order: someone on duty now at the centre who takes the call's topic and speaks its dialect; else
someone who takes the topic; else anyone on duty now (a general duty lawyer answers and may refer on). A shift
with no topics takes every topic. Among equals, the one who has handled the fewest referrals in the shift.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.orgs.models import Speciality, Unit

from .models import SLOT_HOURS, DutyShift


def slot_at(moment: dt.datetime) -> str | None:
    local = timezone.localtime(moment)
    hm = (local.hour, local.minute)
    for slot, (start, end) in SLOT_HOURS.items():
        if start <= hm < end:
            return str(slot)
    return None


def on_duty(unit: Unit, moment: dt.datetime) -> QuerySet[DutyShift]:
    slot = slot_at(moment)
    if slot is None:
        return DutyShift.objects.none()
    return DutyShift.objects.filter(unit=unit, day=timezone.localtime(moment).date(), slot=slot)


def pick(
    unit: Unit, moment: dt.datetime, topic: Speciality | None, dialect: str
) -> tuple[DutyShift | None, str]:
    """(the shift to refer to, the rule that matched) or (None, "")."""
    shifts = list(
        on_duty(unit, moment)
        .annotate(load=Count("referrals", distinct=True))
        .select_related("person")
        .prefetch_related("topics")
        .order_by("pk")
    )

    def takes(shift: DutyShift) -> bool:
        topics = list(shift.topics.all())
        return topic is None or not topics or topic in topics

    tiers = [
        ([s for s in shifts if takes(s) and dialect in s.dialects] if dialect else [], _("领域和方言均匹配")),
        ([s for s in shifts if takes(s)], _("领域匹配") if topic is not None else _("值班人员")),
        (shifts, _("无匹配领域，转任一值班人员")),
    ]
    for found, rule in tiers:
        if found:
            return min(found, key=lambda s: (s.load, s.pk)), rule
    return None, ""


def week_of(day: dt.date) -> list[dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]
