from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.orgs.models import Membership, Speciality, Unit

from .models import Call, CallbackTask, CentreSettings, Dialect, DutySlot, FollowUpDial


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


class ReferralDoneForm(forms.Form):
    note = forms.CharField(
        label=_("处理情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), required=True
    )


class FollowUpForm(forms.Form):
    REACHED = FollowUpDial.Outcome.REACHED

    outcome = forms.ChoiceField(label=_("回访结果"), choices=FollowUpDial.Outcome.choices)
    text = forms.CharField(
        label=_("回访情况"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("接通时必填：服务对象的意见。"),
    )
    satisfied = forms.NullBooleanField(
        label=_("回访后是否满意"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("未表态")), ("true", _("满意")), ("false", _("不满意"))]),
    )


class CentreSettingsForm(forms.ModelForm):
    class Meta:
        model = CentreSettings
        fields = [
            "service_hours",
            "ivr_welcome",
            "ivr_after_hours",
            "callback_hours",
            "callback_max_attempts",
        ]
        widgets = {
            "ivr_welcome": forms.Textarea(attrs={"rows": 2}),
            "ivr_after_hours": forms.Textarea(attrs={"rows": 2}),
        }


class QueueForm(forms.Form):
    name = forms.CharField(label=_("队列名称"), max_length=40, help_text=_("与电话系统推送的 queue 一致。"))
    digit = forms.ChoiceField(label=_("IVR 按键"), choices=[(str(n), str(n)) for n in range(10)])
    menu_text = forms.CharField(
        label=_("IVR 菜单语"), max_length=200, required=False, help_text=_("如：法律咨询请按 1。")
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("技能（领域）"),
        queryset=Speciality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dialects = forms.MultipleChoiceField(
        label=_("方言"), choices=Dialect.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SystemForm(forms.Form):
    """A new telephone system of the centre, or a ticket system of an outside hotline (联动)."""

    name = forms.CharField(label=_("名称"), max_length=60)
    partner = forms.ModelChoiceField(
        label=_("联动热线"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("不是联动系统：本中心的电话系统"),
        help_text=_("选择外部热线（12345、12315、110）则登记为其工单系统。"),
    )
    signed = forms.BooleanField(
        label=_("要求 HMAC 签名"), required=False, initial=True, help_text=_("建议开启：生成签名密钥。")
    )
    dial_url = forms.URLField(
        label=_("外呼接口地址"),
        required=False,
        max_length=300,
        help_text=_("电话系统的点击外呼接口；留空则外呼请求只在本系统记录。"),
        assume_scheme="https",
    )

    def __init__(self, *args: Any, partners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class SystemEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    dial_url = forms.URLField(label=_("外呼接口地址"), required=False, max_length=300, assume_scheme="https")
    is_active = forms.BooleanField(label=_("启用"), required=False)
