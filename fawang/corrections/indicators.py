"""社区矫正's indicators on the supervision KPI board (考核), registered in ``fawang.lib.supervision`` from apps.py.

| indicator | how | target |
|---|---|---|
| 社区矫正监管事项按时完成率 | 日定位、周听声、月走访 items due in the period (and by now): done ÷ due | 100% |
| 社区矫正对象脱管率 | persons under correction now 失去联系 ÷ all under correction now (lower is better) | 0 |

The region of a record is that of the 司法所 of the person under correction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib.periods import day_bounds
from fawang.lib.supervision import IndicatorSource

from .models import Subject, SupervisionItem


def _items_due(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """日定位、周听声、月走访 due in the period and by now."""
    lo, hi = day_bounds(start, end)
    return SupervisionItem.objects.filter(due_at__gte=lo, due_at__lt=hi, due_at__lte=timezone.now())


def _under_correction(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Everyone under correction now (the rate is of today, whatever the period)."""
    return Subject.objects.filter(status__in=Subject.SUPERVISED_STATUSES)


INDICATORS = (
    IndicatorSource(
        key="corrections_items",
        label=_("社区矫正监管事项按时完成率（日定位、周听声、月走访）"),
        target=1.0,
        rows=_items_due,
        # Done: not 未按时完成, not still pending.
        part=Q(status=SupervisionItem.Status.DONE),
        region_field="subject__office__region_id",
    ),
    IndicatorSource(
        key="corrections_lost",
        label=_("社区矫正对象脱管率"),
        target=0.0,
        rows=_under_correction,
        part=Q(status=Subject.Status.LOST),
        region_field="office__region_id",
        lower_is_better=True,
    ),
)
