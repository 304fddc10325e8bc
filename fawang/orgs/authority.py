"""Authority by unit (docs/authority.md): what a membership reaches, and what a role may do there.

The role of a membership decides *what* a staff member may do; the kind of its unit and the unit's place in
the tree of units (``Unit.parent``, kept as ``Unit.tree_path``) decide *where*:

- a 司法局 reaches every unit whose region lies in the bureau's region subtree, and the matters of that subtree;
- a service unit (中心、工作站、工作室、法律援助中心、人民调解委员会、司法所) reaches itself and the units under it;
- an institution (律师事务所、公证处、司法鉴定机构、基层法律服务所、监狱、外部热线) reaches itself only;
- a 系统管理员 reaches everything.

The region of a unit is never, by itself, a grant. Lists filter with the ``Q`` objects built here (one query
each, whatever the number of memberships); single objects are checked with ``reaches``/``has_capability``.
Managing a unit and its staff, and recording credit, are narrower (``may_manage_unit``, ``may_record_credit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from fawang.lib import codes

from .scoping import active_memberships

if TYPE_CHECKING:
    from .models import Membership, Unit

BUREAU_KINDS = frozenset({"bureau"})
SERVICE_UNIT_KINDS = frozenset({"centre", "station", "room", "legal_aid", "mediation", "judicial_office"})
INSTITUTION_KINDS = frozenset({"law_firm", "notary", "appraisal", "grassroots", "prison", "hotline"})

SYSTEM_ADMIN = "system_admin"
# Capabilities that manage a unit itself and its staff: the admin's own unit, or (for a 司法局) the units reached.
MANAGE_CAPABILITIES = frozenset({"orgs.edit_unit", "orgs.manage_staff", "frontdesk.manage_schedule"})
CREDIT_CAPABILITY = "orgs.manage_credit"


def _empty() -> Q:
    return Q(pk__in=[])


@dataclass(frozen=True)
class Reach:
    """The units (and regions) some memberships reach: everything, bureaus' region subtrees, service units'
    tree paths, institutions' own ids."""

    everything: bool = False
    region_prefixes: tuple[str, ...] = ()
    tree_paths: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_prefixes or self.tree_paths or self.unit_ids)

    def units_q(self, prefix: str = "") -> Q:
        """Q on a Unit (``prefix`` "" ) or on a relation to one (``prefix`` "unit__") for the units reached."""
        if self.everything:
            return Q()
        q = _empty()
        for code in codes.minimal_prefixes(self.region_prefixes):
            q |= codes.under(f"{prefix}region_id", code)
        for path in self.tree_paths:
            q |= codes.under(f"{prefix}tree_path", path)
        if self.unit_ids:
            q |= Q(**{f"{prefix}pk__in": sorted(self.unit_ids)})
        return q

    def unit_ids_q(self, field: str) -> Q:
        """Q on a foreign key ``field`` to Unit: one subquery over the units reached (an indexed ``IN``)."""
        from .models import Unit

        if self.everything:
            return Q()
        if self.is_empty:
            return _empty()
        if not (self.region_prefixes or self.tree_paths):
            return Q(**{f"{field}__in": sorted(self.unit_ids)})
        return Q(**{f"{field}__in": Unit.objects.filter(self.units_q()).values("pk")})

    def regions_q(self, field: str) -> Q:
        """Q on a region code ``field`` for the regions reached: bureaus' subtrees, and the region of each
        other unit reached (exactly, not its subtree)."""
        from .models import Unit

        if self.everything:
            return Q()
        q = codes.under_any(field, self.region_prefixes)
        if self.tree_paths or self.unit_ids:
            others = Reach(tree_paths=self.tree_paths, unit_ids=self.unit_ids)
            q |= Q(**{f"{field}__in": Unit.objects.filter(others.units_q()).values("region_id")})
        return q


def group_of(kind: str) -> str:
    if kind in BUREAU_KINDS:
        return "bureau"
    if kind in SERVICE_UNIT_KINDS:
        return "service"
    return "institution"


def membership_reach(m: Membership) -> Reach:
    if m.role == SYSTEM_ADMIN:
        return Reach(everything=True)
    unit = m.unit
    group = group_of(unit.kind)
    if group == "bureau":
        return Reach(region_prefixes=(unit.region_id,))
    if group == "service" and unit.tree_path:
        return Reach(tree_paths=(unit.tree_path,))
    return Reach(unit_ids=(unit.pk,))


