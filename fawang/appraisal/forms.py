"""Forms of the appraisal line: the licensed categories of an institution and its appraisers, the entrustment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes
from fawang.orgs.models import Unit

from .models import Category


class CategoriesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("鉴定类别"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("没有这个鉴定类别，请从列表中选择。")},
    )


class EntrustForm(forms.Form):
    category = forms.ChoiceField(
        label=_("鉴定类别"),
        choices=[("", _("请选择")), *Category.choices],
        error_messages={"required": _("请选择鉴定类别。"), "invalid_choice": _("没有这个鉴定类别。")},
    )
    unit = forms.ModelChoiceField(
        label=_("受委托鉴定机构"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("自动：登记该业务的最近机构"),
        help_text=_("不选则委托本市登记该鉴定类别、距离最近的机构。"),
        error_messages={"invalid_choice": _("请从列表中选择鉴定机构。")},
    )

    def __init__(self, *args: Any, city: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Unit.objects.active()
            .filter(codes.under("region_id", city), kind=Unit.Kind.APPRAISAL)
            .order_by("name", "pk")
        )
