"""The KPI board's indicators read from the business lines (read only: insights sits above them in the layers).

Each function answers ``(value, part, whole)`` for the places under a region code, like the other indicators of
``kpi``; ``value`` is None when there is nothing to count.

| indicator | how | target |
|---|---|---|
| 社区矫正监管事项按时完成率 | 日定位、周听声、月走访 items due in the period (and by now): done ÷ due | 100% |
| 社区矫正对象脱管率 | persons under correction now 失去联系 ÷ all under correction now (lower is better) | 0 |
| 重点帮教对象衔接率 | 重点 release notices with a release day in the period (and by today): 已衔接 ÷ all | 100% |
| 一般帮教对象衔接率 | the same for the others | ≥ 70% |
| 刑满释放人员安置率 | 帮教 files of released prisoners open in the period: placed ÷ all | ≥ 95% |
| 12348 热线接通率 | inbound calls that rang in the period: answered ÷ rang | ≥ 90% |
| 热线回拨及时率 | callbacks of missed calls due in the period (and by now), not cancelled: done by the limit ÷ due | ≥ 95% |
| 人民调解成功率 | mediation cases closed in the period: 调解成功 ÷ closed | ≥ 90% |

The region of a record is its unit's (the 司法所 of the person under correction or of the 帮教 file, the hotline
centre, the mediation committee). The targets for 重点/一般帮教对象衔接 (100%, 70%) and 安置率 (95%) are the seeds';
the hotline's and mediation's are this platform's defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from fawang.corrections.models import Subject, SupervisionItem
from fawang.hotline.models import Call, CallbackTask
from fawang.mediation.models import Case
from fawang.resettlement.models import HelpFile, ReleaseNotice

from . import figures

Figure = tuple[float | None, int, int]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _bounds(period: figures.Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(period.start, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return lo, hi


def _under(field: str, code: str) -> Q:
    return figures.region_q(field, code)


def _count(qs: QuerySet[Any], part: Q) -> Figure:
    """All rows of ``qs`` and those matching ``part``, in one query."""
    got = qs.aggregate(whole=Count("pk"), part=Count("pk", filter=part))
    whole, part_n = int(got["whole"] or 0), int(got["part"] or 0)
    return _ratio(part_n, whole), part_n, whole


@dataclass(frozen=True)
class Tally:
    """An indicator's rows (under a region), those that count for it, and the field holding each row's region code:
    the indicator of the whole region, or of it and each place under it at once (``by_place``)."""

    rows: QuerySet[Any]
    part: Q
    region_field: str

    def figure(self) -> Figure:
        return _count(self.rows, self.part)

    def by_place(self, length: int) -> tuple[Figure, dict[str, Figure]]:
        """The region's figure and each place's (region codes cut to ``length``), in one grouped query whatever the
        number of places. Rows of the region itself (a county's own centre, code shorter than ``length``) count in
        the region's figure only."""
        grouped = (
            self.rows.annotate(kpi_place=Substr(self.region_field, 1, length))
            .values("kpi_place")
            .annotate(whole=Count("pk"), part=Count("pk", filter=self.part))
            .order_by()
        )
        places: dict[str, Figure] = {}
        part_all = whole_all = 0
        for row in grouped:
            part_n, whole = int(row["part"] or 0), int(row["whole"] or 0)
            part_all, whole_all = part_all + part_n, whole_all + whole
            places[row["kpi_place"]] = (_ratio(part_n, whole), part_n, whole)
        return (_ratio(part_all, whole_all), part_all, whole_all), places


def tally_corrections_items_on_time(
    code: str, period: figures.Period, now: dt.datetime | None = None
) -> Tally:
    """日定位、周听声、月走访 due in the period and by now: how many were done (not 未按时完成, not still pending)."""
    now = now or timezone.now()
    lo, hi = _bounds(period)
    due = SupervisionItem.objects.filter(
        _under("subject__office__region_id", code), due_at__gte=lo, due_at__lt=hi, due_at__lte=now
    )
    return Tally(due, Q(status=SupervisionItem.Status.DONE), "subject__office__region_id")


def tally_corrections_lost(code: str) -> Tally:
    """脱管: persons under correction now who are 失去联系, of all under correction now."""
    under = Subject.objects.filter(_under("office__region_id", code), status__in=Subject.SUPERVISED_STATUSES)
    return Tally(under, Q(status=Subject.Status.LOST), "office__region_id")


def tally_resettlement_connected(code: str, period: figures.Period, *, key: bool) -> Tally:
    """必接必送: release notices (重点 or 一般) whose release day fell in the period, up to today: 已衔接 ÷ all."""
    last = min(period.end, timezone.localdate())
    notices = ReleaseNotice.objects.filter(
        _under("office__region_id", code), is_key=key, release_on__gte=period.start, release_on__lte=last
    )
    return Tally(notices, Q(status=ReleaseNotice.Status.CONNECTED), "office__region_id")


def tally_resettlement_placement(code: str, period: figures.Period) -> Tally:
    """安置率: 帮教 files of released prisoners (刑满释放) open at some time in the period: placed ÷ all."""
    files = HelpFile.objects.filter(
        _under("office__region_id", code),
        source=HelpFile.Source.PRISON,
        opened_on__lte=period.end,
        ends_on__gte=period.start,
    )
    return Tally(files, ~Q(placement=HelpFile.Placement.NONE), "office__region_id")


def tally_hotline_answer_rate(code: str, period: figures.Period) -> Tally:
    """接通率 as the hotline's own statistics define it: inbound calls that rang in the period, answered ÷ rang."""
    lo, hi = _bounds(period)
    calls = Call.objects.filter(
        _under("unit__region_id", code), direction=Call.Direction.IN, rang_at__gte=lo, rang_at__lt=hi
    )
    return Tally(calls, Q(answered_at__isnull=False), "unit__region_id")


def tally_hotline_callbacks_on_time(
    code: str, period: figures.Period, now: dt.datetime | None = None
) -> Tally:
    """回拨: callbacks due in the period and by now (not cancelled): those done by their time limit ÷ all due —
    a callback still open past its limit counts against."""
    now = now or timezone.now()
    lo, hi = _bounds(period)
    due = CallbackTask.objects.filter(
        _under("unit__region_id", code), due_at__gte=lo, due_at__lt=hi, due_at__lte=now
    ).exclude(status=CallbackTask.Status.CANCELLED)
    return Tally(due, Q(done_at__isnull=False, done_at__lte=F("due_at")), "unit__region_id")


def tally_mediation_success(code: str, period: figures.Period) -> Tally:
    """调解成功率 as mediation's own statistics define it: cases closed in the period, 调解成功 ÷ closed."""
    lo, hi = _bounds(period)
    closed = Case.objects.filter(_under("unit__region_id", code), closed_at__gte=lo, closed_at__lt=hi)
    return Tally(closed, Q(status=Case.Status.AGREED), "unit__region_id")


# The region's figure of each indicator (``kpi.board`` asks the tallies for every place at once).


def corrections_items_on_time(code: str, period: figures.Period, now: dt.datetime | None = None) -> Figure:
    return tally_corrections_items_on_time(code, period, now).figure()


def corrections_lost(code: str) -> Figure:
    return tally_corrections_lost(code).figure()


def resettlement_connected(code: str, period: figures.Period, *, key: bool) -> Figure:
    return tally_resettlement_connected(code, period, key=key).figure()


def resettlement_placement(code: str, period: figures.Period) -> Figure:
    return tally_resettlement_placement(code, period).figure()


def hotline_answer_rate(code: str, period: figures.Period) -> Figure:
    return tally_hotline_answer_rate(code, period).figure()


def hotline_callbacks_on_time(code: str, period: figures.Period, now: dt.datetime | None = None) -> Figure:
    return tally_hotline_callbacks_on_time(code, period, now).figure()


def mediation_success(code: str, period: figures.Period) -> Figure:
    return tally_mediation_success(code, period).figure()
