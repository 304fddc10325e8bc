"""Hotspots with their causes (热点问题、热点区域及形成原因).

For every region under the scope (district/county, town, village) and every topic, the matters received in the
last ``WINDOW_DAYS`` days are tested against the region's own history:

- **Baseline.** The region × topic count of each of the previous ``HISTORY_WEEKS`` weeks, aligned on the window
  (so every week holds each weekday once: the weekly rhythm cancels). The region's weekly rate has a Gamma
  posterior (Jeffreys prior, shape B + ½ from the B matters of those weeks).
- **Season.** What rises everywhere (wage arrears before 春节, the return after the holidays) is not a hotspot of one
  place: the expectation is scaled by the topic's trend in all other regions (this window against the history's
  weekly mean, the region itself left out).
- **Test.** The window's count X against the predictive distribution (a negative binomial: Poisson counts with the
  uncertain rate above): p = P(X ≥ x). A region × topic is flagged when p < ``ALPHA`` and x ≥ ``MIN_COUNT``.

**False-alarm rate.** Each region × topic tested has a chance of at most ``ALPHA`` = 0.001 a week of being flagged
when nothing changed (the predictive tail is exact for Poisson counts; the minimum count only lowers it), so a scope
with N tested cells expects at most 0.001·N false alarms a week (思明区: ~2,000 cells → about 2 a week at most).
``tests/test_hotspots.py`` checks it on a year generated without anomalies.

A flagged region whose rise is mostly (≥ half of its excess) that of a flagged region under it is left out: the
place named is where it happens. Each hotspot explains itself: count against expected, the phrases that rose most
in the matters' text (segmented with rjieba, against the same topic's history), the units, items and channels
involved, and example matters.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import rjieba
from django.db.models import Sum
from django.utils import timezone

from fawang.catalog.models import Channel, ServiceItem
from fawang.lib import codes
from fawang.matters.models import Matter
from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region

from .models import DailyFact

WINDOW_DAYS = 7
HISTORY_WEEKS = 12
ALPHA = 0.001
MIN_COUNT = 5
PRIOR = 0.5
LEVEL_LENGTHS = (6, 9, 12)  # county, town, village
# Words that say nothing about a cause.
STOPWORDS = frozenset(
    [
        "请问",
        "怎么",
        "怎么办",
        "如何",
        "什么",
        "可以",
        "能不能",
        "没有",
        "一下",
        "想",
        "咨询",
        "希望",
        "得到",
        "帮助",
        "处理",
        "问题",
        "的",
        "了",
        "是",
        "和",
        "有",
        "在",
        "我",
        "要求",
        "要",
        "能",
        "吗",
        "被",
        "后",
        "时",
        "对",
        "不",
        "就",
        "也",
        "都",
        "还",
        "又",
        "上",
        "下",
        "个",
        "这",
        "那",
        "与",
        "及",
        "或",
    ]
)


@dataclass
class Hotspot:
    region: str
    region_name: str
    topic_id: int
    topic_name: str
    observed: int
    expected: float
    p_value: float
    start: dt.date
    end: dt.date
    phrases: list[tuple[str, int, float]] = field(default_factory=list)  # word, matters now, lift
    units: list[tuple[str, int]] = field(default_factory=list)
    items: list[tuple[str, int]] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)  # the sub-regions it comes from
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("inf")

    def as_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "region_name": self.region_name,
            "topic_id": self.topic_id,
            "topic_name": self.topic_name,
            "observed": self.observed,
            "expected": round(self.expected, 2),
            "p_value": self.p_value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "phrases": [[w, n, round(lift, 1)] for w, n, lift in self.phrases],
            "units": self.units,
            "items": self.items,
            "channels": self.channels,
            "places": self.places,
            "examples": self.examples,
        }


def tail_probability(x: int, shape: float, p: float) -> float:
    """P(X ≥ x) for X negative binomial (number of failures before ``shape`` successes of probability ``p``)."""
    if x <= 0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p) if p < 1 else -math.inf
    below = 0.0
    for k in range(x):
        log_pmf = math.lgamma(shape + k) - math.lgamma(shape) - math.lgamma(k + 1) + shape * log_p
        if k:
            log_pmf += k * log_q
        below += math.exp(log_pmf)
    return max(0.0, 1.0 - below)


def predictive(history_total: float, weeks: int, trend: float) -> tuple[float, float, float]:
    """(expected, shape, p) of the window's count: weekly rate ~ Gamma(B + ½, weeks), times the trend."""
    shape = history_total + PRIOR
    p = weeks / (weeks + trend)
    return shape * trend / weeks, shape, p


