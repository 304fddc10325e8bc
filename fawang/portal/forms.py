from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.orgs.models import Function, Unit
from fawang.regions.forms import RegionField

from .points import FINDER_KINDS


class FinderForm(forms.Form):
    """The service-point finder's filters: a GET form, so every result page can be bookmarked and shared."""

    region = RegionField(
        label=_("所在地区"),
        required=False,
        help_text=_("逐级选择到您所在的村（社区），或只选到乡镇（街道）、区县查看该地区全部服务点。"),
    )
    kind = forms.ChoiceField(label=_("机构类型"), required=False)
    function = forms.ModelChoiceField(
        label=_("服务职能"),
        queryset=Function.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("全部职能"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("全部类型")), *((k, Unit.Kind(k).label) for k in FINDER_KINDS)]
        # The internal functions (社区矫正) are not something a citizen looks a service point up by.
        function_field = self.fields["function"]
        assert isinstance(function_field, forms.ModelChoiceField)
        function_field.queryset = Function.objects.exclude(code="corrections").order_by("order", "code")
