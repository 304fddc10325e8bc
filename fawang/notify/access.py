"""One door per view of a message: staff see messages of their regions, a person sees their own inbox.
Both give the same 404 for "missing" and "not yours"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from .models import Message

if TYPE_CHECKING:
    from fawang.accounts.models import User


def get_message_for_user(user: User, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.visible_to(user).select_related("user", "requeued_by", "related_type"), pk=pk
    )


def get_inbox_message_for_user(user: User, pk: int) -> Message:
    return get_object_or_404(Message.objects.inbox_of(user), pk=pk)


def unread_count(user: User) -> int:
    """For a badge beside the inbox link in the portal."""
    if not user.is_authenticated:
        return 0
    return Message.objects.inbox_of(user).filter(read_at__isnull=True).count()
