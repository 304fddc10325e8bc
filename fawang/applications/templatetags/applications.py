"""``{% apply_url item %}``: the "在线申请" link of one service item (the slot on a service guide page). The
online application's facts on the staff matter page are its panel there (apps.py, fawang.matters.lines)."""

from __future__ import annotations

from django import template

from fawang.catalog.models import ServiceItem

from ..definitions import apply_url as url_of

register = template.Library()


@register.simple_tag
def apply_url(item: ServiceItem) -> str:
    """The item's online application page, or "" when it cannot be applied for on the web."""
    return url_of(item) or ""
