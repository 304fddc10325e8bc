"""Admins edit the catalogue here: items, their materials and guide text, and routing rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Channel, Material, RegionalBasis, RoutingRule, ServiceItem


class ServiceItemForm(forms.ModelForm):
    # Check boxes instead of raw JSON: the stored value stays a list of channel codes.
    channels = forms.MultipleChoiceField(
        label=_("受理渠道"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ServiceItem
        fields = ["channels"]  # the admin adds the fieldsets' fields

    def clean_channels(self) -> list[str]:
        chosen = self.cleaned_data.get("channels") or []
        return [c for c in Channel.values if c in chosen]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


class RegionalBasisInline(admin.TabularInline):
    model = RegionalBasis
    extra = 0


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    raw_id_fields = ["region", "unit"]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ServiceItemForm
    list_display = [
        "name",
        "code",
        "business_line",
        "unit_kind",
        "unit_level",
        "limits",
        "is_active",
        "order",
    ]
    list_filter = ["business_line", "unit_kind", "is_active", "requires_id_number"]
    search_fields = ["name", "code", "summary"]
    inlines = [MaterialInline, RegionalBasisInline, RoutingRuleInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "business_line", "summary", "is_active", "order"]}),
        (_("办理机构"), {"fields": ["unit_kind", "unit_level", "handled_at_intake"]}),
        (
            _("办理时限"),
            {
                "fields": [
                    ("accept_limit", "accept_limit_unit", "accept_basis"),
                    ("assign_limit", "assign_limit_unit", "assign_basis"),
                    ("complete_limit", "complete_limit_unit", "complete_basis"),
                    "supply_limit_workdays",
                    "warn_share",
                ]
            },
        ),
        (_("受理"), {"fields": ["channels", "requires_id_number"]}),
        (_("办事指南"), {"fields": ["guide_conditions", "guide_procedure", "guide_fees", "legal_basis"]}),
    ]

    @admin.display(description=_("时限"))
    def limits(self, obj: ServiceItem) -> str:
        parts = [
            f"{label}{obj.limit_display(step)}"
            for step, label in (("accept", "受理"), ("assign", "指派"), ("complete", "办结"))
            if obj.limit(step)
        ]
        return "；".join(parts) or "—"


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["service_item", "region", "unit", "priority", "is_active"]
    list_filter = ["service_item", "is_active"]
    search_fields = ["region__full_name", "unit__name"]
    raw_id_fields = ["region", "unit"]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("service_item", "region", "unit")
