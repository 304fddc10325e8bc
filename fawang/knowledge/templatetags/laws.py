from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..citations import link_citations

register = template.Library()


@register.filter
def cite_laws(text: str) -> SafeString:
    """{{ text|cite_laws }}: escape text and link citations such as 《中华人民共和国法律援助法》第四十三条."""
    return link_citations(str(text or ""))
