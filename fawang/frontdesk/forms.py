"""Forms of the front desk. They shape input only; the rules (and their Chinese messages) live in actions.py,
whose errors the views put back on these forms."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import ServiceItem
from fawang.lib.validators import validate_id_number
from fawang.orgs.models import Unit, Window

from .models import WORKING_WEEKDAYS, RemoteVisit, Schedule, ScheduleException

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def prisons() -> QuerySet[Unit]:
    """Prisons and detention centres that take remote visits."""
    return (
        Unit.objects.active()
        .filter(kind=Unit.Kind.PRISON, functions__code="remote_visit")
        .order_by("region_id", "name")
    )


# --------------------------------------------------------------------------------------------- staff


class ScheduleForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=40,
        help_text=_("公众预约时看到的名称，如“综合窗口”“远程视频探视”。"),
        error_messages={"required": _("请填写排班名称，如“综合窗口”。")},
    )
    mode = forms.ChoiceField(
        label=_("预约方式"),
        choices=Schedule.Mode.choices,
        initial=Schedule.Mode.ONSITE,
        required=False,
        help_text=_("视频咨询：预约后双方通过同一视频会议链接咨询，无需到场。"),
    )
    window = forms.ModelChoiceField(
        label=_("窗口"), queryset=Window.objects.none(), required=False, empty_label=_("（整个服务点）")
    )
    service_items = forms.ModelMultipleChoiceField(
        label=_("可预约事项"),
        queryset=ServiceItem.objects.active().order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个可预约的服务事项。")},
    )
    slot_minutes = forms.IntegerField(label=_("时段长度（分钟）"), min_value=10, max_value=240, initial=30)
    capacity = forms.IntegerField(label=_("每时段名额"), min_value=1, max_value=50, initial=2)
    days_ahead = forms.IntegerField(
        label=_("开放预约天数"),
        min_value=1,
        max_value=60,
        initial=14,
        help_text=_("公众可以预约今天起多少天内的时段。"),
    )
    min_notice_hours = forms.IntegerField(
        label=_("最少提前（小时）"),
        min_value=0,
        max_value=168,
        initial=0,
        help_text=_("远程探视须留出审核时间，建议 24。"),
    )
    cancel_cutoff_hours = forms.IntegerField(
        label=_("取消、改约截止（小时）"),
        min_value=0,
        max_value=72,
        initial=2,
        help_text=_("时段开始前多少小时内不能再取消或改约。"),
    )
    makeup_weekday = forms.TypedChoiceField(
        label=_("调休上班日按"),
        choices=WORKING_WEEKDAYS,
        coerce=int,
        initial=0,
        help_text=_("调休上班日（周末上班）按星期几的时段开放预约。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window = self.fields["window"]
        assert isinstance(window, forms.ModelChoiceField)
        window.queryset = unit.windows.filter(is_active=True).order_by("number")
        window.error_messages["invalid_choice"] = _("所选窗口不属于本服务点。")


class NewScheduleForm(forms.Form):
    """The point a new schedule is for (points the user may manage in their regions)."""

    unit = forms.ModelChoiceField(
        label=_("服务点"),
        queryset=Unit.objects.none(),
        empty_label=_("请选择服务点"),
        error_messages={"required": _("请选择服务点。")},
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        field.error_messages["invalid_choice"] = _("只能为您辖区内的服务点设置预约。")


class RuleForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=WORKING_WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("开始时间"), widget=TIME, error_messages={"required": _("请填写开始时间。")}
    )
    end_time = forms.TimeField(
        label=_("结束时间"), widget=TIME, error_messages={"required": _("请填写结束时间。")}
    )


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE, error_messages={"required": _("请选择日期。")})
    kind = forms.ChoiceField(label=_("类型"), choices=ScheduleException.Kind.choices)
    start_time = forms.TimeField(
        label=_("开始时间"), required=False, widget=TIME, help_text=_("加开时段必填。")
    )
    end_time = forms.TimeField(
        label=_("结束时间"), required=False, widget=TIME, help_text=_("加开时段必填。")
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        help_text=_("停止预约必填：写入给已预约群众的取消通知。"),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("通过")), ("refuse", _("不通过"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核结果。")},
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不通过时必填，将告知预约人。"),
    )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        required=False,
        help_text=_("将告知预约人，如“本人来电要求取消”。"),
    )


class DayForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("服务点"), queryset=Unit.objects.none(), required=False, empty_label=None
    )
    date = forms.DateField(label=_("日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


# --------------------------------------------------------------------------------------------- public


class BookForm(forms.Form):
    """The chosen slot, the reason, and for a remote visit who is visited."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
    slot = forms.IntegerField(
        label=_("预约时段"),
        widget=forms.HiddenInput,
        error_messages={"required": _("请选择预约时段。"), "invalid": _("请选择预约时段。")},
    )
    reason = forms.CharField(
        label=_("预约事由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("简要写明要咨询或办理的事情，便于工作人员提前准备。"),
        error_messages={"required": _("请填写预约事由，如要咨询或办理的事情。")},
    )

    def __init__(self, *args: Any, visit: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.visit = visit
        if visit:
            self.fields["prison"] = forms.ModelChoiceField(
                label=_("监所"),
                queryset=prisons(),
                empty_label=_("请选择被探视人所在的监所"),
                error_messages={
                    "required": _("请选择被探视人所在的监所。"),
                    "invalid_choice": _("请选择被探视人所在的监所。"),
                },
            )
            self.fields["inmate_name"] = forms.CharField(
                label=_("被探视人姓名"), max_length=32, error_messages={"required": _("请填写被探视人姓名。")}
            )
            self.fields["relation"] = forms.ChoiceField(
                label=_("与被探视人关系"),
                choices=[("", _("请选择")), *RemoteVisit.Relation.choices],
                help_text=_("监狱法 第四十八条、看守所条例 第二十八条：亲属、监护人可以会见。"),
                error_messages={"required": _("请选择与被探视人的关系（须为近亲属或监护人）。")},
            )
            self.fields["id_number"] = forms.CharField(
                label=_("探视人身份证号码"),
                max_length=18,
                help_text=_("本人的 18 位居民身份证号码，到场时核验；加密保存。"),
                validators=[validate_id_number],
                error_messages={"required": _("请填写探视人的身份证号码。")},
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
            self.fields["reason"].label = _("探视事由")
            self.fields["reason"].help_text = _("如“家属例行探视”。")

    def clean_id_number(self) -> str:
        return str(self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_key(self) -> str:
        return "".join(c for c in self.cleaned_data.get("key", "") if c.isalnum())[:32]


class PublicCancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因（可不填）"), max_length=200, required=False)
