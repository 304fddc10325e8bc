"""Admin: read-mostly views of matters and their history. State changes go through the actions (the console),
so the admin shows the workflow fields read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    AccessLog,
    Attachment,
    Callback,
    Complaint,
    Evaluation,
    Matter,
    MatterEvent,
    Person,
    Rectification,
)

EVENT_FIELDS = (
    "created_at",
    "action",
    "actor",
    "old_status",
    "new_status",
    "new_unit",
    "note",
    "visible_to_person",
)


class MatterEventInline(admin.TabularInline):
    model = MatterEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["tracking_no", "service_item", "status", "unit", "channel", "submitted_at", "due_at"]
    list_filter = ["status", "channel", "service_item"]
    search_fields = ["tracking_no"]
    date_hierarchy = "submitted_at"
    raw_id_fields = [
        "person",
        "region",
        "unit",
        "intake_unit",
        "handler",
        "first_responder",
        "parent",
        "submitted_by",
        "escalated_to",
    ]
    inlines = [MatterEventInline]
    readonly_fields = [
        "tracking_no",
        "status",
        "step",
        "step_started_at",
        "due_at",
        "warn_at",
        "clock_paused_at",
        "paused_total",
        "resume_status",
        "materials_due_at",
        "warned_at",
        "escalated_at",
        "escalated_to",
        "accepted_at",
        "completed_at",
        "closed_at",
        "rating_invited_at",
        "sampled_at",
        "idempotency_key",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("service_item", "unit")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    # The list never shows full personal data; the change form is for administrators only.
    list_display = ["name", "shown_phone", "shown_id_number", "created_at"]
    search_fields = ["name"]
    raw_id_fields = ["user"]

    @admin.display(description=_("联系电话（部分隐藏）"))
    def shown_phone(self, obj: Person) -> str:
        return obj.phone_masked

    @admin.display(description=_("身份证号码（部分隐藏）"))
    def shown_id_number(self, obj: Person) -> str:
        return obj.id_number_masked


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["matter", "level", "created_at"]
    list_filter = ["level"]
    raw_id_fields = ["matter", "person", "recorded_by"]


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["matter", "reason", "unit", "due_at", "done_at", "satisfied"]
    list_filter = ["reason"]
    raw_id_fields = ["matter", "unit", "assigned_to", "done_by"]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["matter", "unit", "due_at", "done_at"]
    raw_id_fields = ["matter", "evaluation", "unit", "done_by"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["matter", "about_matter", "about_unit", "about_staff"]
    raw_id_fields = ["matter", "about_matter", "about_unit", "about_staff"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "matter", "content_type", "size", "created_at"]
    raw_id_fields = ["matter", "material", "uploaded_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "person", "matter", "fields", "purpose", "ip"]
    search_fields = ["username"]
    readonly_fields = ["user", "username", "person", "matter", "purpose", "fields", "ip", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
