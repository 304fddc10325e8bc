"""The audit trail in the Django admin: read-only, like the access log (rows are only ever added)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent

SHOWN = (
    "created_at",
    "actor",
    "actor_name",
    "action",
    "label",
    "target_type",
    "target_id",
    "target_name",
    "unit",
    "person",
    "region",
    "before",
    "after",
    "ip",
    "note",
)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["created_at", "actor_name", "label", "target_name", "unit", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_name"]
    date_hierarchy = "created_at"
    list_select_related = ["unit"]
    fields = SHOWN
    readonly_fields = SHOWN

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
