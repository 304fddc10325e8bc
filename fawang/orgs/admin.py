"""Back office of units and staff roles. What the console does (windows, credit records, village advisors,
staff roles of one's units) is shown read-only here; what only the back office does (creating units, changing
what shapes scoping and routing, the system administrator role) goes through the same actions as the console
(fawang/orgs/actions.py), so every change writes its audit row. Nothing is deleted: units and roles end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.accounts.models import User
from fawang.lib.admin import ActionErrorsAsMessages

from . import actions
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


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WindowInline(ReadOnlyInline):
    """Windows are added and switched on or off on the unit's page in the console."""

    model = Window


class CreditRecordInline(ReadOnlyInline):
    """A practitioner's credit records (the holder is the practitioner, so no unit field); recorded in the
    console by the supervising 司法局."""

    model = CreditRecord
    exclude = ["unit"]


class UnitCreditRecordInline(CreditRecordInline):
    """A unit's own credit records."""

    exclude = ["practitioner"]


@admin.register(Unit)
class UnitAdmin(ActionErrorsAsMessages):
    list_display = ["name", "kind", "region", "phone", "is_active"]
    list_filter = ["kind", "is_active", "require_2fa"]
    search_fields = ["name", "region__full_name", "address"]
    raw_id_fields = ["region", "parent"]
    filter_horizontal = ["functions"]
    inlines = [WindowInline, UnitCreditRecordInline]
    fields = [
        "name",
        "short_name",
        "kind",
        "region",
        "parent",
        "address",
        "phone",
        "opening_hours",
        "hotline_number",
        "functions",
        "description",
        "is_active",
        "require_2fa",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Matters, staff and the audit trail refer to units: a unit that closes is switched off (启用).
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        names = form.changed_data if change else [f for f in self.fields if f in form.cleaned_data]
        fields = {name: form.cleaned_data[name] for name in names if name in actions.UNIT_BACK_OFFICE}
        unit = actions.save_unit(obj.pk if change else None, actor=_actor(request), **fields)
        # The admin goes on with ``obj`` (log entry, redirect): it becomes the saved row.
        obj.pk = unit.pk
        obj._state.adding = False
        obj._state.db = unit._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The functions were set by save_unit (and audited): no form.save_m2m(). The inlines are read-only, so
        # saving their formsets changes nothing (it gives the admin's change message its lists).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Window)
class WindowAdmin(ReadOnlyAdmin):
    list_display = ["unit", "number", "kind", "is_active"]
    list_filter = ["kind"]
    list_select_related = ["unit"]


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_basic", "order"]


@admin.register(Speciality)
class SpecialityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class MembershipAddForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "title"]


@admin.register(Membership)
class MembershipAdmin(ActionErrorsAsMessages):
    """Roles are granted here (the system administrator's included) through the same action as the console's,
    and ended or paused with the actions below; a membership itself is never edited or deleted."""

    list_display = ["user", "unit", "role", "is_active", "ended_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__display_name", "unit__name"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["user", "unit"]
    form = MembershipAddForm
    actions = ["revoke", "pause", "resume"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return ["user", "unit", "role", "title", "is_active", "created_at", "ended_at", "ended_by"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["user", "unit", "role", "title"]
        return ["user", "unit", "role", "title", "is_active", "created_at", "ended_at", "ended_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        membership = actions.grant_in_back_office(
            data["user"].pk, data["unit"].pk, data["role"], actor=_actor(request), title=data.get("title", "")
        )
        obj.pk = membership.pk
        obj._state.adding = False
        obj._state.db = membership._state.db

    def _each(self, request: HttpRequest, queryset: QuerySet[Membership], act: Any, done: str) -> None:
        count = 0
        for membership in queryset.order_by("pk"):
            try:
                act(membership)
            except (ValidationError, PermissionDenied) as error:
                text = "".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{membership}：{text}", messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("撤销所选任职（保留为历史）"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = _actor(request)
        self._each(
            request,
            queryset,
            lambda m: actions.revoke_in_back_office(m.pk, actor=actor),
            _("已撤销 %(count)d 项任职。"),
        )

    @admin.action(description=gettext_lazy("停用所选任职"))
    def pause(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = _actor(request)
        self._each(
            request,
            queryset,
            lambda m: actions.set_membership_active(m.pk, actor=actor, active=False),
            _("已停用 %(count)d 项任职。"),
        )

    @admin.action(description=gettext_lazy("恢复所选任职"))
    def resume(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = _actor(request)
        self._each(
            request,
            queryset,
            lambda m: actions.set_membership_active(m.pk, actor=actor, active=True),
            _("已恢复 %(count)d 项任职。"),
        )


@admin.register(Practitioner)
class PractitionerAdmin(ActionErrorsAsMessages):
    """The directory of practitioners is kept here, through ``save_practitioner`` (audited); their credit records
    are shown, and recorded in the console."""

    list_display = ["name", "kind", "licence_no", "licence_status", "unit", "is_public"]
    list_filter = ["kind", "licence_status", "is_public"]
    search_fields = ["name", "licence_no", "unit__name"]
    raw_id_fields = ["unit", "user"]
    filter_horizontal = ["specialities"]
    inlines = [CreditRecordInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Credit records and advisor appointments refer to them: a practitioner who stops is 停止执业 or 注销.
        return False

    def save_model(self, request: HttpRequest, obj: Practitioner, form: Any, change: bool) -> None:
        names = form.changed_data if change else list(form.cleaned_data)
        fields = {name: form.cleaned_data[name] for name in names if name in actions.PRACTITIONER_BACK_OFFICE}
        practitioner = actions.save_practitioner(obj.pk if change else None, actor=_actor(request), **fields)
        obj.pk = practitioner.pk
        obj._state.adding = False
        obj._state.db = practitioner._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The specialities were set by save_practitioner (audited); the credit records inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    """Recorded in the console by the supervising 司法局 (``record_credit``), and audited there."""

    list_display = ["title", "practitioner", "unit", "kind", "decided_on", "is_public"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["practitioner", "unit"]


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(ReadOnlyAdmin):
    """Appointed in the console (``appoint_advisor``), which ends the previous one in the same step."""

    list_display = ["region", "practitioner", "started_on", "ended_on"]
    search_fields = ["region__full_name", "practitioner__name"]
    list_select_related = ["region", "practitioner"]