@dataclass
class Cell:
    now: int = 0
    history: int = 0


def _week(day: dt.date, as_of: dt.date) -> int:
    return (as_of - day).days // WINDOW_DAYS


def _cells(root: str, as_of: dt.date) -> tuple[dict[tuple[str, int], Cell], dict[int, Cell], int]:
    """Counts by (region at each level under ``root``, topic): the window's and the history's; the same for every
    region together by topic (the trend's reference); and the number of history weeks."""
    first = as_of - dt.timedelta(days=WINDOW_DAYS * (HISTORY_WEEKS + 1) - 1)
    rows = (
        DailyFact.objects.filter(day__gte=first, day__lte=as_of, topic__isnull=False)
        .values_list("region_id", "topic_id", "day")
        .annotate(n=Sum("received"))
    )
    cells: dict[tuple[str, int], Cell] = defaultdict(Cell)
    everywhere: dict[int, Cell] = defaultdict(Cell)
    for region, topic, day, n in rows:
        if not n:
            continue
        now = _week(day, as_of) == 0
        ref = everywhere[topic]
        if now:
            ref.now += n
        else:
            ref.history += n
        if not region.startswith(root):
            continue
        for length in LEVEL_LENGTHS:
            if length < len(root) or length > len(region):
                continue
            cell = cells[(region[:length], topic)]
            if now:
                cell.now += n
            else:
                cell.history += n
    return cells, everywhere, HISTORY_WEEKS


@dataclass
class Test:
    region: str
    topic: int
    observed: int
    expected: float
    p_value: float


def test_cells(root: str, as_of: dt.date) -> tuple[list[Test], int]:
    """Every region × topic under ``root`` tested; returns the flagged ones and the number of tests."""
    cells, everywhere, weeks = _cells(root, as_of)
    flagged: list[Test] = []
    for (region, topic), cell in cells.items():
        ref = everywhere[topic]
        other_now, other_history = ref.now - cell.now, ref.history - cell.history
        trend = (other_now / (other_history / weeks)) if other_history > 0 and other_now > 0 else 1.0
        expected, shape, p = predictive(cell.history, weeks, trend)
        if cell.now < MIN_COUNT or cell.now <= expected:
            continue
        p_value = tail_probability(cell.now, shape, p)
        if p_value < ALPHA:
            flagged.append(Test(region, topic, cell.now, expected, p_value))
    return _most_specific(flagged), len(cells)


def _most_specific(flagged: list[Test]) -> list[Test]:
    """Leave out a region whose excess is mostly that of a flagged region under it (same topic)."""
    kept = []
    for t in flagged:
        excess = t.observed - t.expected
        below = sum(
            o.observed - o.expected
            for o in flagged
            if o.topic == t.topic
            and o.region != t.region
            and o.region.startswith(t.region)
            # only the nearest flagged level below counts, not the village under a flagged town twice
            and not any(
                m.topic == t.topic
                and m.region != o.region
                and o.region.startswith(m.region)
                and m.region.startswith(t.region)
                and m.region != t.region
                for m in flagged
            )
        )
        if below < excess / 2:
            kept.append(t)
    return sorted(kept, key=lambda t: t.p_value)


# --------------------------------------------------------------------------------------------- causes


def words(text: str) -> set[str]:
    return {w for w in rjieba.cut(text) if len(w) >= 2 and w not in STOPWORDS and not w.isdigit()}


