from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CitationForm(forms.Form):
    """按引文添加法律依据."""

    citation = forms.CharField(
        label=_("按引文添加法律依据"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("例如：《民法典》第一千零七十九条")}),
        error_messages={"required": _("请填写法律条文，例如：《民法典》第一千零七十九条。")},
    )
