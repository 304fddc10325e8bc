"""``templates/components/field.html`` written in Python, for forms drawn on every request of a busy page.

The include costs about 0.2 ms a field before its control is drawn (a dozen variable look-ups and tag nodes);
the queue filter bar has nine fields on every list page (bench_matters). The HTML is what the template
writes, byte for byte, whitespace included (``test_fields`` renders both): change the two together.
The controls themselves come from the field as in the template (``str(field)``, the form renderer).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.forms import BoundField, Form
from django.utils.safestring import SafeString, mark_safe

from .escaping import conditional_escape

REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


def render_field(field: BoundField) -> SafeString:
    """One field as ``{% include "components/field.html" %}`` draws it."""
    if field.is_hidden:
        return mark_safe(f"{field}\n")  # noqa: S308 -- the widget's own escaped HTML
    errors = field.errors
    error_class = " field-error" if errors else ""
    label = conditional_escape(field.label)
    mark = REQUIRED_MARK if field.field.required else ""
    # help_text is HTML by Django's convention (the template's |safe).
    help_text = (
        f'<div class="helptext" id="{conditional_escape(field.auto_id)}_helptext">{field.help_text}</div>'
        if field.help_text
        else ""
    )
    if field.use_fieldset:
        described = field.aria_describedby
        described_attr = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        html = (
            f'\n<div class="field{error_class}">\n'
            f"  <fieldset{described_attr}>\n"
            f"    <legend>{label}{mark}</legend>\n"
            f"    {help_text}\n"
            f"    {errors}\n"
            f"    {field}\n"
            "  </fieldset>\n"
            "</div>\n"
        )
    elif field.widget_type == "checkbox":
        html = (
            f'\n<div class="field field-check{error_class}">\n'
            f"  {field}\n"
            f'  <label for="{conditional_escape(field.id_for_label)}">{label}</label>\n'
            f"  {help_text}\n"
            f"  {errors}\n"
            "</div>\n"
        )
    else:
        html = (
            f'\n<div class="field{error_class}">\n'
            f'  <label for="{conditional_escape(field.id_for_label)}">{label}{mark}</label>\n'
            f"  {help_text}\n"
            f"  {errors}\n"
            f"  {field}\n"
            "</div>\n"
        )
    return mark_safe(html + "\n")  # noqa: S308 -- labels and ids escaped; errors and controls are Django's HTML


def render_fields(fields: Form | Iterable[BoundField]) -> SafeString:
    """``{% for field in form %}{% include "components/field.html" %}{% endfor %}``."""
    return mark_safe("".join(render_field(f) for f in fields))  # noqa: S308 -- see render_field
