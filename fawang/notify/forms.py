from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fawang.lib.validators import normalize_mobile, validate_mobile

from .models import Message

ANY = [("", _("全部"))]


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + list(Message.Status.choices))
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=ANY + list(Message.Channel.choices))
    kind = forms.CharField(
        label=_("消息类型"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("例如 matter 或 otp.login")}),
        help_text=_("填写类型代码或其前缀。"),
    )
    phone = forms.CharField(
        label=_("手机号码"), required=False, max_length=20, help_text=_("输入完整的 11 位号码查找。")
    )
    date_from = forms.DateField(
        label=_("创建日期起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("创建日期止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        if phone:
            validate_mobile(phone)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data
