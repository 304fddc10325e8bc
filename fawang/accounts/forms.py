from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import recovery, totp
from .backends import is_locked, record_failure
from .models import User

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Kept identical for an unknown name, a wrong password, a public account and a disabled account, so the page
# never tells which user names exist.
INVALID_LOGIN = _("用户名或密码不正确。")


def locked_message() -> str:
    return str(
        _(
            "连续登录失败次数过多，该账号在当前网络已暂停登录（最长 %(minutes)d 分钟），"
            "请稍后再试或联系本单位管理员。"
        )
        % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
    )


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and password:
            user = authenticate(self.request, username=username, password=password)
            if user is not None and (
                not isinstance(user, User) or user.kind != User.Kind.STAFF or not user.is_active
            ):
                # The right password for an account that may not use the staff sign-in: counted and answered
                # exactly like a wrong one, so neither the message nor the lockout count gives it away.
                record_failure(username, self.request)
                user = None
            if user is None:
                if is_locked(username, self.request):
                    raise forms.ValidationError(locked_message(), code="locked")
                raise forms.ValidationError(INVALID_LOGIN, code="invalid_login")
            self.user = user
        return data


def _code_field(label: _StrPromise, help_text: _StrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "maxlength": "7",
                "size": "8",
            }
        ),
    )


def _clean_code(value: str) -> str:
    code = totp.normalize(value)
    if len(code) != totp.DIGITS or not code.isdigit():
        raise forms.ValidationError(_("请输入 6 位数字动态口令。"), code="format")
    return code


class CodeForm(forms.Form):
    """The second factor: the authenticator's 6-digit code, or one of the account's recovery codes."""

    code = _code_field(
        _("动态口令"),
        _("打开手机上的身份验证器，输入本账号当前显示的 6 位数字；手机丢失时可输入一个恢复码。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.widget.attrs.update({"autofocus": True, "inputmode": "text", "maxlength": "12"})
        field.widget.attrs.pop("pattern", None)

    def clean_code(self) -> str:
        value = self.cleaned_data["code"]
        if recovery.looks_like(value):
            return recovery.normalize(value)
        return _clean_code(value)


class BindForm(forms.Form):
    """Confirms a new authenticator; replacing a bound one also asks for a code from the old device."""

    code = _code_field(_("新验证器显示的动态口令"), _("扫码或手动添加后，输入验证器中显示的 6 位数字。"))
    current_code = _code_field(
        _("原验证器的动态口令"), _("更换设备前，请输入原来绑定的验证器当前显示的 6 位数字。")
    )

    def __init__(self, *args: Any, replacing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not replacing:
            del self.fields["current_code"]

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])

    def clean_current_code(self) -> str:
        return _clean_code(self.cleaned_data["current_code"])


class StaffPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password2"].label = _("再次输入新密码")
