"""安置帮教's indicators on the supervision KPI board (考核), registered in ``fawang.lib.supervision`` from apps.py.

| indicator | how | target |
|---|---|---|
| 重点帮教对象衔接率 | 重点 release notices with a release day in the period (and by today): 已衔接 ÷ all | 100% |
| 一般帮教对象衔接率 | the same for the others | ≥ 70% |
| 刑满释放人员安置率 | 帮教 files of released prisoners open in the period: placed ÷ all | ≥ 95% |

The targets are the seeds' (必接必送: 重点 100%, 一般 70%; 安置率 95%). The region of a record is that of its
司法所.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.lib.supervision import IndicatorSource

from .models import HelpFile, ReleaseNotice


def _released(key: bool) -> Any:
    def rows(start: dt.date, end: dt.date) -> QuerySet[Any]:
        """Release notices (重点 or 一般) whose release day fell in the period, up to today."""
        last = min(end, timezone.localdate())
        return ReleaseNotice.objects.filter(is_key=key, release_on__gte=start, release_on__lte=last)

    return rows


def _files_open(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """帮教 files of released prisoners (刑满释放) open at some time in the period."""
    return HelpFile.objects.filter(source=HelpFile.Source.PRISON, opened_on__lte=end, ends_on__gte=start)


CONNECTED = Q(status=ReleaseNotice.Status.CONNECTED)
INDICATORS = (
    IndicatorSource(
        key="key_connected",
        label=_("重点帮教对象衔接率"),
        target=1.0,
        rows=_released(True),
        part=CONNECTED,
        region_field="office__region_id",
    ),
    IndicatorSource(
        key="general_connected",
        label=_("一般帮教对象衔接率"),
        target=0.7,
        rows=_released(False),
        part=CONNECTED,
        region_field="office__region_id",
    ),
    IndicatorSource(
        key="placement",
        label=_("刑满释放人员安置率"),
        target=0.95,
        rows=_files_open,
        part=~Q(placement=HelpFile.Placement.NONE),
        region_field="office__region_id",
    ),
)