def _union(reaches: list[Reach]) -> Reach:
    if any(r.everything for r in reaches):
        return Reach(everything=True)
    paths = sorted({p for r in reaches for p in r.tree_paths})
    # A path under another one adds nothing.
    kept = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    return Reach(
        region_prefixes=tuple(codes.minimal_prefixes(p for r in reaches for p in r.region_prefixes)),
        tree_paths=tuple(kept),
        unit_ids=tuple(sorted({u for r in reaches for u in r.unit_ids})),
    )


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def reach_of(user: Any) -> Reach:
    """Everything the user's active memberships reach together; cached on the user object (one request)."""
    if not _active(user):
        return Reach()
    cached = getattr(user, "_reach", None)
    if cached is None:
        if user.is_superuser:
            cached = Reach(everything=True)
        else:
            cached = _union([membership_reach(m) for m in active_memberships(user)])
        user._reach = cached
    return cached


def reaches_everything(user: Any) -> bool:
    return reach_of(user).everything


# --- filters for lists (one query each) -------------------------------------------------------------------


def units_filter(user: Any, prefix: str = "") -> Q:
    """Q on Unit (or, with ``prefix`` like "unit__", a model related to one) for the units the user reaches."""
    return reach_of(user).units_q(prefix)


def unit_ids_filter(user: Any, field: str = "unit") -> Q:
    """Q on a foreign key to Unit for rows at units the user reaches (a subquery, no join)."""
    return reach_of(user).unit_ids_q(field)


def regions_filter(user: Any, field: str) -> Q:
    """Q on a region code column for the regions the user reaches (region-keyed pages)."""
    if not _active(user):
        return _empty()
    return reach_of(user).regions_q(field)


def bureau_regions_filter(user: Any, field: str) -> Q:
    """Q on a region code column for the regions the user's 司法局 memberships supervise (their subtrees): the
    rule for region-keyed rows about no unit's matter (an outbox message about nothing in particular). A
    service unit or an institution reaches nothing by region here."""
    if not _active(user):
        return _empty()
    reach = reach_of(user)
    if reach.everything:
        return Q()
    return codes.under_any(field, reach.region_prefixes)


def matters_filter(user: Any) -> Q:
    """Q on Matter for what a staff user sees: matters of a bureau's region subtree, matters whose current
    unit is reached, and matters the user handles or took in."""
    if not _active(user):
        return _empty()
    reach = reach_of(user)
    if reach.everything:
        return Q()
    return (
        codes.under_any("region_id", reach.region_prefixes)
        | reach.unit_ids_q("unit_id")
        | Q(handler=user)
        | Q(first_responder=user)
    )


def routing_filter(user: Any) -> Q:
    """Q on Unit for where the user may send a matter (转办, or naming the unit at intake): any unit in the region
    subtrees of the user's units. Sending a matter away grants nothing over the unit it goes to."""
    if not _active(user):
        return _empty()
    if reaches_everything(user):
        return Q()
    return codes.under_any("region_id", (m.unit.region_id for m in active_memberships(user)))


def region_roots(user: Any) -> list[str] | None:
    """Where region pickers and the region tree start: ``None`` for everything, else the minimal codes of the
    bureaus' regions and of the user's other units' regions."""
    if reaches_everything(user):
        return None
    return codes.minimal_prefixes(m.unit.region_id for m in active_memberships(user))


# --- single objects ---------------------------------------------------------------------------------------


def membership_reaches(m: Membership, unit: Unit) -> bool:
    """Whether membership ``m`` reaches ``unit`` (a saved unit)."""
    if m.role == SYSTEM_ADMIN:
        return True
    own = m.unit
    group = group_of(own.kind)
    if group == "bureau":
        return unit.region_id.startswith(own.region_id)
    if group == "service" and own.tree_path:
        return unit.pk == own.pk or bool(unit.tree_path and unit.tree_path.startswith(own.tree_path))
    return unit.pk == own.pk


def membership_reaches_region(m: Membership, code: str) -> bool:
    """Whether membership ``m`` reaches region ``code`` (a bureau: its subtree; another unit: the exact
    regions of the units it reaches)."""
    if m.role == SYSTEM_ADMIN:
        return True
    own = m.unit
    if group_of(own.kind) == "bureau":
        return code.startswith(own.region_id)
    if code == own.region_id:
        return True
    if group_of(own.kind) == "service" and own.tree_path:
        from .models import Unit

        return Unit.objects.filter(codes.under("tree_path", own.tree_path), region_id=code).exists()
    return False


