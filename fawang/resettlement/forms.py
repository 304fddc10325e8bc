from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HelpFile, HelpRecord

DATE = forms.DateInput(attrs={"type": "date"})


class NoticeForm(forms.Form):
    notice_no = forms.CharField(label=_("通知编号"), max_length=40)
    name = forms.CharField(label=_("姓名"), max_length=32)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    residence = forms.CharField(
        label=_("户籍地区划代码"), max_length=12, help_text=_("乡镇（街道）9 位或村（社区）12 位代码。")
    )
    crime = forms.CharField(label=_("罪名"), max_length=100)
    sentence = forms.CharField(label=_("刑期"), max_length=50)
    release_on = forms.DateField(label=_("释放日期"), widget=DATE)
    is_key = forms.BooleanField(label=_("重点帮教对象"), required=False)
    key_reasons = forms.CharField(label=_("列为重点的原因"), max_length=300, required=False)


class ConnectForm(forms.Form):
    received_by = forms.CharField(label=_("接收人"), max_length=100)
    place = forms.CharField(label=_("交接地点"), max_length=200, required=False)
    on = forms.DateTimeField(
        label=_("衔接时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("衔接情况"), max_length=500, required=False)


class HelpForm(forms.Form):
    kind = forms.ChoiceField(label=_("帮扶内容"), choices=HelpRecord.Kind.choices)
    note = forms.CharField(label=_("情况"), max_length=2000)
    on = forms.DateField(label=_("日期"), widget=DATE)


class PlaceForm(forms.Form):
    placement = forms.ChoiceField(label=_("安置情况"), choices=HelpFile.Placement.choices)
    on = forms.DateField(label=_("安置日期"), widget=DATE)


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("帮教计划"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReoffenceForm(forms.Form):
    on = forms.DateField(label=_("立案或判决日期"), widget=DATE)
    facts = forms.CharField(label=_("罪名和处理情况"), max_length=300)
