"""Routing (后台分类处理): which unit handles a request for a service item concerning a region.

1. An explicit RoutingRule for the item whose region is the longest prefix of the matter's region code
   (then the highest priority) wins: admins use rules for exceptions (a district that sends all mediation to
   its centre, a notary office serving two districts).
2. Otherwise walk up the region tree from the matter's region and take the nearest active unit of the item's
   handling kind at or above the item's level: a town matter for 法律援助 (county level) goes to the district's
   法律援助中心; a district with no 公证处 sends notary requests to the city's.
3. A matter whose region is coarser than the item's level (a hotline caller who names only the district for
   a town-level item such as 人民调解) goes to the public legal service centre of that region, which knows
   its towns and passes it on (前台统一受理、后台分流转办).
4. Where nothing above finds a unit, staff choose one by hand (NoRoute). A submission with no staff member to
   choose (the public online, a webhook) uses ``explain_route_or_fallback``: the nearest level that has a
   public legal service centre (the 12348 centre of the city or the province), else the nearest judicial
   bureau, answers or passes it on; the question is never lost.

A manual choice of unit is always possible, with a reason, in the actions (the event records it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.functions import Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.catalog import cache as catalog_cache
from fawang.catalog.models import RoutingRule, ServiceItem
from fawang.lib import codes
from fawang.lib.errors import Refused
from fawang.orgs.models import Unit
from fawang.regions.models import Region


class NoRoute(Refused):
    """No unit can handle this item for this region; staff must choose one by hand."""

    code = "no_route"
    default_message = gettext_lazy("未找到可以办理该事项的机构。")

    def __init__(self, item: ServiceItem, region: Region) -> None:
        super().__init__(
            _("未找到办理“%(item)s”的机构（%(region)s），请人工指定办理机构并说明理由。")
            % {"item": item.name, "region": region.full_name or region.name}
        )


@dataclass(frozen=True)
class Route:
    unit: Unit
    how: str  # "rule", "walk_up", "centre" (coarse region), "fallback", "intake", "manual", "supervisor"
    rule_id: int | None = None

    @property
    def how_label(self) -> str:
        return {
            "rule": _("按分派规则"),
            "walk_up": _("按区划自动分派"),
            "centre": _("交公共法律服务中心分流"),
            "fallback": _("本地区暂无办理机构，交上级公共法律服务中心"),
            "intake": _("受理机构就地办理"),
            "manual": _("人工指定"),
            "supervisor": _("交主管司法局处理"),
        }.get(self.how, self.how)


def _nearest(kind: str, region_codes: list[str]) -> Unit | None:
    """The active unit of ``kind`` in the deepest of ``region_codes``; from the process's copy of the units
    (fawang/catalog/cache.py), else one query."""
    units = catalog_cache.active_units(kind, region_codes)
    if units is None:
        units = list(Unit.objects.active().filter(kind=kind, region_id__in=region_codes).order_by("pk"))
    if not units:
        return None
    return max(units, key=lambda u: (len(u.region_id), -u.pk))


def explain_route(item: ServiceItem, region: Region) -> Route:
    """The unit for ``item`` in ``region`` and how it was found; raises NoRoute."""
    ancestors = [region.code[:n] for n in codes.CODE_LENGTHS if n <= len(region.code)]
    rules = catalog_cache.routing_rules(item.pk, ancestors)
    if rules is None:
        rule = (
            RoutingRule.objects.filter(
                service_item=item, is_active=True, unit__is_active=True, region_id__in=ancestors
            )
            .select_related("unit")
            .order_by(Length("region_id").desc(), "-priority", "pk")
            .first()
        )
    else:
        # The same order as the query's: the longest region code, then the highest priority, then the oldest.
        rule = min(rules, key=lambda r: (-len(r.region_id), -r.priority, r.pk), default=None)
    if rule is not None:
        return Route(rule.unit, "rule", rule.pk)
    if region.level < item.unit_level:
        centre = _nearest(Unit.Kind.CENTRE, ancestors)
        if centre is not None:
            return Route(centre, "centre")
    eligible = [code for code in ancestors if codes.level_of(code) <= item.unit_level]
    unit = _nearest(item.unit_kind, eligible)
    if unit is None:
        raise NoRoute(item, region)
    return Route(unit, "walk_up")


def explain_route_or_fallback(item: ServiceItem, region: Region) -> Route:
    """``explain_route``, and where it finds no unit, the nearest level that has one: the nearest active
    public legal service centre above or at ``region`` whatever the item's level (the 12348 centre of the
    city or the province), else the nearest active judicial bureau. Raises NoRoute only when no level has
    either (a region outside every unit of the platform)."""
    try:
        return explain_route(item, region)
    except NoRoute:
        ancestors = [region.code[:n] for n in codes.CODE_LENGTHS if n <= len(region.code)]
        unit = _nearest(Unit.Kind.CENTRE, ancestors) or _nearest(Unit.Kind.BUREAU, ancestors)
        if unit is None:
            raise
        return Route(unit, "fallback")


def route(item: ServiceItem, region: Region) -> Unit:
    """The handling unit for ``item`` in ``region`` (see the module docstring); raises NoRoute."""
    return explain_route(item, region).unit


def supervising_unit(unit: Unit) -> Unit | None:
    """The judicial bureau one level up (主管司法局): where escalations and complaints about ``unit`` go.

    Follows ``parent`` to the first bureau above the unit (a station's 司法所 reports to the district bureau;
    a district bureau to the city's). If the chain is broken, falls back to the nearest active bureau in a
    region above the unit's own region.
    """
    seen: set[int] = {unit.pk}
    current = unit.parent
    while current is not None and current.pk not in seen:
        if current.kind == Unit.Kind.BUREAU and current.is_active:
            return current
        seen.add(current.pk)
        current = current.parent
    region_code = unit.region_id
    above = [region_code[:n] for n in codes.CODE_LENGTHS if n < len(region_code)]
    if unit.kind != Unit.Kind.BUREAU:
        # A non-bureau unit's own region's bureau supervises it (a county legal-aid centre -> county bureau).
        above.append(region_code)
    return _nearest(Unit.Kind.BUREAU, above) if above else None
