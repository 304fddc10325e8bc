"""Console forms for knowledge entries, and the filters of the console list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fawang.catalog.models import ServiceItem
from fawang.orgs.models import Speciality, Unit

from .actions import parse_manual_citations
from .models import Article, KnowledgeEntry

ANY = [("", _("全部"))]
MAX_BODY = 20000


class EntryForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("编写单位"),
        queryset=Unit.objects.none(),
        empty_label=None,
        help_text=_("以哪个单位的名义编写。"),
    )
    kind = forms.ChoiceField(label=_("类别"), choices=KnowledgeEntry.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(
        label=_("正文"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=KnowledgeEntry._meta.get_field("body").help_text,
    )
    topic = forms.ModelChoiceField(
        label=_("业务领域"), queryset=Speciality.objects.all(), required=False, empty_label=_("（不限）")
    )
    service_items = forms.ModelMultipleChoiceField(
        label=_("相关服务事项"),
        queryset=ServiceItem.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("办事指南和常见问题可关联到服务事项，发布后列在该事项的办事指南页面上。"),
    )
    local = forms.BooleanField(
        label=_("只适用于本单位所在地区"),
        required=False,
        help_text=_("例如写明了本地的办事地点、电话或本地政策；全国通用的内容不要勾选。"),
    )
    manual = forms.CharField(
        label=_("另外引用的条文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "正文中的引用会自动关联；正文没有写出、但本条目依据的条文在此每行填一条，例如 《中华人民共和国劳动合同法》第三十条。"
        ),
    )
    reviewed = forms.BooleanField(
        label=_("已复核：引用的条文已核对，内容仍然适用或已按新法修改"), required=False
    )

    def __init__(
        self, *args: Any, units: list[Unit] | None = None, entry: KnowledgeEntry | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.entry = entry
        if entry is None:
            unit = self.fields["unit"]
            assert isinstance(unit, forms.ModelChoiceField)
            unit.queryset = Unit.objects.filter(pk__in=[u.pk for u in units or []])
            del self.fields["reviewed"]
        else:
            del self.fields["unit"]
            if not entry.needs_review:
                del self.fields["reviewed"]

    @classmethod
    def initial_for(cls, entry: KnowledgeEntry) -> dict[str, Any]:
        manual = entry.citations.filter(source="manual").select_related("article__law").order_by("pk")
        return {
            "kind": entry.kind,
            "title": entry.title,
            "body": entry.body,
            "topic": entry.topic_id,
            "service_items": list(entry.service_items.values_list("pk", flat=True)),
            "local": entry.region_id is not None,
            "manual": "\n".join(f"《{c.article.law.title}》{c.article.label}" for c in manual),
        }

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("请填写标题。"))
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("请填写正文。"))
        return body

    def clean_manual(self) -> list[Article]:
        return parse_manual_citations(self.cleaned_data["manual"])

    def fields_for_action(self) -> dict[str, Any]:
        d = self.cleaned_data
        unit: Unit = d["unit"] if self.entry is None else self.entry.unit
        return {
            "kind": d["kind"],
            "title": d["title"],
            "body": d["body"],
            "topic": d["topic"],
            "service_items": list(d["service_items"]),
            "region": unit.region if d["local"] else None,
            "manual": d["manual"],
        }


class EntryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=ANY + list(KnowledgeEntry.Kind.choices))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=ANY + list(KnowledgeEntry.Status.choices)
    )
    review = forms.ChoiceField(
        label=_("复核"), required=False, choices=[*ANY, ("needs", _("待复核")), ("ok", _("无需复核"))]
    )
    q = forms.CharField(label=_("标题包含"), required=False, max_length=60)
