"""Per-town site counts against the seed's "每个乡镇（街道）有两个以上法治文化阵地", and per-village coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from fawang.regions.models import Region

from .models import SITES_PER_TOWN, Site, VillageSurvey


@dataclass
class TownSites:
    town: Region
    culture: int
    boards: int
    screens: int

    @property
    def meets(self) -> bool:
        return self.culture >= SITES_PER_TOWN


def sites_per_town(county_code: str) -> list[TownSites]:
    """Every town of a county with its sites in use, by kind (the ≥ 2 counts 法治文化阵地 only)."""
    towns = list(Region.objects.filter(parent_id=county_code, level=Region.Level.TOWN).order_by("code"))
    counts: dict[str, dict[str, Any]] = {
        row["town_id"]: dict(row)
        for row in Site.objects.filter(town__parent_id=county_code, is_active=True)
        .values("town_id")
        .annotate(
            culture=Count("pk", filter=Q(kind=Site.Kind.CULTURE)),
            boards=Count("pk", filter=Q(kind=Site.Kind.BOARD)),
            screens=Count("pk", filter=Q(kind=Site.Kind.LED)),
        )
    }
    out = []
    for t in towns:
        row = counts.get(t.code, {})
        out.append(TownSites(t, row.get("culture", 0), row.get("boards", 0), row.get("screens", 0)))
    return out


def surveys(county_code: str, year: int) -> list[VillageSurvey]:
    return list(
        VillageSurvey.objects.filter(village__parent__parent_id=county_code, year=year)
        .select_related("village__parent")
        .order_by("village_id")
    )
