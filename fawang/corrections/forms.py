"""Forms of the corrections console: they check types and required fields; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.lib.formfields import model_choice_field
from fawang.orgs.models import Unit

from .models import (
    Activity,
    Assessment,
    Category,
    CorrectionType,
    Decision,
    DocumentKind,
    EndCause,
    GroupMember,
    Leave,
    MonitoringApproval,
    Subject,
    SupervisionItem,
)

DATE = forms.DateInput(attrs={"type": "date"})


class TakeoverForm(forms.Form):
    office: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("负责司法所"), empty_label=None
    )
    name = forms.CharField(label=_("姓名"), max_length=32)
    gender = forms.ChoiceField(label=_("性别"), choices=Subject.Gender.choices)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("居住地址"), max_length=200)
    correction_type = forms.ChoiceField(label=_("矫正类别"), choices=CorrectionType.choices)
    document_kind = forms.ChoiceField(label=_("法律文书"), choices=DocumentKind.choices)
    document_no = forms.CharField(label=_("文书编号"), max_length=64)
    decided_by = forms.CharField(label=_("决定机关"), max_length=100)
    crime = forms.CharField(label=_("罪名"), max_length=100)
    effective_on = forms.DateField(label=_("文书生效日期"), widget=DATE)
    term_start = forms.DateField(label=_("矫正期起"), widget=DATE)
    term_end = forms.DateField(label=_("矫正期止"), widget=DATE)
    prohibition = forms.CharField(label=_("禁止令"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, offices: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "office").queryset = offices


class ReportForm(forms.Form):
    where = forms.ChoiceField(
        label=_("报到机关"), choices=[("bureau", _("社区矫正机构（司法局）")), ("office", _("司法所"))]
    )


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("矫正方案"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=32)
    role = forms.ChoiceField(label=_("身份"), choices=GroupMember.Role.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class LinkForm(forms.Form):
    phone = forms.CharField(label=_("本人注册手机号"), max_length=11)


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; none is fine where the field is optional. Their content is checked by the
    action (JPG or PNG by the first bytes), not here."""

    widget = PhotoInput(attrs={"accept": "image/jpeg,image/png"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ItemForm(forms.Form):
    method = forms.ChoiceField(label=_("方式"), choices=SupervisionItem.Method.choices)
    note = forms.CharField(label=_("情况记录"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class VisitForm(ItemForm):
    """月走访: the record and its photos (JPG or PNG, at most six)."""

    photos = PhotosField(label=_("走访照片（JPG 或 PNG，最多 6 张）"), required=False)


class PhotoForm(forms.Form):
    photos = PhotosField(label=_("走访照片（JPG 或 PNG）"), error_messages={"required": _("请选择照片。")})


class CallForm(forms.Form):
    """周听声 through the telephone system: the call's id there, its start and length."""

    call_id = forms.CharField(label=_("通话编号（电话系统）"), max_length=64)
    started_at = forms.DateTimeField(
        label=_("通话开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    seconds = forms.IntegerField(label=_("通话时长（秒）"), min_value=0, max_value=86400)
    note = forms.CharField(label=_("通话情况"), max_length=2000, required=False)


class ReceiveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("接收意见"), choices=[("accept", _("接收")), ("decline", _("不予接收"))]
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReoffenceForm(forms.Form):
    on = forms.DateField(label=_("立案或判决日期"), widget=DATE)
    facts = forms.CharField(label=_("涉嫌罪名和处理情况"), max_length=300)


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Leave.Kind.choices)
    destination = forms.CharField(
        label=_("前往地点"), max_length=200, help_text=_("变更执行地的，填写新居住地址。")
    )
    reason = forms.CharField(label=_("事由"), max_length=1000)
    starts_on = forms.DateField(label=_("外出日期"), widget=DATE)
    ends_on = forms.DateField(label=_("返回日期"), widget=DATE, help_text=_("变更执行地的，填写迁居日期。"))
    to_office: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        queryset=Unit.objects.filter(kind=Unit.Kind.JUDICIAL_OFFICE, is_active=True).order_by("region_id"),
        label=_("新执行地司法所"),
        required=False,
        help_text=_("仅变更执行地时选择。"),
    )


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准")), ("refuse", _("不予批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Decision.Kind.choices)
    facts = forms.CharField(label=_("事实"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AssessmentForm(forms.Form):
    month = forms.DateField(label=_("考核月份"), widget=DATE)
    result = forms.ChoiceField(label=_("考核结果"), choices=Assessment.Result.choices)
    category = forms.ChoiceField(label=_("考核后管理类别"), choices=Category.choices)
    note = forms.CharField(label=_("考核意见"), max_length=2000, required=False)


class FactsForm(forms.Form):
    facts = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MonitoringForm(forms.Form):
    ground = forms.ChoiceField(label=_("使用理由（第二十九条）"), choices=MonitoringApproval.Ground.choices)
    facts = forms.CharField(label=_("事实"), max_length=2000)
    starts_on = forms.DateField(label=_("起始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)


class RenewForm(forms.Form):
    facts = forms.CharField(label=_("继续使用的理由"), max_length=2000)
    ends_on = forms.DateField(label=_("延长至"), widget=DATE)


class EndForm(forms.Form):
    cause = forms.ChoiceField(label=_("情形"), choices=EndCause.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=200)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices)
    on = forms.DateField(label=_("活动日期"), widget=DATE)
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=4, decimal_places=1)
    content = forms.CharField(label=_("活动内容"), max_length=200)


class TaskCloseForm(forms.Form):
    result = forms.CharField(label=_("处理结果"), max_length=2000)


class CheckInForm(forms.Form):
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(label=_("我同意提交本次位置信息，仅用于社区矫正监督管理"), required=False)
