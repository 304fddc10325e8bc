"""人民调解's indicator on the supervision KPI board (考核), registered in ``fawang.lib.supervision`` from apps.py:
调解成功率 as mediation's own statistics define it — cases closed in the period, 调解成功 ÷ closed (target ≥ 90%,
this platform's default). The region of a case is that of its mediation committee.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.lib.periods import day_bounds
from fawang.lib.supervision import IndicatorSource

from .models import Case


def _closed(start: dt.date, end: dt.date) -> QuerySet[Any]:
    lo, hi = day_bounds(start, end)
    return Case.objects.filter(closed_at__gte=lo, closed_at__lt=hi)


INDICATORS = (
    IndicatorSource(
        key="mediation_success",
        label=_("人民调解成功率"),
        target=0.9,
        rows=_closed,
        part=Q(status=Case.Status.AGREED),
        region_field="unit__region_id",
    ),
)
