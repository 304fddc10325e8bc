"""One door per knowledge entry: staff reach entries written by units in their regions (the same 404 for
"missing" and "not yours"); the public reach published entries only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from fawang.orgs.roles import has_capability, require_capability

from .models import KnowledgeEntry

if TYPE_CHECKING:
    from fawang.accounts.models import User

WRITE = "knowledge.write"


def get_entry_for_user(user: User, pk: int) -> KnowledgeEntry:
    return get_object_or_404(
        KnowledgeEntry.objects.visible_to(user).select_related("unit", "region", "topic"), pk=pk
    )


def get_entry_for_editing(user: User, pk: int) -> KnowledgeEntry:
    """The row first (404 outside the regions), then the role over the entry's unit (403)."""
    entry = get_entry_for_user(user, pk)
    require_capability(user, WRITE, entry.unit)
    return entry


def can_edit(user: User, entry: KnowledgeEntry) -> bool:
    return has_capability(user, WRITE, entry.unit)


def get_published_entry(pk: int) -> KnowledgeEntry:
    return get_object_or_404(
        KnowledgeEntry.objects.published().select_related("unit", "region", "topic"), pk=pk
    )
