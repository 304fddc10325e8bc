"""屏幕弹屏: what the desk shows about a caller while the phone rings — their earlier calls and matters (found by
the keyed hash of the number, never the number itself), their open matters and any warning. A fixed number of
queries whatever the caller's history (each list is cut at ``conf.POP_HISTORY`` in the database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from fawang.catalog.models import BusinessLine
from fawang.matters.models import Matter

from . import conf
from .models import Call

if TYPE_CHECKING:
    from fawang.accounts.models import User


@dataclass
class Pop:
    call: Call
    earlier_calls: list[Call] = field(default_factory=list)
    earlier_count: int = 0
    matters: list[Matter] = field(default_factory=list)
    open_matters: list[Matter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def caller_matters(user: User, call: Call) -> list[Matter]:
    """The caller's matters the user may see: linked to any call from the same number, or registered for a
    person with that phone number."""
    if not call.caller_hash:
        return []
    linked = Call.matters.through.objects.filter(call__caller_hash=call.caller_hash).values("matter_id")
    same = Q(pk__in=linked) | Q(person__phone=call.caller) if call.caller else Q(pk__in=linked)
    q = Matter.objects.visible_to(user).filter(same)
    return list(
        q.select_related("service_item", "unit").order_by("-created_at", "-pk")[: conf.POP_HISTORY * 2]
    )


def screen_pop(user: User, call: Call, now: dt.datetime) -> Pop:
    pop = Pop(call=call)
    if not call.caller_hash:
        return pop
    earlier = Call.objects.visible_to(user).filter(caller_hash=call.caller_hash).exclude(pk=call.pk)
    pop.earlier_calls = list(earlier.select_related("agent").order_by("-rang_at", "-pk")[: conf.POP_HISTORY])
    since = now - dt.timedelta(days=conf.REPEAT_DAYS)
    pop.earlier_count = earlier.filter(rang_at__gte=since).count()
    matters = caller_matters(user, call)
    pop.matters = matters[: conf.POP_HISTORY]
    pop.open_matters = [m for m in matters if m.status in Matter.OPEN_STATUSES]
    if pop.earlier_count:
        pop.warnings.append(
            _("重复来电：近 %(days)s 日内已来电 %(n)s 次。")
            % {"days": conf.REPEAT_DAYS, "n": pop.earlier_count}
        )
    complaints = [m for m in pop.open_matters if m.service_item.business_line == BusinessLine.COMPLAINT]
    if complaints:
        pop.warnings.append(
            _("该来电人有未办结的投诉（%(no)s）。") % {"no": "、".join(m.tracking_no for m in complaints)}
        )
    return pop
