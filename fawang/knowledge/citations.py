"""Citations such as 《中华人民共和国法律援助法》第四十三条: resolve to an Article and render as a link."""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Value, When
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Law
from .search.segment import normalize_title

CITATION_RE = re.compile(
    r"《(?P<title>[^《》\n]{2,80})》\s*(?P<label>第[〇零一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?)?"
)
LAW_PREFIX = "中华人民共和国"


def _laws_titled(title: str) -> list[Law]:
    """Laws of this title, the version in force first, then newest."""
    bare = title.removeprefix(LAW_PREFIX)
    in_force_first = Case(
        When(status=Law.Status.IN_FORCE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    laws = Law.objects.filter(title__in=[title, bare, LAW_PREFIX + bare]).order_by(
        in_force_first, "-publish_date", "-pk"
    )
    return [law for law in laws if normalize_title(law.title) == normalize_title(title)]


def resolve(title: str, label: str | None = None) -> Law | Article | None:
    """The law (or its article) a citation names; laws published in parts (民法典) are searched whole."""
    laws = _laws_titled(title)
    if not laws:
        return None
    if not label:
        return laws[0]
    order = {law.pk: i for i, law in enumerate(laws)}
    found = sorted(
        Article.objects.select_related("law").filter(law__in=laws, label=label), key=lambda a: order[a.law_id]
    )
    return found[0] if found else None


def link_citations(text: str) -> SafeString:
    """Escape text and turn each resolvable citation into a link to the law or to the article's anchor."""
    out: list[str] = []
    pos = 0
    cache: dict[tuple[str, str | None], Law | Article | None] = {}
    for m in CITATION_RE.finditer(text):
        key = (m.group("title"), m.group("label"))
        if key not in cache:
            cache[key] = resolve(*key)
        target = cache[key]
        if target is None:
            continue
        out.append(escape(text[pos : m.start()]))
        out.append(format_html('<a class="law-cite" href="{}">{}</a>', target.get_absolute_url(), m.group(0)))
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - pieces are escaped or built with format_html
