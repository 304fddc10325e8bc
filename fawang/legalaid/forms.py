"""Legal aid's forms: the matter actions (console form and API body, matters.registry) and the console's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.lib.formfields import model_choice_field
from fawang.matters.forms import ActionForm

from .actions import AdvanceReason
from .models import (
    HELP_KINDS,
    AidLawyer,
    Assignment,
    CaseLog,
    DutyStation,
    HardshipStandard,
    Notification,
    Organ,
    QualityRecord,
    ReferenceFigure,
)

TEXTAREA = forms.Textarea(attrs={"rows": 2})

CHECKLIST = (
    ("identity", _("申请人身份证明")),
    ("hardship", _("经济困难状况说明或证明（含个人诚信承诺）")),
    ("matter", _("与所申请法律援助事项有关的材料")),
    ("scope", _("属于法律援助事项范围（第三十一条、第三十二条）")),
    ("jurisdiction", _("属于本机构受理范围（第三十八条）")),
)


class DecideForm(ActionForm):
    checklist = forms.MultipleChoiceField(
        label=_("审查清单"), choices=CHECKLIST, required=False, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=TEXTAREA,
        help_text=_("写入决定书，告知申请人。"),
    )


class LawyerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        p = obj.practitioner
        return f"{p.name}（{p.unit.name if p.unit else '-'}，{p.get_kind_display()}）"


class AssignForm(ActionForm):
    lawyer = LawyerField(
        label=_("法律援助人员"),
        queryset=AidLawyer.objects.none(),
        required=False,
        empty_label=_("按轮流指派自动选择"),
    )
    case_type = forms.ChoiceField(label=_("案件类别"), choices=Assignment.CaseType.choices)
    serious = forms.BooleanField(label=_("可能被判处无期徒刑、死刑（第二十六条）"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=500, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "lawyer").queryset = AidLawyer.objects.filter(
            centre=self.matter.unit
        ).select_related("practitioner", "practitioner__unit")
        self.fields["lawyer"].error_messages["invalid_choice"] = _("只能指派本机构名册中的法律援助人员。")


class AdvanceForm(AssignForm):
    reason = forms.ChoiceField(label=_("先行提供的情形（第四十四条）"), choices=AdvanceReason.CHOICES)
    materials_owed = forms.CharField(label=_("尚需补交的材料"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["serious"]
        del self.fields["note"]


class TerminateForm(ActionForm):
    reasons = forms.CharField(
        label=_("终止理由（第四十八条）"), required=False, max_length=2000, widget=TEXTAREA
    )


class StandardForm(forms.ModelForm):
    region = forms.CharField(label=_("行政区划代码"), max_length=12)

    class Meta:
        model = HardshipStandard
        fields = ["basis", "amount", "reference_kind", "multiple", "effective_from", "document"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


class ReferenceForm(forms.ModelForm):
    region = forms.CharField(label=_("行政区划代码"), max_length=12)

    class Meta:
        model = ReferenceFigure
        fields = ["kind", "amount", "effective_from", "document"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


class RosterForm(forms.Form):
    licence_no = forms.CharField(label=_("执业证号"), max_length=32)
    criminal_since = forms.DateField(
        label=_("从事刑事辩护起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    max_open = forms.IntegerField(label=_("同时承办上限"), min_value=1, max_value=50, initial=5)


class LogForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=CaseLog.Kind.choices)
    happened_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("记录"), max_length=2000, widget=TEXTAREA)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Assignment.Outcome.choices)
    note = forms.CharField(label=_("结案报告"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    case_file = forms.FileField(label=_("案卷材料（PDF、图片或 Word）"), required=False)


class CheckForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("审查结论"),
        choices=(("1", _("合格，归档")), ("0", _("退回补充"))),
        coerce=lambda v: v == "1",
    )
    score = forms.IntegerField(label=_("案卷质量评分（0–100）"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("审查意见"), required=False, max_length=2000, widget=TEXTAREA)


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("异议理由"), max_length=2000, widget=TEXTAREA)


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审查结论"), choices=(("maintain", _("维持")), ("correct", _("责令改正")))
    )
    note = forms.CharField(label=_("审查意见"), max_length=2000, widget=TEXTAREA)


class NotificationForm(forms.Form):
    """通知辩护 entered by the centre from the organ's letter (第二十五条、第二十八条)."""

    organ_kind = forms.ChoiceField(label=_("通知机关类别"), choices=Organ.choices)
    organ_name = forms.CharField(label=_("通知机关"), max_length=80)
    reference_no = forms.CharField(label=_("通知机关文书编号"), max_length=60)
    ground = forms.ChoiceField(label=_("法定情形"), choices=Notification.Ground.choices)
    person_name = forms.CharField(label=_("犯罪嫌疑人、被告人或被申请人姓名"), max_length=32)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    charge = forms.CharField(label=_("涉嫌罪名或案由"), max_length=100)
    custody = forms.CharField(label=_("羁押场所"), max_length=100, required=False)
    facts = forms.CharField(label=_("案件情况"), max_length=2000, required=False, widget=TEXTAREA)


class StationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=DutyStation.Kind.choices)
    name = forms.CharField(label=_("派驻场所名称"), max_length=80)


class ShiftForm(forms.Form):
    licence_no = forms.CharField(label=_("值班律师执业证号"), max_length=32)
    on = forms.DateField(label=_("值班日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DutyLogForm(forms.Form):
    person_name = forms.CharField(label=_("受帮助人姓名"), max_length=32)
    charge = forms.CharField(label=_("涉嫌罪名或案由"), max_length=100, required=False)
    help_kinds = forms.MultipleChoiceField(
        label=_("法律帮助类别（第三十条）"), choices=HELP_KINDS, widget=forms.CheckboxSelectMultiple
    )
    advice = forms.CharField(label=_("提供的法律帮助"), max_length=2000, widget=TEXTAREA)


class QualityForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式（第五十九条）"), choices=QualityRecord.Kind.choices)
    happened_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(
        label=_("对象"),
        max_length=100,
        required=False,
        help_text=_("旁听的法庭、征询的办案机关或回访的对象。"),
    )
    score = forms.IntegerField(label=_("评分（0–100）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("情况"), max_length=2000, widget=TEXTAREA)
