"""Admin views of the front desk: read-only. Schedules are kept in the console (so slots are derived and
bookings of a closed day are cancelled and told); appointments move only through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Appointment, AppointmentEvent, Schedule, ScheduleException, Slot, WeeklyRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RuleInline(admin.TabularInline):
    model = WeeklyRule
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ExceptionInline(RuleInline):
    model = ScheduleException  # type: ignore[assignment]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = [
        "unit",
        "name",
        "window",
        "slot_minutes",
        "capacity",
        "days_ahead",
        "is_active",
        "derived_through",
    ]
    list_filter = ["is_active"]
    search_fields = ["unit__name", "name"]
    inlines = [RuleInline, ExceptionInline]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "starts_at", "ends_at", "capacity", "booked", "is_open"]
    list_filter = ["is_open"]
    date_hierarchy = "date"
    list_select_related = ["schedule__unit"]


class EventInline(admin.TabularInline):
    model = AppointmentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "old_status", "new_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "service_item", "status", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["number"]
    # The name and phone are personal data: not listed, and the visitor's ID number is not shown at all here.
    exclude = ["user", "name", "phone", "idempotency_key"]
    raw_id_fields = ["unit", "slot", "matter"]
    inlines = [EventInline]
