"""A staff user's active memberships, read once per request.

What they reach is decided in ``authority.py`` (docs/authority.md); every scoped queryset's ``visible_to(user)``
filters with its ``Q`` objects, and views fetch single rows through the access helpers in ``access.py``, which
give the same 404 for "missing" and "not yours".

The memberships (with their units and regions) are read on every signed-in request and change rarely, so each
process remembers them per user, tagged with a version token kept in the shared cache (settings.CACHES). Every
save or delete of a membership or a unit puts a new token there (at once, and again when the transaction
commits), so a revoked, paused or ended membership, or a stopped unit, counts from the next request on, in every
process: the next request finds its copy's token out of date and queries again. A token the shared cache lost
is a change too. The token is read once per request; the copy also expires after REFERENCE_CACHE_SECONDS (region
names), and is off where that is 0 (the tests, where each test rolls its rows back).
"""

from __future__ import annotations

import copy
import threading
import time
from typing import TYPE_CHECKING, Any

from fawang.lib import memo
from fawang.lib.versiontoken import VersionToken

if TYPE_CHECKING:
    from .models import Membership

VERSION_KEY = "orgs:memberships:version"
# How many users' memberships one process keeps at most (all of them are dropped when there are more).
MAX_USERS = 5_000

_lock = threading.Lock()
# user id -> (token, expiry on the monotonic clock, memberships with unit and region attached)
_copies: dict[int, tuple[str, float, list[Membership]]] = {}
TOKEN = VersionToken(VERSION_KEY)


def _query(user_id: int) -> list[Membership]:
    from .models import Membership

    return list(
        Membership.objects.active()
        .filter(user_id=user_id)
        .select_related("unit__region")
        .order_by("unit__region_id", "unit__name")
    )


def _copy(m: Membership) -> Membership:
    # A model's copy shares its related objects: the unit and its region are copied too, so nothing a request
    # does to them reaches another thread or the next request.
    mine = copy.copy(m)
    unit = copy.copy(m.unit)
    unit.region = copy.copy(m.unit.region)
    mine.unit = unit
    return mine


def _load(user_id: int) -> list[Membership]:
    ttl = memo.seconds()
    if ttl <= 0 or not user_id:
        return _query(user_id)
    token = TOKEN.current()
    found = _copies.get(user_id)
    now = time.monotonic()
    if found is None or found[0] != token or found[1] <= now:
        # Read with the token read before the rows: a change committed meanwhile has put a newer token, which
        # the next request sees.
        found = (token, now + ttl, _query(user_id))
        with _lock:
            if len(_copies) >= MAX_USERS:
                _copies.clear()
            _copies[user_id] = found
    return [_copy(m) for m in found[2]]


def active_memberships(user: Any) -> list[Membership]:
    """The user's active memberships with their units and regions, in the unit switcher's order: at most one
    query, cached on the user object (which lives as long as the request), from the process's copy while the
    version token has not changed. Scope, capabilities, "my units" and the console's unit switcher all read it."""
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = _load(getattr(user, "pk", None) or 0)
        user._active_memberships = cached
    return cached


def membership_rows(user: Any) -> list[tuple[str, int, str]]:
    """(role, unit id, unit region code) of the user's active memberships (``active_memberships``)."""
    cached = getattr(user, "_membership_rows", None)
    if cached is None:
        cached = [(m.role, m.unit_id, m.unit.region_id) for m in active_memberships(user)]
        user._membership_rows = cached
    return cached


def bump() -> None:
    """A membership or a unit changed: every process queries the memberships again at its next request."""
    TOKEN.bump()


def forget() -> None:
    """Drop this process's copies (tests)."""
    with _lock:
        _copies.clear()


def connect() -> None:
    """Called by the orgs app's ready(): saves and deletes of memberships and units bump the token. The code
    changes them only through save() and delete(), which send the signals (a unit's own save() bumps again
    after updating its descendants' tree paths in bulk)."""
    from .models import Membership, Unit

    TOKEN.connect(Membership, Unit)
