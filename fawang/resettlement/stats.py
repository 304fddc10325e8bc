"""The seeds' ratios, live (仙政办〔2017〕134号): for each 司法所, county (区县) and city, with the persons behind each
shortfall.

- 重点帮教对象衔接率 (target 100%): 重点 notices released by today, share with the 必接必送 hand-over recorded;
- 一般帮教对象衔接率 (target ≥ 70%): the other released notices, share connected;
- 安置率 (target ≥ 95%): 帮教 files open today (within the five years, not re-offended), share placed;
- 社区矫正对象、帮教对象与司法协理员之比 (target ≤ 15:1 each): persons per active 司法协理员 of that line;
- 监管事项按时完成率: the schedule items (日定位、周听声、月走访) due in the last 30 days, share done by their deadline;
- 社区矫正对象再犯罪率 (this calendar year): persons under correction at some time this year (reported in), share
  with a 再犯罪 recorded this year; and the number 收监执行 this year (a revocation of 缓刑、假释 or 暂予监外执行);
- 帮教对象重新犯罪率 (this calendar year): 帮教 files open at some time this year, share re-offending this year.
A person moved on a change of place counts where their file is now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from fawang.corrections.models import EndCause, Subject, SupervisionItem
from fawang.orgs.models import Unit

from .models import Assistant, HelpFile, ReleaseNotice

KEY_TARGET, GENERAL_TARGET, PLACEMENT_TARGET, RATIO_TARGET = 100, 70, 95, 15
COMPLIANCE_DAYS = 30


def percent(done: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100 * done) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratio(persons: int, assistants: int) -> Decimal | None:
    if not assistants:
        return None
    return (Decimal(persons) / assistants).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Counts:
    key_done: int = 0
    key_total: int = 0
    general_done: int = 0
    general_total: int = 0
    placed: int = 0
    open_files: int = 0
    subjects: int = 0
    corrections_assistants: int = 0
    resettlement_assistants: int = 0
    items_on_time: int = 0
    items_due: int = 0
    corrected_this_year: int = 0
    corrections_reoffended: int = 0
    imprisoned: int = 0
    helped_this_year: int = 0
    resettlement_reoffended: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def key_rate(self) -> Decimal | None:
        return percent(self.key_done, self.key_total)

    @property
    def general_rate(self) -> Decimal | None:
        return percent(self.general_done, self.general_total)

    @property
    def placement_rate(self) -> Decimal | None:
        return percent(self.placed, self.open_files)

    @property
    def corrections_ratio(self) -> Decimal | None:
        return ratio(self.subjects, self.corrections_assistants)

    @property
    def resettlement_ratio(self) -> Decimal | None:
        return ratio(self.open_files, self.resettlement_assistants)

    @property
    def compliance(self) -> Decimal | None:
        return percent(self.items_on_time, self.items_due)

    @property
    def corrections_reoffence_rate(self) -> Decimal | None:
        return percent(self.corrections_reoffended, self.corrected_this_year)

    @property
    def resettlement_reoffence_rate(self) -> Decimal | None:
        return percent(self.resettlement_reoffended, self.helped_this_year)

    @property
    def shortfalls(self) -> list[str]:
        out = []
        if self.key_total and self.key_done < self.key_total:
            out.append("key")
        if self.general_rate is not None and self.general_rate < GENERAL_TARGET:
            out.append("general")
        if self.placement_rate is not None and self.placement_rate < PLACEMENT_TARGET:
            out.append("placement")
        if (self.corrections_ratio or 0) > RATIO_TARGET or (
            self.subjects and not self.corrections_assistants
        ):
            out.append("corrections_ratio")
        if (self.resettlement_ratio or 0) > RATIO_TARGET or (
            self.open_files and not self.resettlement_assistants
        ):
            out.append("resettlement_ratio")
        return out


@dataclass
class Row:
    unit: Unit
    counts: Counts = field(default_factory=Counts)


def _by_office(rows: Any, key: str = "office_id") -> dict[int, dict[str, int]]:
    return {r[key]: r for r in rows}


def office_counts(
    offices: list[Unit], today: dt.date | None = None, now: dt.datetime | None = None
) -> dict[int, Counts]:
    """Raw counts per 司法所 (one query per measure, whatever the number of offices)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    ids = [o.pk for o in offices]
    out = {pk: Counts() for pk in ids}
    released = ReleaseNotice.objects.filter(office_id__in=ids, release_on__lte=today)
    for r in released.values("office_id", "is_key").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(status=ReleaseNotice.Status.CONNECTED))
    ):
        c = out[r["office_id"]]
        if r["is_key"]:
            c.key_total, c.key_done = r["total"], r["done"]
        else:
            c.general_total, c.general_done = r["total"], r["done"]
    open_files = HelpFile.objects.filter(
        office_id__in=ids, opened_on__lte=today, ends_on__gte=today, reoffended_on__isnull=True
    )
    for f in open_files.values("office_id").annotate(
        total=Count("pk"), placed=Count("pk", filter=~Q(placement=HelpFile.Placement.NONE))
    ):
        out[f["office_id"]].open_files, out[f["office_id"]].placed = f["total"], f["placed"]
    for sub in (
        Subject.objects.filter(office_id__in=ids, status__in=Subject.SUPERVISED_STATUSES)
        .values("office_id")
        .annotate(n=Count("pk"))
    ):
        out[sub["office_id"]].subjects = sub["n"]
    for a in (
        Assistant.objects.filter(office_id__in=ids, is_active=True)
        .values("office_id", "line")
        .annotate(n=Count("pk"))
    ):
        if a["line"] == Assistant.Line.CORRECTIONS:
            out[a["office_id"]].corrections_assistants = a["n"]
        else:
            out[a["office_id"]].resettlement_assistants = a["n"]
    since = now - dt.timedelta(days=COMPLIANCE_DAYS)
    items = SupervisionItem.objects.filter(subject__office_id__in=ids, due_at__gte=since, due_at__lte=now)
    for i in items.values("subject__office_id").annotate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(status=SupervisionItem.Status.DONE, done_at__lte=F("due_at"))),
    ):
        c = out[i["subject__office_id"]]
        c.items_due, c.items_on_time = i["total"], i["on_time"]
    year_start = today.replace(month=1, day=1)
    corrected = Subject.objects.filter(office_id__in=ids, term_start__lte=today).filter(
        Q(status__in=(Subject.Status.SUPERVISED, Subject.Status.LOST)) | Q(ended_on__gte=year_start)
    )
    for year in corrected.values("office_id").annotate(
        total=Count("pk"),
        reoffended=Count("pk", filter=Q(reoffended_on__gte=year_start, reoffended_on__lte=today)),
        imprisoned=Count(
            "pk", filter=Q(end_cause=EndCause.IMPRISONED, ended_on__gte=year_start, ended_on__lte=today)
        ),
    ):
        c = out[year["office_id"]]
        c.corrected_this_year, c.corrections_reoffended, c.imprisoned = (
            year["total"],
            year["reoffended"],
            year["imprisoned"],
        )
    helped = HelpFile.objects.filter(office_id__in=ids, opened_on__lte=today, ends_on__gte=year_start)
    for helped_row in helped.values("office_id").annotate(
        total=Count("pk"),
        reoffended=Count("pk", filter=Q(reoffended_on__gte=year_start, reoffended_on__lte=today)),
    ):
        out[helped_row["office_id"]].helped_this_year = helped_row["total"]
        out[helped_row["office_id"]].resettlement_reoffended = helped_row["reoffended"]
    return out


