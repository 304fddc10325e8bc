"""``{% application_facts matter %}``: the online application's facts on the staff matter detail;
``{% apply_url item %}``: the "在线申请" link of one service item (the slot on a service guide page)."""

from __future__ import annotations

from typing import Any

from django import template

from fawang.catalog.models import ServiceItem

from ..access import application_of_matter
from ..console import facts_context
from ..definitions import apply_url as url_of

register = template.Library()


@register.inclusion_tag("applications/console/_facts.html", takes_context=True)
def application_facts(context: template.Context, matter: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return facts_context(user, application_of_matter(matter)) if user is not None else {"application": None}


@register.simple_tag
def apply_url(item: ServiceItem) -> str:
    """The item's online application page, or "" when it cannot be applied for on the web."""
    return url_of(item) or ""
