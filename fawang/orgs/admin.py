from django.contrib import admin

from .models import (
    AdvisorAssignment,
    CreditRecord,
    Function,
    Membership,
    Practitioner,
    Speciality,
    Unit,
    Window,
)


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


class CreditRecordInline(admin.TabularInline):
    """A practitioner's credit records (the holder is the practitioner, so no unit field)."""

    model = CreditRecord
    extra = 0
    exclude = ["unit"]
    raw_id_fields = ["recorded_by"]


class UnitCreditRecordInline(CreditRecordInline):
    """A unit's own credit records."""

    exclude = ["practitioner"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "phone", "is_active"]
    list_filter = ["kind", "is_active", "require_2fa"]
    search_fields = ["name", "region__full_name", "address"]
    raw_id_fields = ["region", "parent"]
    filter_horizontal = ["functions"]
    inlines = [WindowInline, UnitCreditRecordInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["unit", "number", "kind", "is_active"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_basic", "order"]


@admin.register(Speciality)
class SpecialityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__display_name", "unit__name"]
    raw_id_fields = ["user", "unit"]


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "licence_no", "licence_status", "unit", "is_public"]
    list_filter = ["kind", "licence_status", "is_public"]
    search_fields = ["name", "licence_no", "unit__name"]
    raw_id_fields = ["unit", "user"]
    filter_horizontal = ["specialities"]
    inlines = [CreditRecordInline]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    list_display = ["title", "practitioner", "unit", "kind", "decided_on", "is_public"]
    list_filter = ["kind", "is_public"]
    raw_id_fields = ["practitioner", "unit", "recorded_by"]


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["region", "practitioner", "started_on", "ended_on"]
    search_fields = ["region__full_name", "practitioner__name"]
    raw_id_fields = ["region", "practitioner", "room"]
