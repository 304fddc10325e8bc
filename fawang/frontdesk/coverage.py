"""三级实体平台全覆盖: per county (区、县), how far the network of service points reaches, from the units on the
platform — towns and streets (乡镇、街道) with a 公共法律服务工作站, villages and communities (村、社区) with a
公共法律服务工作室, the 公共法律服务中心 with all three basic functions (法律援助、人民调解、法律咨询, the "3" of
"3+X"), and service points with nobody on duty (no active staff membership and, for a 工作室, no current
village legal advisor). Each figure lists the places it leaves out. Only active units count."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from fawang.lib import codes
from fawang.orgs.models import AdvisorAssignment, Function, Membership, Unit
from fawang.regions.models import Region


@dataclass
class CountyCoverage:
    region: Region
    towns: int = 0
    towns_covered: int = 0
    villages: int = 0
    villages_covered: int = 0
    centres: int = 0
    centres_complete: int = 0
    points: int = 0
    points_unstaffed: int = 0
    uncovered_towns: list[Region] = field(default_factory=list)
    uncovered_villages: list[Region] = field(default_factory=list)
    incomplete_centres: list[tuple[Unit, list[str]]] = field(default_factory=list)
    unstaffed: list[Unit] = field(default_factory=list)

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return None if whole == 0 else int(part * 100 / whole)

    @property
    def towns_share(self) -> int | None:
        return self.share(self.towns_covered, self.towns)

    @property
    def villages_share(self) -> int | None:
        return self.share(self.villages_covered, self.villages)


def county_coverage(county: Region) -> CountyCoverage:
    return coverage_of([county])[0]


# Above this many counties, the regions and units are read by city (and the other counties' rows dropped here)
# rather than by an OR of one range per county.
MAX_COUNTY_RANGES = 30


def coverage_of(counties: list[Region]) -> list[CountyCoverage]:
    """``county_coverage`` of each county, in the same order, in a fixed number of queries however many counties
    there are (a system administrator's page covers every county of the province)."""
    rows = {county.code: CountyCoverage(county) for county in counties}
    if not rows:
        return []
    prefixes = list(rows) if len(rows) <= MAX_COUNTY_RANGES else sorted({code[:4] for code in rows})

    def county_of(code: str) -> CountyCoverage | None:
        return rows.get(code[:6])

    units = Unit.objects.filter(codes.under_any("region_id", prefixes), is_active=True)
    with_station: set[str] = set()
    with_room: set[str] = set()
    for kind, region_id in units.filter(kind__in=[Unit.Kind.STATION, Unit.Kind.ROOM]).values_list(
        "kind", "region_id"
    ):
        (with_station if kind == Unit.Kind.STATION else with_room).add(region_id)
    places = (
        Region.objects.filter(
            codes.under_any("code", prefixes), level__in=[Region.Level.TOWN, Region.Level.VILLAGE]
        )
        .select_related("parent")
        .order_by("code")
    )
    for place in places:
        row = county_of(place.code)
        if row is None:
            continue
        if place.level == Region.Level.TOWN:
            row.towns += 1
            if place.code not in with_station:
                row.uncovered_towns.append(place)
        else:
            row.villages += 1
            if place.code not in with_room:
                row.uncovered_villages.append(place)
    basic = {f.code: f.name for f in Function.objects.filter(is_basic=True)}
    centres = _centres_at(list(rows))
    points = units.filter(kind__in=Unit.SERVICE_POINT_KINDS)
    staffed = set(
        Membership.objects.active().filter(unit__in=points).values_list("unit_id", flat=True)
    ) | set(AdvisorAssignment.objects.current().filter(room__in=points).values_list("room_id", flat=True))
    for point in points.select_related("region").order_by("region_id", "kind", "name"):
        row = county_of(point.region_id)
        if row is None:
            continue
        row.points += 1
        if point.pk not in staffed:
            row.unstaffed.append(point)
    for code, row in rows.items():
        row.towns_covered = row.towns - len(row.uncovered_towns)
        row.villages_covered = row.villages - len(row.uncovered_villages)
        _centres(row, centres.get(code, []), basic)
        row.points_unstaffed = len(row.unstaffed)
    return [rows[county.code] for county in counties]


def _centres_at(region_codes: list[str]) -> dict[str, list[Unit]]:
    """The active 公共法律服务中心 at each of the regions (exactly there, not below), with their functions: one
    query and its prefetch for all the regions."""
    centres: dict[str, list[Unit]] = {}
    for centre in (
        Unit.objects.filter(kind=Unit.Kind.CENTRE, region_id__in=region_codes, is_active=True)
        .prefetch_related("functions")
        .order_by("pk")
    ):
        centres.setdefault(centre.region_id, []).append(centre)
    return centres


def _centres(row: CountyCoverage, centres: list[Unit], basic: dict[str, str]) -> None:
    for centre in centres:
        has = {f.code for f in centre.functions.all()}
        missing = [name for code, name in basic.items() if code not in has]
        row.centres += 1
        if missing:
            row.incomplete_centres.append((centre, missing))
        else:
            row.centres_complete += 1


def city_totals(rows: list[CountyCoverage]) -> list[CountyCoverage]:
    """Per city (市): its counties' figures added up, plus the city's own 公共法律服务中心 (the third level above
    the county's), for the counties in ``rows``: the cities and their centres in a fixed number of queries, not
    one query per county for its city (a system administrator's page read ~100 counties' cities one by one)."""
    basic = {f.code: f.name for f in Function.objects.filter(is_basic=True)}
    cities = Region.objects.in_bulk(
        {row.region.parent_id for row in rows if row.region.parent_id is not None}
    )
    own = _centres_at(list(cities))
    totals: dict[str, CountyCoverage] = {}
    for row in rows:
        if row.region.parent_id is None:
            continue
        city = cities[row.region.parent_id]
        if city.code not in totals:
            total = CountyCoverage(city)
            _centres(total, own.get(city.code, []), basic)
            totals[city.code] = total
        total = totals[city.code]
        for name in ("towns", "towns_covered", "villages", "villages_covered", "centres", "centres_complete"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.points += row.points
        total.points_unstaffed += row.points_unstaffed
    return [totals[code] for code in sorted(totals)]


def counties_for(regions: list[Region]) -> list[Region]:
    """The counties (区、县) of the given regions: a city's (or province's) counties, a county itself. The
    counties under all the cities and provinces come in one query, not one query per city: a system
    administrator reaches some 340 cities."""
    out: dict[str, Region] = {r.code: r for r in regions if r.level == Region.Level.COUNTY}
    above = [r.code for r in regions if r.level < Region.Level.COUNTY]
    if above:
        for county in Region.objects.filter(codes.under_any("code", above), level=Region.Level.COUNTY):
            out[county.code] = county
    return [out[code] for code in sorted(out)]


def reachable_counties(user: object) -> list[Region]:
    """The counties whose network the user may look at: those of the regions the user reaches."""
    seen = Region.objects.visible_to(user).filter(  # type: ignore[arg-type]
        Q(level=Region.Level.COUNTY) | Q(level=Region.Level.CITY)
    )
    return counties_for(list(seen))
