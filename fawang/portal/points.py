"""Service points as the public sees them: the one door for public reads of units.

Units are not scoped for the public (their public details are public), but only active units are shown,
never external hotlines as pages, and never staff-only fields: the templates show name, kind, address,
phone, hours, functions, windows, parent unit and the village advisor's name and schedule, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes
from fawang.orgs.models import AdvisorAssignment, Function, Unit, UnitQuerySet, Window
from fawang.regions.models import Region
from fawang.regions.widgets import region_label, without_committee

# What the finder lists and offers as a filter, in the order a citizen would look for them at one place.
FINDER_KINDS: tuple[str, ...] = (
    Unit.Kind.ROOM,
    Unit.Kind.STATION,
    Unit.Kind.CENTRE,
    Unit.Kind.LEGAL_AID,
    Unit.Kind.JUDICIAL_OFFICE,
    Unit.Kind.MEDIATION,
    Unit.Kind.NOTARY,
    Unit.Kind.APPRAISAL,
    Unit.Kind.GRASSROOTS,
    Unit.Kind.LAW_FIRM,
)

# How the finder names a point's place relative to the region the citizen chose.
RELATION_LABELS = {
    Region.Level.VILLAGE: _("本村（社区）"),
    Region.Level.TOWN: _("所在乡镇（街道）"),
    Region.Level.COUNTY: _("所在县（市、区）"),
    Region.Level.CITY: _("所在市"),
    Region.Level.PROVINCE: _("所在省"),
}


def public_units() -> UnitQuerySet:
    """Active units with a public page: every kind but external hotlines, which are only numbers to call."""
    return Unit.objects.active().exclude(kind=Unit.Kind.HOTLINE)


def current_public_advisors() -> Prefetch:
    """一村一法律顾问 on a room: the practitioner's name and schedule only (their phone is personal data)."""
    return Prefetch(
        "advisor_assignments",
        queryset=AdvisorAssignment.objects.current()
        .filter(practitioner__is_public=True)
        .select_related("practitioner")
        .order_by("region_id"),
        to_attr="public_advisors",
    )


def get_public_unit(pk: int) -> Unit:
    """The same 404 for a unit that does not exist, is inactive, or is a hotline."""
    return get_object_or_404(
        public_units()
        .select_related("region", "parent")
        .prefetch_related(
            "functions",
            Prefetch("windows", queryset=Window.objects.filter(is_active=True).order_by("number")),
            current_public_advisors(),
        ),
        pk=pk,
    )


def points_serving(
    region: Region | None, *, kind: str = "", function: Function | None = None
) -> QuerySet[Unit]:
    """Service points for people of ``region``, nearest first.

    The region's own points come first, then those of each level above it (town, county, city, province),
    then the points below it (for a town or county) in code order. Without a region: everything, the
    higher levels first.
    """
    qs = public_units().filter(kind__in=[kind] if kind else FINDER_KINDS)
    if function is not None:
        qs = qs.filter(functions=function)
    kind_rank = Case(
        *(When(kind=k, then=Value(i)) for i, k in enumerate(FINDER_KINDS)), output_field=IntegerField()
    )
    if region is None:
        qs = qs.annotate(depth=Length("region_id"), kind_rank=kind_rank).order_by(
            "depth", "region_id", "kind_rank", "name"
        )
    else:
        above = region.ancestor_codes()  # includes the region itself
        qs = qs.filter(Q(region_id__in=above) | codes.under("region_id", region.code))
        qs = qs.annotate(
            below=Case(
                When(region_id__in=above, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            # Within the region and its parents: the deepest (nearest) first; below it: code order.
            nearness=Case(
                When(region_id__in=above, then=-Length("region_id")),
                default=Value(0),
                output_field=IntegerField(),
            ),
            kind_rank=kind_rank,
        ).order_by("below", "nearness", "region_id", "kind_rank", "name")
    return qs.select_related("region").prefetch_related("functions", current_public_advisors())


def hotlines_for(region: Region | None) -> list[Unit]:
    """External hotlines (12345, 12315, 110) of the region and its parents: numbers to call, not pages."""
    if region is None:
        return []
    qs = Unit.objects.active().filter(kind=Unit.Kind.HOTLINE, region_id__in=region.ancestor_codes())
    return list(qs.order_by(F("hotline_number").asc(), "name"))


@dataclass(frozen=True)
class Relation:
    label: str
    is_own: bool


def relation(unit: Unit, region: Region | None) -> Relation | None:
    """Where ``unit`` stands relative to the chosen region: 本村（社区）, 所在乡镇（街道）..., or the place below."""
    if region is None:
        return None
    if region.code.startswith(unit.region_id):
        return Relation(str(RELATION_LABELS[Region.Level(unit.region.level)]), unit.region_id == region.code)
    # Below the chosen region: name the place, without the part the citizen already chose.
    place = without_committee(unit.region.full_name.removeprefix(region.full_name)) or region_label(
        unit.region
    )
    return Relation(place, False)


def public_parent(unit: Unit) -> Unit | None:
    """The unit's 主管单位 when it has a public page (read from select_related, no query)."""
    parent = unit.parent
    return parent if parent is not None and parent.is_active and parent.kind != Unit.Kind.HOTLINE else None


@dataclass(slots=True)
class PointCard:
    """What a service point's card and page show besides the unit's own fields."""

    unit: Unit
    basic_functions: list[Function]  # the "3" of "3+X": the functions every point of its kind offers
    extra_functions: list[Function]  # the "X": what this point offers besides
    relation: Relation | None  # how the point relates to the chosen region; None when none was chosen


def point_card(unit: Unit, region: Region | None = None) -> PointCard:
    """The relation to the chosen region and the "3+X" functions split. Reads the prefetched functions, so it
    costs no query."""
    functions = list(unit.functions.all())
    return PointCard(
        unit=unit,
        basic_functions=[f for f in functions if f.is_basic],
        extra_functions=[f for f in functions if not f.is_basic],
        relation=relation(unit, region),
    )
