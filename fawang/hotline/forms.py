from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Call, CallbackTask


class SeatForm(forms.Form):
    extension = forms.CharField(label=_("分机号"), max_length=10)
    queue = forms.CharField(
        label=_("服务队列"),
        max_length=40,
        required=False,
        help_text=_("留空：接听所有队列（如 法律咨询、法律援助）。"),
    )


class WrapForm(forms.Form):
    code = forms.ChoiceField(label=_("小结类型"), choices=[("", "——"), *list(Call.Wrap.choices)])
    notes = forms.CharField(
        label=_("小结备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallbackDoneForm(forms.Form):
    outcome = forms.ChoiceField(label=_("回拨结果"), choices=CallbackTask.Outcome.choices)
    note = forms.CharField(
        label=_("回拨记录"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatsForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        if start and end and (end - start).days > 366:
            raise forms.ValidationError(_("统计区间最长一年。"))
        return data
