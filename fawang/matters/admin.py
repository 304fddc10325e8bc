"""Admin: read-only views of matters, their history and the people they serve. Every change goes through the
actions (the console and the API), which write the matter's events; nothing here edits, adds or deletes.

Personal data is masked here as in the console's lists. The full ID number and phone of a person show only on
the "查看完整信息" page, after a stated purpose, and each showing is written to the access log exactly like the
console's reveal (``reveal_person``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.lib.http import client_ip

from .actions import reveal_person
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed: the rows are written by the actions only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
class MatterAdmin(ReadOnlyAdmin):
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


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("查看事由"),
        max_length=200,
        help_text=_("将写入个人信息查看记录，例如：核实身份、处理投诉。"),
        error_messages={"required": _("请说明查看个人信息的事由。")},
    )


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    # Masked in the list and on the page; the full values only on the reveal page (access-logged).
    list_display = ["name", "phone_masked", "id_number_masked", "created_at"]
    search_fields = ["name"]
    fields = (
        "name",
        "id_number_masked",
        "phone_masked",
        "full_info",
        "special_groups",
        "address",
        "user",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("身份证号码"))
    def id_number_masked(self, obj: Person) -> str:
        return obj.id_number_masked

    @admin.display(description=_("联系电话"))
    def phone_masked(self, obj: Person) -> str:
        return obj.phone_masked

    @admin.display(description=_("完整信息"))
    def full_info(self, obj: Person) -> str:
        url = reverse("admin:matters_person_reveal", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看完整信息"))

    def get_urls(self) -> list[URLPattern]:
        reveal = path(
            "<int:person_id>/reveal/",
            self.admin_site.admin_view(self.reveal_view),
            name="matters_person_reveal",
        )
        return [reveal, *super().get_urls()]

    def reveal_view(self, request: HttpRequest, person_id: int) -> HttpResponse:
        """查看完整信息: a purpose is asked for, then the full ID number and phone are shown in the response to
        that POST only, after ``reveal_person`` has checked the role and written the access log."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        actor = request.user
        assert isinstance(actor, User)
        person = get_object_or_404(Person, pk=person_id)
        form = RevealForm(request.POST or None)
        revealed = None
        if request.method == "POST" and form.is_valid():
            revealed = reveal_person(
                person.pk,
                actor=actor,
                purpose=form.cleaned_data["purpose"],
                ip=client_ip(request),
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("查看完整信息"),
            "person": person,
            "form": form,
            "revealed": revealed,
        }
        # admin_view() marks the response never_cache (no-store): the full values are not kept by a browser.
        return TemplateResponse(request, "admin/matters/person/reveal.html", context)


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["matter", "level", "created_at"]
    list_filter = ["level"]
    raw_id_fields = ["matter", "person", "recorded_by"]


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ["matter", "reason", "unit", "due_at", "done_at", "satisfied"]
    list_filter = ["reason"]
    raw_id_fields = ["matter", "unit", "assigned_to", "done_by"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["matter", "unit", "due_at", "done_at"]
    raw_id_fields = ["matter", "evaluation", "unit", "done_by"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["matter", "about_matter", "about_unit", "about_staff"]
    raw_id_fields = ["matter", "about_matter", "about_unit", "about_staff"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "matter", "content_type", "size", "created_at"]
    # No link to the stored file: files are opened in the console, through the matter's access check.
    fields = [
        "matter",
        "material",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    ]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "username", "person", "matter", "fields", "purpose", "ip"]
    search_fields = ["username"]
    readonly_fields = ["user", "username", "person", "matter", "purpose", "fields", "ip", "created_at"]
