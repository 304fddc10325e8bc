"""Which appraisal institutions may take a request of a category: active, holding that category (业务范围), in the
request's city (a 设区的市's institutions serve its counties), nearest first (the longest shared region code),
then by name."""

from __future__ import annotations

from fawang.lib import codes
from fawang.orgs.models import Unit
from fawang.regions.models import Region


def licensed_institutions(category: str, region: Region) -> list[Unit]:
    city = region.code[:4]
    units = list(
        Unit.objects.active()
        .filter(kind=Unit.Kind.APPRAISAL, appraisal_categories__category=category)
        .filter(codes.under("region_id", city))
        .distinct()
        .order_by("name", "pk")
    )

    def shared(unit: Unit) -> int:
        n = 0
        for mine, theirs in zip(region.code, unit.region_id, strict=False):
            if mine != theirs:
                break
            n += 1
        return n

    return sorted(units, key=lambda unit: -shared(unit))


def holds(unit: Unit, category: str) -> bool:
    return unit.kind == Unit.Kind.APPRAISAL and unit.appraisal_categories.filter(category=category).exists()