def table(offices: list[Unit], level: str, **kwargs: Any) -> list[Row]:
    """Rows at ``level``: "office" (each 司法所), "county" (its 司法局) or "city" (the 司法局 of the city)."""
    counts = office_counts(offices, **kwargs)
    if level == "office":
        return [Row(o, counts[o.pk]) for o in offices]
    groups: dict[str, Counts] = defaultdict(Counts)
    for o in offices:
        code = o.region_id[:6] if level == "county" else o.region_id[:4]
        groups[code].add(counts[o.pk])
    bureaus = {u.region_id: u for u in Unit.objects.filter(kind=Unit.Kind.BUREAU, region_id__in=list(groups))}
    return [Row(bureaus[code], groups[code]) for code in sorted(groups) if code in bureaus]


def shortfall_persons(
    office_ids: list[int], today: dt.date | None = None, now: dt.datetime | None = None
) -> dict[str, list[Any]]:
    """The persons behind each shortfall: 重点 and 一般 not connected, files not placed, items missed; and the
    persons behind this year's re-offending and 收监执行."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    year_start = today.replace(month=1, day=1)
    released = ReleaseNotice.objects.filter(
        office_id__in=office_ids, release_on__lte=today, status=ReleaseNotice.Status.NOTIFIED
    ).select_related("office")
    return {
        "key": list(released.filter(is_key=True).order_by("release_on")[:200]),
        "general": list(released.filter(is_key=False).order_by("release_on")[:200]),
        "placement": list(
            HelpFile.objects.filter(
                office_id__in=office_ids,
                opened_on__lte=today,
                ends_on__gte=today,
                reoffended_on__isnull=True,
                placement=HelpFile.Placement.NONE,
            ).select_related("office")[:200]
        ),
        "corrections_reoffended": list(
            Subject.objects.filter(
                office_id__in=office_ids, reoffended_on__gte=year_start, reoffended_on__lte=today
            )
            .select_related("office")
            .order_by("-reoffended_on")[:200]
        ),
        "imprisoned": list(
            Subject.objects.filter(
                office_id__in=office_ids,
                end_cause=EndCause.IMPRISONED,
                ended_on__gte=year_start,
                ended_on__lte=today,
            )
            .select_related("office")
            .order_by("-ended_on")[:200]
        ),
        "resettlement_reoffended": list(
            HelpFile.objects.filter(
                office_id__in=office_ids, reoffended_on__gte=year_start, reoffended_on__lte=today
            )
            .select_related("office")
            .order_by("-reoffended_on")[:200]
        ),
        "missed": list(
            SupervisionItem.objects.filter(
                subject__office_id__in=office_ids,
                due_at__gte=now - dt.timedelta(days=COMPLIANCE_DAYS),
                due_at__lte=now,
            )
            .exclude(status=SupervisionItem.Status.DONE, done_at__lte=F("due_at"))
            .select_related("subject__office")
            .order_by("-due_at")[:200]
        ),
    }
