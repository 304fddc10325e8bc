from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import NotifyingPartner


@admin.register(NotifyingPartner)
class NotifyingPartnerAdmin(admin.ModelAdmin):
    """Partners are registered with ``manage.py add_notifying_partner`` (the secret is shown once there)."""

    list_display = ("name", "kind", "centre", "key_id", "is_active")
    list_filter = ("kind", "is_active")
    exclude = ("secret",)
    readonly_fields = ("name", "kind", "centre", "key_id", "is_active")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