def reaches(user: Any, unit: Unit) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(membership_reaches(m, unit) for m in active_memberships(user))


def _may(m: Membership, capability: str, unit: Unit | None) -> bool:
    """Whether membership ``m`` (whose role grants ``capability``) may use it over ``unit`` (or anywhere)."""
    if m.role == SYSTEM_ADMIN:
        return True
    bureau = group_of(m.unit.kind) == "bureau"
    if capability == CREDIT_CAPABILITY:
        # Credit records are decisions of the 司法局 covering the holder, never on one's own unit.
        if not bureau:
            return False
        return unit is None or (unit.pk != m.unit_id and membership_reaches(m, unit))
    if unit is None:
        return True
    if capability in MANAGE_CAPABILITIES:
        return unit.pk == m.unit_id or (bureau and membership_reaches(m, unit))
    return membership_reaches(m, unit)


def has_capability(user: Any, capability: str, unit: Unit | None = None) -> bool:
    """True when one of the user's memberships has a role granting ``capability`` and, if ``unit`` is given,
    may use it there (docs/authority.md "What a role may do, and where")."""
    from .roles import CAPABILITIES

    if not _active(user):
        return False
    if user.is_superuser:
        return True
    roles = CAPABILITIES[capability]
    return any(m.role in roles and _may(m, capability, unit) for m in active_memberships(user))


# The front desk's capabilities: the unit that took a matter in (受理点) keeps taking its materials and messages,
# may route it on and may look at the identity it recorded, wherever the matter now sits.
FRONT_DESK_CAPABILITIES = frozenset(
    {"matters.intake", "matters.comment", "matters.transfer", "matters.view_personal_data"}
)


def has_matter_capability(user: Any, capability: str, unit: Unit | None, intake_unit: Unit | None) -> bool:
    """``has_capability`` over a matter: over its current unit (办理机构), or, for the front desk's capabilities,
    over the unit that took it in (受理点)."""
    if has_capability(user, capability, unit):
        return True
    return (
        capability in FRONT_DESK_CAPABILITIES
        and intake_unit is not None
        and has_capability(user, capability, intake_unit)
    )


def has_capability_in_region(user: Any, capability: str, code: str) -> bool:
    """``has_capability`` for region-keyed work (appointing a village's legal advisor, the outbox): a
    membership whose role grants it and which reaches region ``code``."""
    from .roles import CAPABILITIES

    if not _active(user):
        return False
    if user.is_superuser:
        return True
    roles = CAPABILITIES[capability]
    return any(m.role in roles and membership_reaches_region(m, code) for m in active_memberships(user))


def may_manage_unit(user: Any, unit: Unit) -> bool:
    """Edit the unit and manage its staff: its own admin, or an admin of a 司法局 reaching it."""
    return has_capability(user, "orgs.manage_staff", unit)


def may_grant(user: Any, unit: Unit, role: str, staff_id: int | None) -> bool:
    """Grant ``role`` at ``unit`` to the staff user ``staff_id``: only who manages the unit, 系统管理员 only by a
    系统管理员, and never to oneself."""
    if staff_id is not None and staff_id == getattr(user, "pk", None):
        return False
    if role == SYSTEM_ADMIN and not reaches_everything(user):
        return False
    return may_manage_unit(user, unit)


def may_change_membership(user: Any, membership: Membership) -> bool:
    """Pause, resume, revoke or retitle ``membership``: who manages its unit, never on one's own."""
    if membership.user_id == getattr(user, "pk", None):
        return False
    return may_manage_unit(user, membership.unit)


def may_record_credit(user: Any, unit: Unit | None) -> bool:
    return has_capability(user, CREDIT_CAPABILITY, unit)


def managed_units_filter(user: Any) -> Q:
    """Q on Unit for the units whose staff ``user`` may manage (for the grant form's choices)."""
    from .roles import CAPABILITIES

    if not _active(user):
        return _empty()
    roles = CAPABILITIES["orgs.manage_staff"]
    reaches_: list[Reach] = []
    for m in active_memberships(user):
        if m.role not in roles:
            continue
        if m.role == SYSTEM_ADMIN:
            return Q()
        if group_of(m.unit.kind) == "bureau":
            reaches_.append(Reach(region_prefixes=(m.unit.region_id,)))
        else:
            reaches_.append(Reach(unit_ids=(m.unit_id,)))
    if user.is_superuser:
        return Q()
    return _union(reaches_).units_q() if reaches_ else _empty()
