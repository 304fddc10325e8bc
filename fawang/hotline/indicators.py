"""The 12348 hotline's indicators on the supervision KPI board (考核), registered in ``fawang.lib.supervision`` from
apps.py.

| indicator | how | target |
|---|---|---|
| 12348 热线接通率 | inbound calls that rang in the period: answered ÷ rang (as the hotline's own statistics) | ≥ 90% |
| 热线回拨及时率 | callbacks of missed calls due in the period (and by now), not cancelled: done by the limit ÷ due | ≥ 95% |

The targets are this platform's defaults. The region of a record is that of the hotline centre.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib.periods import day_bounds
from fawang.lib.supervision import IndicatorSource

from .models import Call, CallbackTask


def _calls(start: dt.date, end: dt.date) -> QuerySet[Any]:
    lo, hi = day_bounds(start, end)
    return Call.objects.filter(direction=Call.Direction.IN, rang_at__gte=lo, rang_at__lt=hi)


def _callbacks_due(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Callbacks due in the period and by now, not cancelled: one still open past its limit counts against."""
    lo, hi = day_bounds(start, end)
    due = CallbackTask.objects.filter(due_at__gte=lo, due_at__lt=hi, due_at__lte=timezone.now())
    return due.exclude(status=CallbackTask.Status.CANCELLED)


INDICATORS = (
    IndicatorSource(
        key="hotline_answer_rate",
        label=_("12348 热线接通率"),
        target=0.9,
        rows=_calls,
        part=Q(answered_at__isnull=False),
        region_field="unit__region_id",
    ),
    IndicatorSource(
        key="hotline_callbacks",
        label=_("热线回拨及时率"),
        target=0.95,
        rows=_callbacks_due,
        part=Q(done_at__isnull=False, done_at__lte=F("due_at")),
        region_field="unit__region_id",
    ),
)
