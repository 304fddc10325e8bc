"""The forms of the person's side of a matter (tracking, supplying materials, rating, complaining): used by the
tracking pages (public_views), the citizens' account pages and the citizens' API, so they live outside the views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions.public_tracking import clean_number
from .models import Evaluation

MAX_FILES = 10


class NumberField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_number(value) if value else value


class StartForm(forms.Form):
    no = NumberField(
        label=gettext_lazy("受理编号"),
        max_length=40,
        help_text=gettext_lazy("见受理回执或短信，以 FW 开头，共 16 位，例如 FW 250303 K7QM 9XH3。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class VerifyForm(StartForm):
    code = forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=12,
        help_text=gettext_lazy("发送至事项登记手机号的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, code="too_many_files")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SupplyForm(forms.Form):
    uploads = MultipleFileField(
        label=gettext_lazy("补正材料文件"),
        help_text=gettext_lazy(
            "可一次选择多个文件；支持 PDF、JPG、PNG 图片或 Word（.docx），每个不超过 10 MB。"
        ),
        error_messages={"required": gettext_lazy("请选择要上传的补正材料文件。")},
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )
    note = forms.CharField(
        label=gettext_lazy("补充说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("评价"),
        choices=Evaluation.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择评价等级。"),
            "invalid_choice": gettext_lazy("请选择评价等级。"),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("评价内容"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("选填。评价为“不满意”或“非常不满意”的，主管司法局将回访。"),
    )


class ComplainForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("投诉内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("请写明投诉的事实和诉求。投诉由办理机构的主管司法局受理。"),
        error_messages={"required": gettext_lazy("请填写投诉内容。")},
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
