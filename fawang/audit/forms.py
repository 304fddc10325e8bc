"""The console's filter of the audit trail (操作记录)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fawang.lib.formfields import choice_field

from . import codes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    # A unit is chosen from its page (“查看全部记录”), so it travels as an id.
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    person = forms.CharField(
        label=_("人员"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": _("用户名")}),
        help_text=_("操作人或所涉人员的用户名。"),
    )
    action = forms.ChoiceField(label=_("操作"), required=False)
    q = forms.CharField(
        label=_("对象"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("对象名称")}),
    )
    date_from = forms.DateField(label=_("日期起"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("日期止"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per request, in the user's language.
        choice_field(self, "action").choices = [("", _("全部")), *codes.choices()]

    def clean_person(self) -> str:
        return self.cleaned_data["person"].strip()

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data
