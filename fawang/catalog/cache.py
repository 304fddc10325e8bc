"""What every intake reads and admins change a few times a year — the active service items, the routing rules
and the units a request can be routed to — remembered in each process until the next change.

Every intake POST used to fetch the same rows again: its service item twice (the form, the item's own fields),
the routing rule and the unit it routes to (bench/bench_matters.py). Here one process keeps them, tagged with a
version token kept in the shared cache (settings.CACHES: Redis, or a table of the database); a save or delete of
a service item, a routing rule or a unit puts a new token there (``bump``: at once and again when the
transaction commits), and the next read in any process finds its own copy out of date and loads it again. So a
changed routing rule takes effect at the next request, in every process, at the cost of one small read of the
token per look-up instead of the queries. A token the shared cache has lost (evicted, cleared) is a change too.

Copies are handed out, never the remembered rows themselves, so nothing a caller does to an object reaches
another thread. Disabled where REFERENCE_CACHE_SECONDS is 0 (the tests, where each test rolls its rows back):
every look-up then queries.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fawang.lib import memo
from fawang.lib.versiontoken import VersionToken
from fawang.orgs.models import Unit

from .models import RoutingRule, ServiceItem

VERSION_KEY = "catalog:version"
# Read once per request: an intake looks up its item and its route with one read.
TOKEN = VersionToken(VERSION_KEY)

_lock = threading.Lock()


@dataclass
class _Snapshot:
    token: str
    items: dict[int, ServiceItem] = field(default_factory=dict)
    # service item id -> its active rules whose unit is active, unit attached (rule.unit)
    rules: dict[int, list[RoutingRule]] = field(default_factory=dict)
    # unit kind -> region code -> active units of that kind there, by pk
    units: dict[str, dict[str, list[Unit]]] = field(default_factory=dict)


_snapshot: _Snapshot | None = None


def enabled() -> bool:
    return memo.seconds() > 0


def _load(token: str) -> _Snapshot:
    snap = _Snapshot(token)
    snap.items = {item.pk: item for item in ServiceItem.objects.active()}
    rules: dict[int, list[RoutingRule]] = defaultdict(list)
    for rule in (
        RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit").order_by("pk")
    ):
        rules[rule.service_item_id].append(rule)
    snap.rules = dict(rules)
    units: dict[str, dict[str, list[Unit]]] = defaultdict(lambda: defaultdict(list))
    for unit in Unit.objects.active().order_by("pk"):
        units[unit.kind][unit.region_id].append(unit)
    snap.units = {kind: dict(by_region) for kind, by_region in units.items()}
    return snap


def _get() -> _Snapshot:
    global _snapshot
    token = TOKEN.current()
    snap = _snapshot
    if snap is not None and snap.token == token:
        return snap
    # Loaded with the token read before the rows: a change committed meanwhile has put a newer token, which the
    # next look-up sees.
    snap = _load(token)
    with _lock:
        _snapshot = snap
    return snap


def service_item(pk: Any) -> ServiceItem | None:
    """The active service item ``pk`` (a copy), or None when there is none or it is not active."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    if not enabled():
        return ServiceItem.objects.active().filter(pk=key).first()
    item = _get().items.get(key)
    return copy.copy(item) if item is not None else None


def routing_rules(item_id: int, region_codes: list[str]) -> list[RoutingRule] | None:
    """Active rules of ``item_id`` (with an active unit, attached) for any of ``region_codes``, as copies; None
    when the cache is disabled (the caller queries)."""
    if not enabled():
        return None
    wanted = set(region_codes)
    found = []
    for rule in _get().rules.get(item_id, ()):
        if rule.region_id in wanted:
            mine = copy.copy(rule)
            mine.unit = copy.copy(rule.unit)  # a model's copy shares its related objects: the unit too
            found.append(mine)
    return found


def active_units(kind: str, region_codes: list[str]) -> list[Unit] | None:
    """Active units of ``kind`` in any of ``region_codes``, by pk, as copies; None when the cache is disabled."""
    if not enabled():
        return None
    by_region = _get().units.get(kind, {})
    found = [u for code in region_codes for u in by_region.get(code, ())]
    return [copy.copy(u) for u in sorted(found, key=lambda u: u.pk)]


def bump() -> None:
    """A service item, routing rule or unit changed: every process reloads at its next look-up."""
    TOKEN.bump()


def forget() -> None:
    """Drop this process's copy (tests)."""
    global _snapshot
    with _lock:
        _snapshot = None


def connect() -> None:
    """Called by the catalog app's ready(): writes through the models (actions, the admin) bump the token. The
    code writes these models only through save() and delete() (no queryset update of their fields)."""
    TOKEN.connect(ServiceItem, RoutingRule, Unit)
