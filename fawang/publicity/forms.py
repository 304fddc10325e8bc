from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Unit
from fawang.regions.models import Region

from .models import Activity, Site, TalkBooking


class RegionCodeField(forms.CharField):
    def __init__(self, *, level: int, **kwargs: Any) -> None:
        self.level = level
        super().__init__(max_length=12, **kwargs)

    def clean(self, value: Any) -> Region | None:
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(code=code.strip(), level=self.level).first()
        if region is None:
            raise forms.ValidationError(_("区划代码不正确。"))
        return region


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("管理单位"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units if units is not None else Unit.objects.none()


class SiteForm(UnitForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Site.Kind.choices)
    form = forms.ChoiceField(label=_("形式"), choices=[("", "—"), *Site.Form.choices], required=False)
    name = forms.CharField(label=_("名称"), max_length=80)
    town = RegionCodeField(label=_("乡镇（街道）区划代码"), level=Region.Level.TOWN)
    village = RegionCodeField(label=_("村（社区）区划代码"), level=Region.Level.VILLAGE, required=False)
    address = forms.CharField(label=_("位置"), max_length=200)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片（JPG 或 PNG）"))
    caption = forms.CharField(label=_("说明"), max_length=80, required=False)


class DisplayItemForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=80)
    content = forms.CharField(label=_("内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(
        label=_("开始展示"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("结束展示"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _cases() -> Any:
    return KnowledgeEntry.objects.filter(kind=KnowledgeEntry.Kind.CASE).order_by("-pk")[:200]


class ActivityForm(UnitForm):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    target = forms.ChoiceField(label=_("法律六进"), choices=Activity.Target.choices)
    organiser = forms.CharField(label=_("承办人或协办单位"), max_length=100, required=False)
    town = RegionCodeField(label=_("乡镇（街道）区划代码"), level=Region.Level.TOWN)
    village = RegionCodeField(label=_("村（社区）区划代码"), level=Region.Level.VILLAGE, required=False)
    place = forms.CharField(label=_("地点"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    audience = forms.CharField(label=_("对象"), max_length=100)
    cases = forms.ModelMultipleChoiceField(
        label=_("以案释法案例"), queryset=KnowledgeEntry.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = KnowledgeEntry.objects.filter(kind=KnowledgeEntry.Kind.CASE)


class RecordForm(forms.Form):
    reached = forms.IntegerField(label=_("覆盖人数"), min_value=1, max_value=1000000)
    summary = forms.CharField(
        label=_("活动情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("以案释法案例"), queryset=KnowledgeEntry.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = KnowledgeEntry.objects.filter(kind=KnowledgeEntry.Kind.CASE)


class SurveyForm(forms.Form):
    village = RegionCodeField(label=_("村（社区）区划代码"), level=Region.Level.VILLAGE)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    households = forms.IntegerField(label=_("户数"), min_value=1)
    households_reached = forms.IntegerField(label=_("宣传入户数"), min_value=0)
    sample_size = forms.IntegerField(label=_("抽样调查人数"), min_value=1)
    aware = forms.IntegerField(label=_("知晓人数"), min_value=0)
    surveyed_on = forms.DateField(
        label=_("调查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class BookingForm(forms.Form):
    org_kind = forms.ChoiceField(label=_("单位类型"), choices=TalkBooking.OrgKind.choices)
    org_name = forms.CharField(label=_("单位名称"), max_length=80)
    contact_name = forms.CharField(label=_("联系人"), max_length=32)
    phone = forms.CharField(label=_("手机号码"), max_length=20)
    preferred_date = forms.DateField(
        label=_("希望日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    topic = forms.CharField(label=_("希望讲解的内容"), max_length=200)
    audience_size = forms.IntegerField(label=_("预计人数"), min_value=1, max_value=100000)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"), choices=[("accept", _("安排讲座")), ("decline", _("无法安排"))]
    )
    starts_at = forms.DateTimeField(
        label=_("讲座时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reply = forms.CharField(label=_("答复预约人"), max_length=200)
