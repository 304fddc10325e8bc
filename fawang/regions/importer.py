"""Import the 2023 statistical divisions (data/divisions) and 2020 census population (data/census).

All provinces, cities and counties of China are imported; towns and villages only for the provinces asked
for (福建 35 by default), because the national village list has 620k rows and a deployment needs its own
province. Re-running updates rows in place (upsert), so the import is idempotent.
"""

from __future__ import annotations

import csv
import lzma
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from fawang.lib import codes

from .models import Region

# City-level placeholders that name no real place; they are left out of full names.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
BATCH = 2000


@dataclass
class ImportResult:
    by_level: dict[int, int] = field(default_factory=dict)
    with_population: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener: Callable[..., Any] = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _census(data_dir: Path) -> dict[str, tuple[int, int | None, int | None]]:
    """Population by division code: counties (6 digits) and cities (4 digits from the 6-digit xx00 code)."""

    def num(value: str) -> int | None:
        return int(float(value)) if value else None

    out: dict[str, tuple[int, int | None, int | None]] = {}
    for row in _rows(data_dir / "census" / "county_population_2020.csv"):
        if row["county_code"] and row["population_2020"]:
            out[row["county_code"]] = (
                int(row["population_2020"]),
                num(row["population_urban_2020"]),
                num(row["population_rural_2020"]),
            )
    for row in _rows(data_dir / "census" / "city_population_2020.csv"):
        code = row["city_code"]
        if code.endswith("00") and row["popu_2020"]:
            out.setdefault(
                code[:4],
                (int(float(row["popu_2020"])), num(row["popu_urban_2020"]), num(row["popu_rural_2020"])),
            )
    return out


def import_regions(
    provinces: Iterable[str] = ("35",),
    *,
    data_dir: Path | None = None,
    progress: Callable[[Iterable[dict[str, str]], str, int], Iterable[dict[str, str]]] | None = None,
    only_under: Iterable[str] = (),
) -> ImportResult:
    """Upsert divisions; towns and villages only for ``provinces``.

    ``only_under`` narrows towns and villages further to given subtrees (used by tests, which need
    厦门市 and 仙游县 but not all of Fujian).
    """
    data_dir = data_dir or settings.DATA_DIR
    div = data_dir / "divisions"
    deep = tuple(provinces)
    narrow = tuple(only_under)
    population = _census(data_dir)
    result = ImportResult()
    names: dict[str, str] = {}

    def wrap(rows: Iterable[dict[str, str]], label: str, total: int) -> Iterable[dict[str, str]]:
        return progress(rows, label, total) if progress else rows

    def make(code: str, name: str) -> Region:
        parent = codes.parent_code(code)
        display = "" if name in PLACEHOLDER_NAMES else name
        full = (names.get(parent, "") if parent else "") + display
        names[code] = full
        pop = population.get(code)
        if pop:
            result.with_population += 1
        return Region(
            code=code,
            name=name,
            level=codes.level_of(code),
            parent_id=parent,
            full_name=full or name,
            population=pop[0] if pop else None,
            population_urban=pop[1] if pop else None,
            population_rural=pop[2] if pop else None,
        )

    def wanted(code: str) -> bool:
        return code.startswith(deep) and (
            not narrow or code.startswith(narrow) or any(n.startswith(code) for n in narrow)
        )

    levels: list[tuple[str, str, int]] = [
        ("provinces.csv", "省级", 31),
        ("cities.csv", "地级", 342),
        ("areas.csv", "县级", 2978),
        ("streets.csv", "乡级", 41352),
        ("villages.csv.xz", "村级", 620573),
    ]
    with transaction.atomic():
        for depth, (filename, label, total) in enumerate(levels, start=1):
            batch: list[Region] = []
            count = 0
            for row in wrap(_rows(div / filename), label, total):
                code = row["code"]
                if depth >= 4 and not wanted(code):
                    continue
                batch.append(make(code, row["name"]))
                if len(batch) >= BATCH:
                    count += _save(batch)
                    batch = []
            count += _save(batch)
            result.by_level[depth] = count
        # Provinces: the census gives no province rows; sum their cities where every city has a figure.
        _province_population()
    return result


def _save(batch: list[Region]) -> int:
    if batch:
        Region.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "level",
                "parent",
                "full_name",
                "population",
                "population_urban",
                "population_rural",
            ],
        )
    return len(batch)


def _province_population() -> None:
    for province in Region.objects.filter(level=Region.Level.PROVINCE):
        cities = list(Region.objects.filter(parent=province).values_list("code", "population"))
        if cities and all(p for _, p in cities):
            province.population = sum(p for _, p in cities if p)
            province.save(update_fields=["population"])
