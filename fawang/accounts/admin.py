"""Back office of accounts. Creating an account, changing its profile, state or rights, setting its password
and resetting its second factor all go through fawang/accounts/actions.py, which writes the audit row; accounts
are disabled, never deleted (the audit trail and the matters refer to them).

A public account's phone number is its owner's personal data: masked in the list and on the page, and not
editable here (the owner changes it under /me/). A staff member's work phone is shown as on the console's
staff page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from fawang.lib.admin import ActionErrorsAsMessages
from fawang.lib.validators import mask_phone

from .actions import ACCOUNT_FIELDS, do_create_account, do_reset_totp, do_set_password, do_update_account
from .backends import do_unlock
from .models import SignInThrottle, User


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(User)
class UserAdmin(ActionErrorsAsMessages, BaseUserAdmin):
    list_display = ["username", "display_name", "kind", "phone_shown", "is_active", "last_login"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("个人信息"), {"fields": ("kind", "display_name", "phone", "email")}),
        (gettext_lazy("状态与权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (
            gettext_lazy("时间"),
            {"fields": ("last_login", "date_joined", "totp_confirmed_at", "password_changed_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["username", "last_login", "date_joined", "totp_confirmed_at", "password_changed_at"]
    actions = ["reset_totp"]

    @admin.display(description=gettext_lazy("手机号码"))
    def phone_shown(self, obj: User) -> str:
        return obj.phone if obj.kind == User.Kind.STAFF else mask_phone(obj.phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        if obj.kind != User.Kind.STAFF:
            return [*self.readonly_fields, "phone_shown"]
        return self.readonly_fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.kind == User.Kind.STAFF:
            return fieldsets
        # A public account: its phone masked and read-only.
        return tuple(
            (name, {**opts, "fields": tuple("phone_shown" if f == "phone" else f for f in opts["fields"])})
            for name, opts in fieldsets
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = _actor(request)
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name in ACCOUNT_FIELDS}
            do_update_account(obj.pk, actor=actor, **fields)
            return
        usable = form.cleaned_data.get("set_usable_password", True)
        user = do_create_account(
            actor=actor,
            username=form.cleaned_data["username"],
            password=form.cleaned_data.get("password1") if usable else None,
        )
        obj.pk = user.pk
        obj._state.adding = False
        obj._state.db = user._state.db

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Groups and Django permissions are not used (roles are memberships); nothing else to save.
        return None

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The admin's "set password" page, through ``do_set_password`` (audited). A GET, or a form with
        errors, is Django's own page."""
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            raise PermissionDenied
        form = self.change_password_form(user, request.POST)
        if not form.is_valid():
            return super().user_change_password(request, id, form_url)
        usable = form.cleaned_data.get("set_usable_password", True)
        if not usable and "unset-password" not in request.POST:
            return super().user_change_password(request, id, form_url)
        actor = _actor(request)
        user = do_set_password(user.pk, form.cleaned_data["password1"] if usable else None, actor=actor)
        self.log_change(request, user, gettext("修改了密码。"))
        messages.success(request, gettext("密码已修改。") if usable else gettext("已停用密码登录。"))
        if user.pk == actor.pk:
            update_session_auth_hash(request, user)
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))

    @admin.action(description=gettext_lazy("重置动态口令（手机丢失或更换时）"))
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = _actor(request)
        for user in queryset:
            do_reset_totp(user.pk, actor=actor)
        self.message_user(
            request,
            gettext("已重置 %(count)d 个账号的动态口令。") % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Failed sign-ins per name and address; a system administrator lifts a lock with the action below (audited
    through ``do_unlock``), never by editing or deleting rows."""

    list_display = ["username", "failures", "last_failure_at", "locked_until"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "last_failure_at", "locked_until"]
    actions = ["unlock"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("解除所选的登录锁定"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[SignInThrottle]) -> None:
        assert isinstance(request.user, User)
        for row in queryset:
            do_unlock(row.pk, actor=request.user)
        self.message_user(request, gettext("已解除所选的登录锁定。"), messages.SUCCESS)
