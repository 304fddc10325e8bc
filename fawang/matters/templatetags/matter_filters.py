"""The queue filter bar's fields, written in Python (fawang/lib/fields.py): the same HTML as
``{% for field in form %}{% include "components/field.html" %}{% endfor %}``, drawn on every list page."""

from __future__ import annotations

from django import template
from django.forms import Form
from django.utils.safestring import SafeString

from fawang.lib.fields import render_fields

register = template.Library()


@register.simple_tag
def filter_fields(form: Form) -> SafeString:
    """``{% filter_fields form %}``: every field of ``form``, as components/field.html draws it."""
    return render_fields(form)
