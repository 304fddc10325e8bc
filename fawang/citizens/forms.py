from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.orgs.models import Speciality
from fawang.regions.forms import RegionCascadeMixin, RegionField
from fawang.regions.models import Region

from .actions import clean_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("未注册的手机号码验证后自动注册。"),
        error_messages={"required": _("请输入手机号码。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        help_text=_("发送至您手机的 6 位数字。"),
        error_messages={"required": _("请输入短信中的 6 位数字验证码。")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class ClaimCodeForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("发送至登记手机号码的 6 位数字。")


class ProfileForm(forms.Form):
    """Checked by ``actions.do_update_profile``; its errors come back keyed by these field names."""

    name = forms.CharField(
        label=_("真实姓名"), max_length=32, error_messages={"required": _("请填写真实姓名。")}
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        help_text=_("18 位居民身份证号码，最后一位可以是 X。加密保存，只用于核实身份。"),
        error_messages={"required": _("请填写身份证号码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AskForm(RegionCascadeMixin, forms.Form):
    question = forms.CharField(
        label=_("您的问题"),
        max_length=2000,
        help_text=_("请写明事情经过、涉及的人和您想知道什么。请勿填写他人的身份证号码等个人信息。"),
        error_messages={"required": _("请填写您要咨询的问题。")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    topic = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=Speciality.objects.none(),
        required=False,
        empty_label=_("不确定（由工作人员归类）"),
    )
    region = RegionField(
        label=_("所在地区"),
        min_level=Region.Level.COUNTY,
        help_text=_("选择您所在或事情发生的区县（可以继续选到乡镇、村居），由当地公共法律服务中心答复。"),
        error_messages={"required": _("请选择所在地区。")},
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Speciality.objects.order_by("order", "code")


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("追问或补充"),
        max_length=2000,
        help_text=_("工作人员将在本页答复。"),
        error_messages={"required": _("请填写追问内容。")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
