"""The form renderer: Django's own templates, except that ``<select>``, ``<input>`` and a field's error list are
written in Python.

Django renders every ``<option>`` through two template includes, every ``<input>`` through three and every
error list (even an empty one) through two; a filter bar with nine fields spent more time there than the list
it filters took to query (bench_matters). The HTML written here is what Django's templates
(``django/forms/widgets/select.html``, ``input.html`` and the widgets that only include it,
``django/forms/errors/list/ul.html``) write, byte for byte (``test_formrenderer`` compares the two).
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

from .escaping import conditional_escape as _e

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "checkbox",
        "color",
        "date",
        "datetime",
        "time",
        "file",
    )
)
ERROR_LIST_TEMPLATES = frozenset(
    ("django/forms/errors/list/default.html", "django/forms/errors/list/ul.html")
)


def _attrs(attrs: dict[str, Any]) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_e(name)}")
        else:
            out.append(f' {_e(name)}="{_e(str(value))}"')
    return "".join(out)


def render_select(widget: dict[str, Any]) -> SafeString:
    parts = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_e(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{_e(option['label'])}</option>\n"  # the option template's last newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


def render_input(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    shown = f' value="{_e(str(value))}"' if value is not None else ""
    return mark_safe(  # noqa: S308 -- every value is escaped
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def render_error_list(errors: Any, error_class: str) -> SafeString:
    if not errors:
        return mark_safe("")
    field_id = f' id="{_e(errors.field_id)}_error"' if getattr(errors, "field_id", None) else ""
    items = "".join(f"<li>{_e(error)}</li>" for error in errors)
    return mark_safe(f'<ul class="{_e(error_class)}"{field_id}>{items}</ul>')  # noqa: S308


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in ERROR_LIST_TEMPLATES and set(context) == {"errors", "error_class"}:
            return render_error_list(context["errors"], context["error_class"])
        widget = context.get("widget")
        if (
            template_name in INPUT_TEMPLATES
            and widget is not None
            and widget["template_name"] == template_name
        ):
            return render_input(widget)
        if (
            template_name == SELECT_TEMPLATE
            and widget is not None
            and all(
                o["template_name"] == OPTION_TEMPLATE for _g, opts, _i in widget["optgroups"] for o in opts
            )
        ):
            return render_select(widget)
        return super().render(template_name, context, request)
