from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Law
from .results import MAX_QUERY, SearchParams

WITHIN_ALL, WITHIN_LAWS, WITHIN_ENTRIES = "all", "laws", "entries"


class LawSearchForm(forms.Form):
    """Law search: a GET form, so every result page can be bookmarked and shared."""

    q = forms.CharField(
        label=_("您的问题或关键词"),
        required=False,
        help_text=_("用日常的话描述问题即可，例如：申请法律援助后多久能有结果"),
    )
    level = forms.ChoiceField(label=_("效力位阶"), required=False)
    status = forms.ChoiceField(
        label=_("时效性"), required=False, choices=[("", _("全部")), ("current", _("现行有效"))]
    )
    scope = forms.ChoiceField(label=_("地区"), required=False)
    date_from = forms.DateField(
        label=_("公布日期自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("公布日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    order = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("relevance", _("按相关度")), ("date", _("按公布日期（新的在前）"))],
    )
    title_only = forms.BooleanField(label=_("只查法规标题"), required=False)
    within = forms.ChoiceField(
        label=_("查找范围"),
        required=False,
        choices=[
            (WITHIN_ALL, _("全部")),
            (WITHIN_LAWS, _("法律法规")),
            (WITHIN_ENTRIES, _("指南问答案例")),
        ],
        help_text=_("指南问答案例：公共法律服务机构编写的办事指南、常见问题、以案释法和普法文章。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [("", _("全部")), *Law.Level.choices]
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        names = (
            Law.objects.exclude(region_name="")
            .order_by("region_name")
            .values_list("region_name", flat=True)
            .distinct()
        )
        scope.choices = [
            ("", _("全部")),
            ("national", _("全国性法律法规")),
            ("local", _("地方性法规")),
            *((n, _("地方性法规：%(name)s") % {"name": n}) for n in names),
        ]

    # The fields under 筛选条件 (folded away on a phone) and the value each has when not chosen.
    FILTER_DEFAULTS: dict[str, str] = {
        "within": WITHIN_ALL,
        "level": "",
        "status": "",
        "scope": "",
        "order": "relevance",
        "date_from": "",
        "date_to": "",
        "title_only": "",
    }

    def filters_chosen(self) -> int:
        """How many filters the query sets (shown on the folded 筛选条件)."""
        if not self.is_bound:
            return 0
        return sum(
            1 for name, default in self.FILTER_DEFAULTS.items() if (self.data.get(name) or default) != default
        )

    def filter_errors(self) -> bool:
        """A filter with an error: 筛选条件 opens so the person sees it."""
        return self.is_bound and any(name in self.errors for name in self.FILTER_DEFAULTS)

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if not q:
            raise forms.ValidationError(_("请输入要查询的问题或关键词。"))
        if len(q) > MAX_QUERY:
            raise forms.ValidationError(
                _("查询内容过长（%(n)s 字），请精简到 %(max)s 字以内。") % {"n": len(q), "max": MAX_QUERY}
            )
        return q

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def params(self) -> SearchParams:
        d = self.cleaned_data
        return SearchParams(
            query=d["q"],
            levels=frozenset([d["level"]]) if d.get("level") else None,
            current_only=d.get("status") == "current",
            scope=d.get("scope") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            order=d.get("order") or "relevance",
            title_only=bool(d.get("title_only")),
        )
