"""RegionField: pick a region with the cascading picker and get a Region back.

Usage, in any form (staff or public)::

    class MatterForm(RegionCascadeMixin, forms.Form):
        region = RegionField(label=_("所在地区"), max_level=5, root="3502")

    # in the view, for a form of one's own unit's area:
    form.fields["region"].root = unit.region

A form that is POSTed should mix in RegionCascadeMixin so that, without JavaScript, the "下一级" button only
re-renders the form (with the next level filled in) instead of submitting it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes

from .models import Region
from .widgets import LEVEL_LABELS, NEXT_SUFFIX, RegionSelect, is_code


class RegionField(forms.Field):
    widget: RegionSelect = RegionSelect  # type: ignore[assignment]
    default_error_messages = {
        "invalid": _("行政区划代码无效，请从列表中选择地区。"),
        "missing": _("所选地区不存在，请重新选择。"),
        "outside": _("所选地区不在%(root)s范围内，请重新选择。"),
        "too_deep": _("最多选择到%(level)s一级。"),
        "too_shallow": _("请选择到%(level)s一级。"),
    }

    def __init__(
        self,
        *,
        max_level: int = Region.Level.VILLAGE,
        min_level: int | None = None,
        root: Region | str | None = None,
        **kwargs: Any,
    ) -> None:
        if not 1 <= max_level <= 5 or (min_level is not None and not 1 <= min_level <= max_level):
            raise ValueError("max_level/min_level must be region levels 1-5 with min_level <= max_level")
        self.max_level = max_level
        self.min_level = min_level
        kwargs.setdefault("widget", RegionSelect(max_level=max_level))
        super().__init__(**kwargs)
        self.widget.max_level = max_level
        self.root = root

    @property
    def root(self) -> str | None:
        """The code of the region the choice must lie in (inclusive), or None for the whole country."""
        return self._root

    @root.setter
    def root(self, value: Region | str | None) -> None:
        code = value.code if isinstance(value, Region) else (value or None)
        if code is not None and not is_code(code):
            raise ValueError(f"not a region code: {code!r}")
        if code is not None and codes.level_of(code) >= self.max_level:
            raise ValueError("root must lie above max_level")
        self._root = code
        self.widget.root_code = code

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Region) else value

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, Region):
            return value
        if value in self.empty_values:
            return None
        code = codes.canonical(str(value))
        if not is_code(code):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(self.error_messages["missing"], code="missing")
        return region

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.root and not value.code.startswith(self.root):
            root = Region.objects.filter(code=self.root).first()
            raise ValidationError(
                self.error_messages["outside"],
                code="outside",
                params={"root": root.full_name if root else self.root},
            )
        if value.level > self.max_level:
            raise ValidationError(
                self.error_messages["too_deep"],
                code="too_deep",
                params={"level": LEVEL_LABELS[self.max_level]},
            )
        if self.min_level and value.level < self.min_level:
            raise ValidationError(
                self.error_messages["too_shallow"],
                code="too_shallow",
                params={"level": LEVEL_LABELS[self.min_level]},
            )

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = self.prepare_value(initial) or ""
        return str(before) != str(data or "")


class RegionCascadeMixin:
    """For forms with RegionFields: a press on "下一级" (no JavaScript) is a re-render, not a submission.

    ``is_valid()`` is False and no errors are shown, so the view simply renders the form again; the widget
    reads the submitted levels and shows the next one.
    """

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    @property
    def cascading(self) -> bool:
        if not self.is_bound:
            return False
        prefix_name = getattr(self, "add_prefix", lambda n: n)
        return any(
            f"{prefix_name(name)}{NEXT_SUFFIX}" in self.data
            for name, field in self.fields.items()
            if isinstance(field, RegionField)
        )

    def full_clean(self) -> None:
        if self.cascading:
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            return
        super().full_clean()  # type: ignore[misc]

    def is_valid(self) -> bool:
        return not self.cascading and super().is_valid()  # type: ignore[misc]
