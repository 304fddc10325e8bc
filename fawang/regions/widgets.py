"""The cascading region picker: one <select> per level, 省 → 市 → 县 → 乡镇（街道）→ 村（社区）.

The submitted value is the deepest chosen code. Each level's select only ever holds the direct children of
the level above, so a page never carries a whole province of villages.

Two ways to fill the next level, sharing one renderer:
- with JavaScript, htmx sends the picker's selects to ``regions:children`` on every change and swaps in the
  re-rendered picker (same ids, so the browser keeps focus on the select the user was on);
- without it, a "下一级" submit button sends the whole form; the view re-renders the form and the widget,
  reading the submitted selects, fills in the next level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from fawang.lib import codes, memo

from .importer import PLACEHOLDER_NAMES
from .models import Region

LEVEL_LABELS = {
    1: _("省（自治区、直辖市）"),
    2: _("市（地区、州）"),
    3: _("县（市、区）"),
    4: _("乡镇（街道）"),
    5: _("村（社区）"),
}
NEXT_SUFFIX = "__next"

# Village committees are listed by their committee name (鸿山社区居委会); people know the place (鸿山社区).
_COMMITTEE_SUFFIXES = (("社区居民委员会", 5), ("社区居委会", 3), ("村民委员会", 4), ("村委会", 2))


def without_committee(name: str) -> str:
    """鸿山社区居委会 → 鸿山社区, 东村村委会 → 东村: the place rather than its committee."""
    for suffix, cut in _COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-cut]
    return name


def region_label(region: Region) -> str:
    """How a region reads in a picker or a list.

    Placeholders such as 市辖区 (the districts of a municipality) name no place; they stay selectable but carry
    the name of the place they belong to: 市辖区（北京市）.
    """
    name = region.name
    if name in PLACEHOLDER_NAMES:
        return f"{name}（{region.full_name}）" if region.full_name and region.full_name != name else name
    return without_committee(name)


def is_code(value: object) -> bool:
    return isinstance(value, str) and value.isdigit() and len(value) in codes.CODE_LENGTHS


class RegionSelect(forms.Widget):
    template_name = "regions/widgets/region_select.html"
    # The field's label becomes the <legend>; each level's <select> has its own <label>.
    use_fieldset = True

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, max_level: int = 5, root: str | None = None
    ) -> None:
        super().__init__(attrs)
        self.max_level = max_level
        self.root_code = root or None

    @property
    def start_level(self) -> int:
        return codes.level_of(self.root_code) + 1 if self.root_code else 1

    def levels(self) -> range:
        return range(self.start_level, self.max_level + 1)

    @staticmethod
    def level_key(name: str, level: int) -> str:
        return f"{name}_{level}"

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str) -> str:
        keys = [(level, self.level_key(name, level)) for level in self.levels()]
        if not any(key in data for _, key in keys):
            # A bookmarked or linked URL may carry the code itself: ?region=350203001001.
            return str(data.get(name) or "").strip()
        chosen = ""
        for level, key in keys:
            code = str(data.get(key) or "").strip()
            if not code:
                break
            parent = chosen or self.root_code or ""
            if (
                len(code) != codes.CODE_LENGTHS[level - 1]
                or not code.isdigit()
                or not code.startswith(parent)
            ):
                # Without JavaScript, changing an upper level leaves the old lower levels in the form: they no
                # longer fit, so the choice ends above them. Garbage with nothing usable before it goes to the
                # field, which reports it.
                return chosen or code
            chosen = code
        return chosen

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and not any(self.level_key(name, level) in data for level in self.levels())

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_{self.start_level}" if id_ else id_

    def format_value(self, value: Any) -> str:
        if isinstance(value, Region):
            return value.code
        return str(value).strip() if value not in (None, "") else ""

    def chain(self, code: str) -> list[str]:
        """The codes the picker shows as chosen: the prefixes of ``code`` below the root, down to max_level."""
        if not is_code(code) or (self.root_code and not code.startswith(self.root_code)):
            return []
        deepest = min(codes.level_of(code), self.max_level)
        return [code[: codes.CODE_LENGTHS[level - 1]] for level in range(self.start_level, deepest + 1)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        chain = self.chain(self.format_value(value))
        parents = [self.root_code, *chain][: len(self.levels())]
        # One query for every level's options: the children of each chosen region (provinces at the top).
        where = Q(parent_id__in=[p for p in parents if p])
        if self.root_code is None:
            where |= Q(level=Region.Level.PROVINCE)
        children: dict[str | None, list[Region]] = {}
        for region in memo.remembered(
            ("regions.picker", tuple(parents), self.root_code is None),
            lambda: list(
                Region.objects.filter(where).only("code", "name", "full_name", "parent_id").order_by("code")
            ),
        ):
            children.setdefault(region.parent_id, []).append(region)

        levels: list[dict[str, Any]] = []
        for index, level in enumerate(self.levels()):
            if index >= len(parents):
                break
            options = children.get(parents[index], [])
            if not options:
                break
            selected = chain[index] if index < len(chain) else ""
            if selected and selected not in {r.code for r in options}:
                selected = ""
            levels.append(
                {
                    "level": level,
                    "label": LEVEL_LABELS[level],
                    "name": self.level_key(name, level),
                    "id": f"{base_id}_{level}",
                    "options": [(r.code, region_label(r)) for r in options],
                    "selected": selected,
                }
            )
            if not selected:
                break
        context["widget"].update(
            {
                "levels": levels,
                "picker_id": f"{base_id}_picker",
                # Without JavaScript the user asks for the next level with this button.
                "next_name": f"{name}{NEXT_SUFFIX}",
                "show_next": bool(levels)
                and not levels[-1]["selected"]
                and levels[-1]["level"] < self.max_level,
                "children_url": reverse("regions:children"),
                "hx_vals": json.dumps(
                    {"picker": name, "id": base_id, "max_level": self.max_level, "root": self.root_code or ""}
                ),
            }
        )
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine rather than the form renderer's: the widget template lives in the
        # project's templates/ folder, which the default form renderer does not search.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308 (our own template)
