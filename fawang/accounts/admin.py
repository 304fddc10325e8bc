from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from .actions import do_reset_totp
from .models import SignInThrottle, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "kind", "phone", "is_active", "last_login"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("法网", {"fields": ("kind", "display_name", "phone", "totp_confirmed_at", "password_changed_at")}),
    )
    readonly_fields = ["totp_confirmed_at", "password_changed_at"]
    actions = ["reset_totp"]

    @admin.action(description=gettext_lazy("重置动态口令（手机丢失或更换时）"))
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        for user in queryset:
            do_reset_totp(user.pk, actor=request.user)
        self.message_user(
            request,
            gettext("已重置 %(count)d 个账号的动态口令。") % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failure_at", "locked_until"]
    search_fields = ["username"]
