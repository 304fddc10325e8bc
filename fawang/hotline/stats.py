"""热线统计: offered, answered, 接通率, abandoned, average wait and talk, service level and 满意度, by hour, day, queue
and agent, over the inbound calls that rang in a date range (local dates).

Definitions (written on the page and in the export):
- 呼入量 offered: inbound calls that rang; 接通量 answered: those an agent answered;
- 呼损量 abandoned: those that ended unanswered (missed or the caller hung up); 接通率 = answered ÷ offered;
- 平均等待 average wait: seconds from ringing to answer, over answered calls; 平均通话 over answered calls that ended;
- 服务水平 service level: calls answered within 20 s ÷ offered;
- 满意度: ratings 1 (满意) or 2 (基本满意) ÷ calls rated;
- 回拨完成 callbacks done: callback tasks of those calls closed (reached, wrong number, or closed by the rule after
  the centre's maximum of unanswered tries); 回拨及时率: of those, closed by their time limit ÷ closed;
- 质检: reviews of those calls scored (scored or final); 质检得分率: points given ÷ points possible.

By agent, the call figures go to the agent who answered, a callback to the agent who closed it and a review to the
agent it reviewed, so each agent's row shows their own calls, callbacks and quality scores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.lib import xlsx
from fawang.lib.periods import day_bounds

from . import conf
from .models import Call, CallbackTask, QualityReview

CLOSED = (CallbackTask.Status.DONE, CallbackTask.Status.UNREACHED)
SCORED = (QualityReview.Status.SCORED, QualityReview.Status.APPEALED, QualityReview.Status.FINAL)


@dataclass
class Figures:
    label: str
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    within_level: int = 0
    wait_total: int = 0
    talk_total: int = 0
    talked: int = 0
    rated: int = 0
    satisfied: int = 0
    callbacks_done: int = 0
    callbacks_on_time: int = 0
    reviews: int = 0
    score_total: int = 0
    score_max: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.add_call(row)
        self.add_callback(row)
        self.add_review(row)

    def add_callback(self, row: dict[str, Any]) -> None:
        if row["callback__status"] in CLOSED:
            self.callbacks_done += 1
            if row["callback__done_at"] <= row["callback__due_at"]:
                self.callbacks_on_time += 1

    def add_review(self, row: dict[str, Any]) -> None:
        if row["review__status"] in SCORED and row["review__max_total"]:
            self.reviews += 1
            self.score_total += row["review__total"] or 0
            self.score_max += row["review__max_total"]

    def add_call(self, row: dict[str, Any]) -> None:
        self.offered += 1
        if row["answered_at"] is not None:
            self.answered += 1
            wait = row["wait_seconds"] or 0
            self.wait_total += wait
            if wait <= conf.SERVICE_LEVEL_SECONDS:
                self.within_level += 1
            if row["talk_seconds"] is not None:
                self.talk_total += row["talk_seconds"]
                self.talked += 1
        if row["status"] in (Call.Status.MISSED, Call.Status.ABANDONED):
            self.abandoned += 1
        if row["satisfaction"] is not None:
            self.rated += 1
            if row["satisfaction"] in (1, 2):
                self.satisfied += 1

    @staticmethod
    def _ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    @property
    def answer_rate(self) -> float | None:
        return self._ratio(self.answered, self.offered)

    @property
    def service_level(self) -> float | None:
        return self._ratio(self.within_level, self.offered)

    @property
    def avg_wait(self) -> float | None:
        return round(self.wait_total / self.answered, 1) if self.answered else None

    @property
    def avg_talk(self) -> float | None:
        return round(self.talk_total / self.talked, 1) if self.talked else None

    @property
    def satisfaction(self) -> float | None:
        return self._ratio(self.satisfied, self.rated)

    @property
    def callbacks_on_time_rate(self) -> float | None:
        return self._ratio(self.callbacks_on_time, self.callbacks_done)

    @property
    def quality_rate(self) -> float | None:
        return self._ratio(self.score_total, self.score_max)


@dataclass
class Report:
    start: dt.date
    end: dt.date
    total: Figures
    by_hour: list[Figures] = field(default_factory=list)
    by_day: list[Figures] = field(default_factory=list)
    by_queue: list[Figures] = field(default_factory=list)
    by_agent: list[Figures] = field(default_factory=list)


FIELDS = (
    "rang_at",
    "answered_at",
    "wait_seconds",
    "talk_seconds",
    "status",
    "satisfaction",
    "queue",
    "agent__display_name",
    "agent__username",
    "callback__status",
    "callback__done_at",
    "callback__due_at",
    "callback__done_by__display_name",
    "callback__done_by__username",
    "review__status",
    "review__total",
    "review__max_total",
    "review__agent__display_name",
    "review__agent__username",
)


def _group(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[Figures]:
    groups: dict[str, Figures] = {}
    for row in rows:
        label = key(row)
        groups.setdefault(label, Figures(label)).add(row)
    return [groups[k] for k in sorted(groups)]


def report(calls: QuerySet[Call], start: dt.date, end: dt.date) -> Report:
    since, until = day_bounds(start, end)
    rows = list(
        calls.filter(direction=Call.Direction.IN, rang_at__gte=since, rang_at__lt=until)
        .exclude(status=Call.Status.RINGING)
        .values(*FIELDS)
    )
    for row in rows:
        row["local"] = timezone.localtime(row["rang_at"])
    total = Figures(_("合计"))
    for row in rows:
        total.add(row)
    return Report(
        start=start,
        end=end,
        total=total,
        by_hour=_group(rows, lambda r: f"{r['local']:%H}:00"),
        by_day=_group(rows, lambda r: f"{r['local']:%Y-%m-%d}"),
        by_queue=_group(rows, lambda r: r["queue"] or _("（未分队列）")),
        by_agent=_by_agent(rows),
    )


def _name(row: dict[str, Any], prefix: str) -> str:
    return str(row[f"{prefix}display_name"] or row[f"{prefix}username"] or "")


def _by_agent(rows: Iterable[dict[str, Any]]) -> list[Figures]:
    """Each agent's own: calls they answered (unanswered ones in a row of their own), callbacks they closed, and
    reviews of their calls."""
    groups: dict[str, Figures] = {}

    def group(label: str) -> Figures:
        return groups.setdefault(label, Figures(label))

    for row in rows:
        answered_by = _name(row, "agent__") if row["answered_at"] is not None else _("（未接通）")
        group(answered_by).add_call(row)
        if row["callback__status"] in CLOSED:
            group(_name(row, "callback__done_by__") or _("（系统）")).add_callback(row)
        if row["review__status"] in SCORED:
            group(_name(row, "review__agent__") or answered_by).add_review(row)
    return [groups[k] for k in sorted(groups)]


COLUMNS: list[tuple[str, Callable[[Figures], Any]]] = [
    ("呼入量", lambda f: f.offered),
    ("接通量", lambda f: f.answered),
    ("接通率", lambda f: f.answer_rate),
    ("呼损量", lambda f: f.abandoned),
    ("平均等待（秒）", lambda f: f.avg_wait),
    ("平均通话（秒）", lambda f: f.avg_talk),
    ("服务水平（20秒）", lambda f: f.service_level),
    ("评价数", lambda f: f.rated),
    ("满意度", lambda f: f.satisfaction),
    ("回拨完成", lambda f: f.callbacks_done),
    ("回拨及时率", lambda f: f.callbacks_on_time_rate),
    ("质检数", lambda f: f.reviews),
    ("质检得分率", lambda f: f.quality_rate),
]


def to_xlsx(rep: Report) -> bytes:
    title = _("12348 热线统计 %(start)s 至 %(end)s") % {"start": rep.start, "end": rep.end}
    head = [_("分组"), *(_(name) for name, _get in COLUMNS)]
    sheets = [
        (_("汇总"), [rep.total]),
        (_("按小时"), rep.by_hour),
        (_("按日"), rep.by_day),
        (_("按队列"), rep.by_queue),
        (_("按坐席"), rep.by_agent),
    ]
    return xlsx.workbook(
        xlsx.Sheet(name, [[title], head, *([f.label, *(get(f) for _name, get in COLUMNS)] for f in figures)])
        for name, figures in sheets
    )
