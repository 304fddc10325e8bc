from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.orgs.models import Membership, Speciality, Unit

from .models import Call, CallbackTask, Dialect, DutySlot


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


class ShiftForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("值班人员"), queryset=User.objects.none(), empty_label=_("请选择")
    )
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    slot = forms.ChoiceField(label=_("时段"), choices=DutySlot.choices)
    topics = forms.ModelMultipleChoiceField(
        label=_("擅长领域"),
        queryset=Speciality.objects.all(),
        required=False,
        help_text=_("留空：所有领域。"),
        widget=forms.CheckboxSelectMultiple,
    )
    dialects = forms.MultipleChoiceField(
        label=_("方言"), choices=Dialect.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__in=Membership.objects.active().filter(unit=unit)).distinct()
        self.fields["person"].queryset = people.order_by("display_name", "username")  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda u: u.display_name or u.username  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("咨询领域"), queryset=Speciality.objects.all(), required=False, empty_label=_("不限")
    )
    dialect = forms.ChoiceField(
        label=_("方言"), choices=[("", _("普通话")), *Dialect.choices], required=False
    )
    note = forms.CharField(
        label=_("转接说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