def rising_phrases(now_texts: list[str], base_texts: list[str], top: int = 8) -> list[tuple[str, int, float]]:
    """The words in more of the window's matters than the history would have them: (word, matters, lift)."""
    now_df: Counter[str] = Counter()
    for text in now_texts:
        now_df.update(words(text))
    base_df: Counter[str] = Counter()
    for text in base_texts:
        base_df.update(words(text))
    n_now, n_base = max(len(now_texts), 1), max(len(base_texts), 1)
    scored = []
    for word, n in now_df.items():
        if n < 2:
            continue
        lift = ((n + 0.5) / (n_now + 1)) / ((base_df[word] + 0.5) / (n_base + 1))
        if lift > 1.5:
            scored.append((n * math.log(lift), word, n, lift))
    scored.sort(reverse=True)
    return [(word, n, lift) for _score, word, n, lift in scored[:top]]


def _local_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def explain(t: Test, as_of: dt.date) -> Hotspot:
    start = as_of - dt.timedelta(days=WINDOW_DAYS - 1)
    region = Region.objects.filter(code=t.region).values_list("full_name", flat=True).first() or t.region
    topic = Speciality.objects.filter(pk=t.topic).values_list("name", flat=True).first() or ""
    hot = Hotspot(t.region, region, t.topic, topic, t.observed, t.expected, t.p_value, start, as_of)
    facts = DailyFact.objects.filter(
        codes.under("region_id", t.region), topic_id=t.topic, day__gte=start, day__lte=as_of
    )

    def top(field: str, names: dict[Any, str]) -> list[tuple[str, int]]:
        rows = facts.values_list(field).annotate(n=Sum("received")).order_by("-n")[:5]
        return [(names.get(key, str(key)), n) for key, n in rows if n]

    unit_ids = facts.values_list("unit_id", flat=True).distinct()
    hot.units = top("unit_id", dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")))
    hot.items = top("service_item_id", dict(ServiceItem.objects.values_list("pk", "name")))
    hot.channels = top("channel", {k: str(v) for k, v in Channel.choices})
    if len(t.region) < 12:
        sub_len = {6: 9, 9: 12}.get(len(t.region), 12)
        by_place: Counter[str] = Counter()
        for code, n in facts.values_list("region_id").annotate(n=Sum("received")):
            by_place[code[:sub_len]] += n
        names = dict(Region.objects.filter(code__in=list(by_place)).values_list("code", "name"))
        hot.places = [(names.get(c, c), n) for c, n in by_place.most_common(5)]
    lo, hi = _local_range(start, as_of)
    now_qs = Matter.objects.filter(
        codes.under("region_id", t.region), topic_id=t.topic, submitted_at__gte=lo, submitted_at__lt=hi
    )
    now_texts = list(now_qs.values_list("description", flat=True)[:500])
    base_lo, _ = _local_range(start - dt.timedelta(days=WINDOW_DAYS * HISTORY_WEEKS), start)
    base_texts = list(
        Matter.objects.filter(topic_id=t.topic, submitted_at__gte=base_lo, submitted_at__lt=lo)
        .values_list("description", flat=True)
        .order_by("-submitted_at")[:3000]
    )
    hot.phrases = rising_phrases(now_texts, base_texts)
    hot.examples = [
        {"id": pk, "tracking_no": no, "description": text[:60], "submitted_at": at.isoformat()}
        for pk, no, text, at in now_qs.order_by("-submitted_at").values_list(
            "pk", "tracking_no", "description", "submitted_at"
        )[:5]
    ]
    return hot


def find(root: str, as_of: dt.date | None = None, *, explained: bool = True) -> list[Hotspot]:
    """The hotspots under region ``root`` in the window ending ``as_of`` (default today), with their causes."""
    as_of = as_of or timezone.localdate()
    flagged, _tests = test_cells(root, as_of)
    if not explained:
        return [
            Hotspot(t.region, t.region, t.topic, "", t.observed, t.expected, t.p_value, as_of, as_of)
            for t in flagged
        ]
    return [explain(t, as_of) for t in flagged]
