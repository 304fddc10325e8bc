"""The KPI board's indicators contributed by the business lines (社区矫正, 安置帮教, 12348 热线, 人民调解 …): each line
declares its own in its ``indicators`` module and registers them in ``fawang.lib.supervision`` from its
AppConfig.ready() (what it counts, what meets it, its target); this app only counts the rows, scoped to a region and
grouped by the places under it, and imports no line.

Each figure is ``(value, part, whole)`` for the places under a region code, like the other indicators of ``kpi``;
``value`` is None when there is nothing to count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from fawang.lib import supervision

from . import figures

Figure = tuple[float | None, int, int]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _count(qs: QuerySet[Any], part: Q) -> Figure:
    """All rows of ``qs`` and those matching ``part``, in one query."""
    got = qs.aggregate(whole=Count("pk"), part=Count("pk", filter=part))
    whole, part_n = int(got["whole"] or 0), int(got["part"] or 0)
    return _ratio(part_n, whole), part_n, whole


@dataclass(frozen=True)
class Tally:
    """An indicator's rows (under a region), those that count for it, and the field holding each row's region code:
    the indicator of the whole region (``figure``), or of it and each place under it at once (``grouped``, counted
    with the other indicators' by ``count_together``)."""

    rows: QuerySet[Any]
    part: Q
    region_field: str

    def figure(self) -> Figure:
        return _count(self.rows, self.part)

    def grouped(self, length: int) -> QuerySet[Any]:
        """``kpi_place`` (the row's region code cut to ``length``), ``whole`` and ``part``, one row a place."""
        return (
            self.rows.annotate(kpi_place=Substr(self.region_field, 1, length))
            .values("kpi_place")
            .annotate(whole=Count("pk"), part=Count("pk", filter=self.part))
            .order_by()
        )


def _figures(rows: Iterable[dict[str, Any]]) -> tuple[Figure, dict[str, Figure]]:
    places: dict[str, Figure] = {}
    part_all = whole_all = 0
    for row in rows:
        part_n, whole = int(row["part"] or 0), int(row["whole"] or 0)
        part_all, whole_all = part_all + part_n, whole_all + whole
        places[row["kpi_place"]] = (_ratio(part_n, whole), part_n, whole)
    return (_ratio(part_all, whole_all), part_all, whole_all), places


def count_together(tallies: dict[str, tuple[Tally, int]]) -> dict[str, tuple[Figure, dict[str, Figure]]]:
    """For each ``key: (tally, length)``, the region's figure and each place's (region codes cut to ``length``; rows
    of the region itself, a county's own centre with a code shorter than ``length``, count in the region's figure
    only), in one query (the tallies' grouped counts joined by UNION ALL): one round trip to the database for the
    whole board, however many indicators and places."""
    if not tallies:
        return {}
    keys = list(tallies)
    selects: list[str] = []
    params: list[Any] = []
    for i, key in enumerate(keys):
        tally, length = tallies[key]
        inner, inner_params = tally.grouped(length).query.sql_with_params()
        # Each inner query is Django's own, its values parameters; ``i`` is this loop's counter.
        selects.append(f"SELECT {i} AS tally, kpi_place, whole, part FROM ({inner}) t{i}")  # noqa: S608
        params.extend(inner_params)
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(keys))}
    with connection.cursor() as cursor:
        cursor.execute("\nUNION ALL\n".join(selects), params)
        for i, place, whole, part in cursor.fetchall():
            found[int(i)].append({"kpi_place": place, "whole": whole, "part": part})
    return {key: _figures(found[i]) for i, key in enumerate(keys)}


def sources() -> list[supervision.IndicatorSource]:
    """The lines' indicators, in the order the lines registered them."""
    return supervision.indicator_sources()


def tally(source: supervision.IndicatorSource, code: str, period: figures.Period) -> Tally:
    """A line's indicator for the places under region ``code`` over ``period``."""
    rows = source.rows(period.start, period.end).filter(figures.region_q(source.region_field, code))
    return Tally(rows, source.part, source.region_field)


def figure(key: str, code: str, period: figures.Period) -> Figure:
    """The region's figure of the line's indicator ``key`` (``kpi.board`` asks the tallies for every place at
    once)."""
    source = next(s for s in sources() if s.key == key)
    return tally(source, code, period).figure()
