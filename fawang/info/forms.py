"""The directory's and the 普法 section's filters: GET forms, so every result page can be bookmarked and shared."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.knowledge.models import KnowledgeEntry
from fawang.orgs.models import Practitioner, Speciality, Unit
from fawang.regions.forms import RegionField

from .directory import DIRECTORY_KINDS
from .publicity import PUBLICITY_KINDS

MAX_QUERY = 40


def _speciality_field(label: Any, empty: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Speciality.objects.order_by("order", "code"),
        to_field_name="code",
        required=False,
        empty_label=empty,
        error_messages={"invalid_choice": _("没有这个业务领域，请从列表中选择。")},
    )


class UnitFilterForm(forms.Form):
    region = RegionField(
        label=_("所在地区"),
        required=False,
        help_text=_("选择区县或乡镇（街道），查看该地区的机构；不选则查看全部。"),
    )
    kind = forms.ChoiceField(
        label=_("机构类型"),
        required=False,
        error_messages={"invalid_choice": _("没有这个机构类型，请从列表中选择。")},
    )
    speciality = _speciality_field(_("业务专长"), _("全部专长"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部类型")), *((k, Unit.Kind(k).label) for k in DIRECTORY_KINDS)]


class PractitionerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("姓名、执业证号或执业机构"),
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": _("查询内容不能超过 %(limit_value)d 个字。")},
    )
    region = RegionField(label=_("执业机构所在地区"), required=False)
    kind = forms.ChoiceField(
        label=_("人员类别"),
        required=False,
        error_messages={"invalid_choice": _("没有这个人员类别，请从列表中选择。")},
    )
    speciality = _speciality_field(_("业务专长"), _("全部专长"))
    status = forms.ChoiceField(
        label=_("执业状态"),
        required=False,
        error_messages={"invalid_choice": _("没有这个执业状态，请从列表中选择。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部类别")), *Practitioner.Kind.choices]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("全部状态")), *Practitioner.LicenceStatus.choices]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class PublicityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        error_messages={"invalid_choice": _("没有这个类型，请从列表中选择。")},
    )
    category = _speciality_field(_("分类"), _("全部分类"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部")), *((k, KnowledgeEntry.Kind(k).label) for k in PUBLICITY_KINDS)]
