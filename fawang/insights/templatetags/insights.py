"""Small formatting tags of the supervision pages: a rate as a percentage, a change against last year."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def percent(value: float | None, digits: int = 1) -> str:
    """0.9512 → 95.1%; None (nothing rated / completed) → —."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.simple_tag
def change(now: int, before: int) -> str:
    """（+12.5%） against last year's figure; nothing when last year had none."""
    if not before:
        return ""
    delta = (now - before) / before * 100
    return format_html("（{}{}%）", "+" if delta >= 0 else "", f"{delta:.1f}")


@register.simple_tag
def pvalue(value: float | None) -> str:
    if value is None:
        return "—"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"
