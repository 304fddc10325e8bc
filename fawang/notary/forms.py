"""The notary office's forms on the matter page: 材料预审 (tick what is still missing) and 预约办理."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PreReviewForm(forms.Form):
    missing = forms.MultipleChoiceField(
        label=_("尚缺材料"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选申请人尚未提交或不符合要求的材料；都不勾选表示材料齐全。"),
    )
    other = forms.CharField(
        label=_("其他尚缺材料"), required=False, max_length=200, help_text=_("清单以外的，用顿号分隔。")
    )
    note = forms.CharField(label=_("预审意见"), required=False, max_length=300, widget=forms.Textarea)

    def __init__(self, *args: Any, materials: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["missing"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, name) for name in materials]

    def missing_list(self) -> list[str]:
        others = self.cleaned_data["other"].replace("，", "、").replace(",", "、").split("、")
        return [*self.cleaned_data["missing"], *(w.strip() for w in others if w.strip())]


class BookForm(forms.Form):
    date = forms.DateField(label=_("预约日期"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("办理地点"), required=False, max_length=100, help_text=_("不填则为公证处地址。")
    )

    def at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))
