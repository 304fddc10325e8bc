"""Who sees a message in the console outbox (docs/authority.md): a message about something follows that thing.

An app whose objects messages are about registers them here (``register(Matter, visible=..., unit_of=...)``, from
its AppConfig.ready): a message about such an object is seen by staff who see the object, and a capability over
it (retrying a dead message) applies where the object's unit is reached. A message about nothing registered (a
sign-in code, a test message) stays with the 司法局 of its region (``authority.bureau_regions_filter``); one with
no region only with system-wide staff. The outbox never follows the region of a law firm, a notary office or any
other non-bureau unit: a firm in 思明区 does not read 思明区's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from fawang.orgs.authority import bureau_regions_filter, has_capability, has_capability_in_region

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.orgs.models import Unit


@dataclass(frozen=True)
class Scope:
    model: type[models.Model]
    visible: Callable[[Any], models.QuerySet[Any]]  # the objects of ``model`` the user sees
    unit_of: Callable[[Any], Unit | None]  # the unit whose reach decides capabilities over a message about it


SCOPES: dict[str, Scope] = {}


def register(
    model: type[models.Model],
    *,
    visible: Callable[[Any], models.QuerySet[Any]],
    unit_of: Callable[[Any], Unit | None],
) -> None:
    SCOPES[model._meta.label_lower] = Scope(model, visible, unit_of)


def messages_filter(user: User) -> Q:
    """Q on Message for what ``user`` sees in the outbox: one subquery per registered kind of object."""
    scoped = [(ContentType.objects.get_for_model(s.model), s) for s in SCOPES.values()]
    about_nothing = Q(related_type__isnull=True) | ~Q(related_type__in=[ct.pk for ct, _s in scoped])
    q = about_nothing & bureau_regions_filter(user, "region_code")
    for ct, scope in scoped:
        ids = scope.visible(user).annotate(_key=Cast("pk", models.CharField())).values("_key")
        q |= Q(related_type=ct.pk, related_id__in=ids)
    return q


def scope_of(message: Any) -> Scope | None:
    if message.related_type_id is None:
        return None
    ct = ContentType.objects.get_for_id(message.related_type_id)
    return SCOPES.get(f"{ct.app_label}.{ct.model}")


def may(user: User, capability: str, message: Any) -> bool:
    """``capability`` over ``message``: over the unit of the object it is about, else over its region."""
    scope = scope_of(message)
    if scope is not None:
        related = message.related
        return related is not None and has_capability(user, capability, scope.unit_of(related))
    if message.region_code:
        return has_capability_in_region(user, capability, message.region_code)
    return has_capability(user, capability)
