"""Forms of the staff console's directory: list filters and the inputs of the actions in actions.py.

Forms validate what a user typed; the actions enforce scope, capability and business rules. Querysets of
choice fields are always narrowed to what the acting user may see or manage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.lib.formfields import model_choice_field
from fawang.lib.validators import normalize_mobile, validate_mobile
from fawang.regions.models import Region

from .actions import ADVISOR_KINDS, GRANTABLE_ROLES
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

ANY = [("", _("全部"))]


def _label(model: type[Any], field: str) -> Any:
    # Kept lazy: a str() here would fix the label in whatever language was active at import.
    return model._meta.get_field(field).verbose_name


# --- list filters (GET) -----------------------------------------------------------------------------------


class UnitFilterForm(forms.Form):
    LEVELS = [
        ("2", _("市级")),
        ("3", _("县（区）级")),
        ("4", _("乡镇（街道）级")),
        ("5", _("村（社区）级")),
    ]

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("名称或地址")})
    )
    kind = forms.ChoiceField(
        label=_label(Unit, "kind"), required=False, choices=ANY + list(Unit.Kind.choices)
    )
    level = forms.ChoiceField(label=_("层级"), required=False, choices=ANY + LEVELS)
    function = forms.ModelChoiceField(
        label=_label(Unit, "functions"),
        required=False,
        queryset=Function.objects.all(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    region = forms.CharField(
        label=_("区划代码"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 12}),
    )

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if code and (not code.isdigit() or len(code) not in (2, 4, 6, 9, 12)):
            raise forms.ValidationError(_("区划代码应为 2、4、6、9 或 12 位数字。"))
        return code


class PractitionerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("姓名或执业证号")})
    )
    kind = forms.ChoiceField(
        label=_label(Practitioner, "kind"), required=False, choices=ANY + list(Practitioner.Kind.choices)
    )
    status = forms.ChoiceField(
        label=_label(Practitioner, "licence_status"),
        required=False,
        choices=ANY + list(Practitioner.LicenceStatus.choices),
    )
    speciality = forms.ModelChoiceField(
        label=_label(Practitioner, "specialities"),
        required=False,
        queryset=Speciality.objects.all(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    unit = forms.ModelChoiceField(
        label=_label(Practitioner, "unit"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("全部"),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            model_choice_field(self, "unit").queryset = units


class StaffFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("用户名或姓名")})
    )
    role = forms.ChoiceField(
        label=_label(Membership, "role"), required=False, choices=ANY + list(Membership.Role.choices)
    )
    unit = forms.ModelChoiceField(
        label=_label(Membership, "unit"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("全部"),
    )
    inactive = forms.BooleanField(label=_("含已停用、已撤销的任职"), required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            model_choice_field(self, "unit").queryset = units


class AdvisorFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("乡镇（街道）名称")})
    )
    county = forms.ModelChoiceField(
        label=_("县（区）"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    uncovered = forms.BooleanField(label=_("只看未配备法律顾问的"), required=False)

    def __init__(self, *args: Any, counties: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if counties is not None:
            model_choice_field(self, "county").queryset = counties


# --- action inputs (POST) ---------------------------------------------------------------------------------


class UnitEditForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["address", "phone", "opening_hours", "description", "functions", "require_2fa"]
        widgets = {
            "functions": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_phone(self) -> str:
        # Staff type numbers with spaces; the validator on the model field has already run on the raw value.
        return "".join(self.cleaned_data["phone"].split())


class WindowForm(forms.Form):
    number = forms.IntegerField(label=_label(Window, "number"), min_value=1, max_value=999)
    kind = forms.ChoiceField(label=_label(Window, "kind"), choices=Window.Kind.choices)
    name = forms.CharField(label=_label(Window, "name"), max_length=40, required=False)


class CreditRecordForm(forms.ModelForm):
    class Meta:
        model = CreditRecord
        fields = ["kind", "title", "authority", "decided_on", "detail", "is_public"]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "detail": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_decided_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("决定日期不能晚于今天。"))
        return value


class AppointAdvisorForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label=_("法律顾问"),
        queryset=Practitioner.objects.none(),
        help_text=_("只列出您可见范围内正常执业的律师和基层法律服务工作者。"),
    )
    started_on = forms.DateField(
        label=_label(AdvisorAssignment, "started_on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    schedule = forms.CharField(
        label=_label(AdvisorAssignment, "service_schedule"),
        max_length=80,
        required=False,
        help_text=AdvisorAssignment._meta.get_field("service_schedule").help_text,
    )

    def __init__(self, *args: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "practitioner").queryset = practitioners.filter(
            kind__in=ADVISOR_KINDS, licence_status=Practitioner.LicenceStatus.PRACTISING
        ).select_related("unit")
        self.fields["practitioner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.name} · {p.unit.name if p.unit else ''}（{p.licence_no}）"
        )


def _role_choices() -> list[tuple[str, str]]:
    return [(str(r.value), str(r.label)) for r in GRANTABLE_ROLES]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class GrantRoleForm(forms.Form):
    unit = UnitChoiceField(label=_label(Membership, "unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_label(Membership, "role"), choices=_role_choices)
    title = forms.CharField(label=_label(Membership, "title"), max_length=32, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units


class StaffCreateForm(GrantRoleForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用，建议使用拼音或工号；只能包含字母、数字和 @/./+/-/_。"),
    )
    display_name = forms.CharField(label=_("姓名"), max_length=32)
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, required=False, help_text=_("11 位手机号码，可不填。")
    )
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，不能过于常见或全为数字。创建后仅显示一次，请当面交给本人并提醒其尽快修改。"),
    )

    field_order = ["unit", "role", "title", "username", "display_name", "phone", "password"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名“%(username)s”已被使用。") % {"username": username})
        return username

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        if phone:
            validate_mobile(phone)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            probe = User(
                username=data.get("username", ""),
                display_name=data.get("display_name", ""),
                phone=data.get("phone", ""),
            )
            try:
                validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", [_chinese_password_error(e) for e in error.error_list])
        return data


def _chinese_password_error(error: forms.ValidationError) -> forms.ValidationError:
    # Django's zh-hans catalogue lacks the plural form of the minimum-length message, so it would show in
    # English; say it in Chinese here. The other validators' messages are translated by Django.
    if error.code == "password_too_short":
        params = error.params or {}
        return forms.ValidationError(
            _("密码太短，至少需要 %(min_length)d 个字符。"),
            code=error.code,
            params={"min_length": params.get("min_length", 10)},
        )
    return error
