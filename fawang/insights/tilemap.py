"""The dashboard's map of the places under a region (热点区域), drawn on the server as SVG from the same figures as the
ranking table.

There is no boundary data with a usable licence in the repository (the regions come with codes, names and census
population only), so the map is a tile grid, not a geographic choropleth: one equal square per district or town in
the order of its code, coloured by the chosen figure in five equal-width classes between the lowest and the highest
value, marked where a hotspot warning is open, and linked to that place's own dashboard. It says so under it, and
the ranking table beside it carries the same numbers for those who do not read the colours.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# ColorBrewer "Blues", five classes (sequential, colour-blind safe, prints in grey).
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
INK = ("#111111", "#111111", "#111111", "#ffffff", "#ffffff")
NO_DATA = "#d9d9d9"
TILE_W, TILE_H, GAP, MAX_COLUMNS = 132, 76, 6, 6
NAME_CHARS = 8

METRICS = {
    "per_10k": gettext_lazy("每万人受理"),
    "received": gettext_lazy("受理登记"),
    "on_time_rate": gettext_lazy("按时办结率"),
    "satisfaction": gettext_lazy("满意率"),
    "complaints": gettext_lazy("投诉"),
}
DEFAULT_METRIC = "per_10k"
RATES = {"on_time_rate", "satisfaction"}


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    short_name: str
    x: int
    y: int
    value: float | None
    label: str
    fill: str
    ink: str
    href: str
    hot: bool


@dataclass(frozen=True)
class LegendClass:
    fill: str
    label: str


def metric_of(value: str | None, rows: list[dict[str, Any]]) -> str:
    """The figure asked for; 每万人受理 falls back to 受理登记 where no place has a census population (towns)."""
    metric = value if value in METRICS else DEFAULT_METRIC
    if metric == "per_10k" and not any(r.get("per_10k") is not None for r in rows):
        return "received"
    return metric


def _label(metric: str, value: float | None) -> str:
    if value is None:
        return _("无数据")
    if metric in RATES:
        return f"{value * 100:.1f}%"
    if metric == "per_10k":
        return f"{value:.2f}"
    return f"{int(value):,}"


def _breaks(values: Iterable[float]) -> tuple[float, float]:
    got = list(values)
    return (min(got), max(got)) if got else (0.0, 0.0)


def _class_of(value: float, low: float, high: float) -> int:
    if high <= low:
        return len(PALETTE) - 1
    return min(int((value - low) / (high - low) * len(PALETTE)), len(PALETTE) - 1)


def build(
    rows: list[dict[str, Any]], metric: str, href: Callable[[str], str], hot: set[str]
) -> dict[str, Any]:
    """The tiles, legend and size of the map of ``rows`` (``figures.ranking``'s places) by ``metric``."""
    ordered = sorted(rows, key=lambda r: r["code"])
    values = [r.get(metric) for r in ordered]
    low, high = _breaks(float(v) for v in values if v is not None)
    columns = max(1, min(MAX_COLUMNS, math.ceil(math.sqrt(len(ordered) * 1.5)))) if ordered else 1
    tiles = []
    for i, (row, value) in enumerate(zip(ordered, values, strict=True)):
        col, line = i % columns, i // columns
        shade = _class_of(float(value), low, high) if value is not None else None
        name = row["name"]
        tiles.append(
            Tile(
                code=row["code"],
                name=name,
                short_name=name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…",
                x=col * (TILE_W + GAP),
                y=line * (TILE_H + GAP),
                value=value,
                label=_label(metric, value),
                fill=PALETTE[shade] if shade is not None else NO_DATA,
                ink=INK[shade] if shade is not None else "#111111",
                href=href(row["code"]),
                hot=row["code"] in hot,
            )
        )
    legend = []
    if any(v is not None for v in values):
        step = (high - low) / len(PALETTE) if high > low else 0
        for k, fill in enumerate(PALETTE):
            if step == 0 and k < len(PALETTE) - 1:
                continue
            lo, hi = low + step * k, (low + step * (k + 1) if step else high)
            legend.append(LegendClass(fill, f"{_label(metric, lo)} – {_label(metric, hi)}"))
    if any(v is None for v in values):
        legend.append(LegendClass(NO_DATA, _("无数据")))
    lines = math.ceil(len(ordered) / columns) if ordered else 0
    return {
        "metric": metric,
        "metric_label": str(METRICS[metric]),
        "tiles": tiles,
        "legend": legend,
        "width": columns * (TILE_W + GAP) - GAP,
        "height": max(lines * (TILE_H + GAP) - GAP, 0),
        "tile_w": TILE_W,
        "tile_h": TILE_H,
        "metrics": list(METRICS.items()),
        "any_hot": any(t.hot for t in tiles),
    }
