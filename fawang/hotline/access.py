"""One door per model: the same 404 whether a row does not exist or lies at a unit the user does not reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from .models import Call, CallbackTask

if TYPE_CHECKING:
    from fawang.accounts.models import User


def get_call_for_user(user: User, pk: int) -> Call:
    return get_object_or_404(Call.objects.visible_to(user).select_related("unit", "agent"), pk=pk)


def get_callback_for_user(user: User, pk: int) -> CallbackTask:
    return get_object_or_404(
        CallbackTask.objects.visible_to(user).select_related("unit", "call", "assigned_to"), pk=pk
    )
