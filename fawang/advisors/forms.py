from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.orgs.models import Speciality, Unit
from fawang.regions.models import Region

from .models import WEEKDAYS, ServiceKind


class WorkLogForm(forms.Form):
    """The advisor's day, on a phone in a minute: the date and kind are preset, the counts are number fields."""

    date = forms.DateField(
        label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("服务方式"), choices=ServiceKind.choices, widget=forms.RadioSelect)
    hours = forms.DecimalField(
        label=_("在村时长（小时）"),
        min_value=Decimal("0.5"),
        max_value=Decimal("12"),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    consultations = forms.IntegerField(label=_("解答咨询（人次）"), min_value=0, max_value=500, initial=0)
    disputes_mediated = forms.IntegerField(
        label=_("参与调解纠纷（件）"), min_value=0, max_value=100, initial=0
    )
    documents_reviewed = forms.IntegerField(
        label=_("审查村委会文件、合同（份）"), min_value=0, max_value=100, initial=0
    )
    talks = forms.IntegerField(label=_("法治讲座（场）"), min_value=0, max_value=20, initial=0)
    audience = forms.IntegerField(label=_("讲座受众（人次）"), min_value=0, max_value=10000, initial=0)
    tracking_nos = forms.CharField(
        label=_("关联事项编号"),
        required=False,
        max_length=300,
        help_text=_("本次服务中受理或办理的事项编号，多个用逗号或空格分隔。"),
    )
    summary = forms.CharField(
        label=_("工作摘要"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不写当事人姓名、身份证号等个人信息。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("consultations", "disputes_mediated", "documents_reviewed", "talks", "audience"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean_tracking_nos(self) -> list[str]:
        raw = self.cleaned_data.get("tracking_nos") or ""
        return [n for n in raw.replace("，", ",").replace(",", " ").split() if n]


class ServiceDayForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务方式"), choices=ServiceKind.choices)
    weekday = forms.TypedChoiceField(
        label=_("每周（定点）"), choices=[("", "—"), *WEEKDAYS], coerce=int, required=False, empty_value=None
    )
    date = forms.DateField(
        label=_("日期（流动）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), required=False, max_length=100)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("联系人"), max_length=32)
    title = forms.CharField(label=_("职务"), max_length=32, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=11)


class BoardProfileForm(forms.Form):
    """What the village 公示牌 shows of the advisor: the photo and the two consents (fawang.advisors.actions)."""

    photo = forms.FileField(
        label=_("照片（JPG 或 PNG，不超过 2 MB）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    photo_consent = forms.BooleanField(label=_("法律顾问同意在公示牌和工作室页面公示照片"), required=False)
    phone_consent = forms.BooleanField(
        label=_("法律顾问同意公示本人联系电话（否则只公示工作室电话或 12348）"), required=False
    )
    remove_photo = forms.BooleanField(label=_("删除已上传的照片"), required=False)


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("短信确认码"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    decision = forms.ChoiceField(
        label=_("村委会意见"),
        choices=[("confirm", _("属实，确认")), ("dispute", _("有异议"))],
        widget=forms.RadioSelect,
        initial="confirm",
    )
    rating = forms.TypedChoiceField(
        label=_("服务评价"),
        choices=[
            ("", "—"),
            (5, "5 分 很满意"),
            (4, "4 分 满意"),
            (3, "3 分 一般"),
            (2, "2 分 不满意"),
            (1, "1 分 很不满意"),
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label=_("意见或异议原因"), required=False, max_length=200)


class MonthForm(forms.Form):
    month = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "month"}))
    region = forms.CharField(required=False, max_length=12)

    def year_month(self) -> tuple[int, int]:
        today = timezone.localdate()
        raw = (self.cleaned_data.get("month") or "") if self.is_valid() else ""
        try:
            year, month = (int(x) for x in raw.split("-"))
            dt.date(year, month, 1)
        except ValueError:
            return today.year, today.month
        return year, month


class SubsidyRuleForm(forms.Form):
    region_code = forms.CharField(
        label=_("适用区划代码"), max_length=12, help_text=_("市或县（区）的区划代码")
    )
    title = forms.CharField(label=_("文件名称"), max_length=100, initial="法律服务工作补助办法")
    document_no = forms.CharField(label=_("文号"), max_length=60, required=False)
    effective_from = forms.DateField(
        label=_("施行日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    per_fixed_day = forms.DecimalField(
        label=_("定点驻村（元/次）"), min_value=0, max_digits=8, decimal_places=2
    )
    per_roving_day = forms.DecimalField(
        label=_("流动服务（元/次）"), min_value=0, max_digits=8, decimal_places=2
    )
    per_talk = forms.DecimalField(
        label=_("法治讲座（元/场）"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    per_mediation = forms.DecimalField(
        label=_("参与调解（元/件）"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    per_document = forms.DecimalField(
        label=_("审查文件（元/份）"), min_value=0, max_digits=8, decimal_places=2, initial=0
    )
    monthly_cap = forms.DecimalField(
        label=_("每村每月上限（元）"), min_value=0, max_digits=9, decimal_places=2, required=False
    )


class TalentForm(forms.Form):
    languages = forms.CharField(label=_("语言或方言"), max_length=60, required=False)
    available = forms.BooleanField(label=_("可接受聘任"), required=False)
    max_villages = forms.IntegerField(label=_("最多服务村（社区）数"), min_value=1, max_value=10, initial=3)
    reserve_towns = forms.ModelMultipleChoiceField(
        label=_("储备乡镇（街道）"), queryset=Region.objects.none(), required=False
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, county: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reserve_towns"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Region.objects.filter(parent_id=county, level=Region.Level.TOWN).order_by("code")


class RecommendForm(forms.Form):
    speciality = forms.ModelMultipleChoiceField(
        label=_("所需专长"), queryset=Speciality.objects.order_by("order"), required=False
    )
    language = forms.CharField(label=_("所需语言或方言"), max_length=20, required=False)


class PetitionPostForm(forms.Form):
    """A petition reception (信访接待场所) kept by one of the user's units."""

    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("组织单位"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("请选择组织单位。"), "invalid_choice": _("请从列表中选择组织单位。")},
    )
    name = forms.CharField(label=_("接待场所"), max_length=100)
    region_code = forms.CharField(
        label=_("所在区划代码"), max_length=12, help_text=_("县（区）或乡镇（街道）代码")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean_region_code(self) -> Region:
        code = self.cleaned_data["region_code"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("没有这个区划代码。"))
        return region


class PetitionDutyForm(forms.Form):
    practitioner = forms.IntegerField(
        label=_("值班律师"),
        widget=forms.Select,
        error_messages={"required": _("请选择值班律师。"), "invalid": _("请从列表中选择值班律师。")},
    )
    date = forms.DateField(
        label=_("值班日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("开始时间"), initial="09:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("结束时间"), initial="12:00", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, lawyers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lawyers = {p.pk: p for p in lawyers or []}
        self.fields["practitioner"].widget.choices = [
            ("", _("请选择")),
            *((p.pk, f"{p.name}（{p.unit.name if p.unit else ''}）") for p in lawyers or []),
        ]

    def clean_practitioner(self) -> Any:
        found = self.lawyers.get(self.cleaned_data["practitioner"])
        if found is None:
            raise forms.ValidationError(_("请从列表中选择值班律师。"))
        return found


class PetitionLogForm(forms.Form):
    present = forms.BooleanField(label=_("按时到岗"), required=False, initial=True)
    visitors = forms.IntegerField(label=_("接待来访群众（人次）"), min_value=0, max_value=500, initial=0)
    cases = forms.IntegerField(label=_("涉及信访事项（件）"), min_value=0, max_value=200, initial=0)
    to_litigation = forms.IntegerField(
        label=_("引导通过诉讼、仲裁、行政复议解决（件）"), min_value=0, max_value=200, initial=0
    )
    to_legal_aid = forms.IntegerField(
        label=_("引导申请法律援助（件）"), min_value=0, max_value=200, initial=0
    )
    to_mediation = forms.IntegerField(label=_("引导调解（件）"), min_value=0, max_value=200, initial=0)
    tracking_nos = forms.CharField(
        label=_("关联事项编号"), required=False, max_length=300, help_text=_("多个用逗号或空格分隔。")
    )
    summary = forms.CharField(
        label=_("值班情况"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不写来访人姓名、身份证号等个人信息。"),
    )

    def clean_tracking_nos(self) -> list[str]:
        raw = self.cleaned_data.get("tracking_nos") or ""
        return [n for n in raw.replace("，", ",").replace(",", " ").split() if n]
