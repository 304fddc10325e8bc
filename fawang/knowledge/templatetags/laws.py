from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.template.defaulttags import CsrfTokenNode
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fawang.lib.fields import render_field

from ..citations import link_citations
from ..models import Article, KnowledgeEntry, Law
from ..results import Result

register = template.Library()


@register.filter
def cite_laws(text: str) -> SafeString:
    """{{ text|cite_laws }}: escape text and link citations such as 《中华人民共和国法律援助法》第四十三条."""
    return link_citations(str(text or ""))


STATUS_BADGE: dict[str, str] = {
    Law.Status.IN_FORCE: "badge-ok",
    Law.Status.NOT_YET: "badge-info",
    Law.Status.AMENDED: "badge-warn",
}


# The choices' labels by value (get_FOO_display looks them up through the field's flattened choices on every call).
STATUS_LABEL = dict(Law.Status.choices)
LEVEL_LABEL = dict(Law.Level.choices)


@register.filter
def status_badge(law: Law) -> SafeString:
    """{{ law|status_badge }}: the law's status as a coloured badge (有效 green, 尚未生效 blue, 已修改 amber, 已废止 red)."""
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGE.get(law.status, "badge-danger"),
        STATUS_LABEL.get(law.status, law.status),
    )


@register.simple_tag
def field(bound: BoundField) -> SafeString:
    """{% field form.q %}: one field as ``{% include "components/field.html" with field=form.q %}`` draws it, written
    in Python (fawang/lib/fields.py): the search page draws nine on every search."""
    return render_field(bound)


def _feedback(context: template.Context, article: Article | None, entry: KnowledgeEntry | None) -> SafeString:
    """“这条有帮助吗” under one result (an article, or else a guide/FAQ/case): posts to ``feedback_url`` and comes back
    to ``next_url``, both worked out once by the view.  Only the result's id differs from one result to the next, so
    the rest is written once per page and question (kept in the render context)."""
    key = f"laws.feedback:{context.get('q', '')}"
    parts = context.render_context.get(key)
    if parts is None:
        head = format_html(
            '<form method="post" action="{url}" class="feedback" hx-post="{url}" hx-swap="outerHTML">{csrf}\n'
            '  <input type="hidden" name="q" value="{q}"><input type="hidden" name="next" value="{next}">\n',
            url=context.get("feedback_url", ""),
            csrf=CsrfTokenNode().render(context),  # what {% csrf_token %} writes
            q=context.get("q", ""),
            next=context.get("next_url", ""),
        )
        tail = format_html(
            '  <span class="muted">{ask}</span>\n'
            '  <button type="submit" name="helpful" value="yes" class="btn">{yes}</button>\n'
            '  <button type="submit" name="helpful" value="no" class="btn">{no}</button>\n'
            "</form>\n",
            ask=_("这条有帮助吗？"),
            yes=_("有帮助"),
            no=_("没帮助"),
        )
        parts = context.render_context[key] = (head, tail)
    which = (
        ("article", article.pk) if article is not None else ("entry", entry.pk if entry is not None else "")
    )
    return parts[0] + format_html('  <input type="hidden" name="{}" value="{}">\n', *which) + parts[1]


@register.simple_tag(takes_context=True)
def feedback_form(
    context: template.Context, *, q: str, article: Article | None = None, entry: KnowledgeEntry | None = None
) -> SafeString:
    """{% feedback_form q=… article=… %} or {% feedback_form q=… entry=… %}: the “这条有帮助吗” form of one result."""
    with context.push(q=q):
        return _feedback(context, article, entry)


@register.simple_tag(takes_context=True)
def law_hit(context: template.Context, r: Result, *, q: str, title_only: bool = False) -> SafeString:
    """{% law_hit r q=… title_only=… %}: one article found, as a card: the law and article linked, its status, level,
    region, date and section, the snippet with the matched words marked, why it matched and the feedback form.

    Written in Python rather than as template markup: the search page draws ten on every search, and the template's
    look-ups, filters and includes cost more than the search itself."""
    a = r.article
    law = a.law
    facts: list[Any] = [status_badge(law), " ", LEVEL_LABEL.get(law.level, law.level)]
    if law.region_name:
        facts += [" · ", law.region_name]
    if law.publish_date:
        facts += [" · ", _("%(date)s 公布") % {"date": date_format(law.publish_date, "Y-m-d")}]
    if a.section and not title_only:
        facts += [" · ", a.section]
    why = r.why if not title_only else []
    with context.push(q=q):
        feedback = _feedback(context, a, None) if not title_only else ""
    return format_html(
        '<li class="card law-hit">\n'
        '      <h3><a href="{href}">《{title}》{label}</a></h3>\n'
        '      <p class="muted">{facts}</p>\n'
        '      <p class="snippet">{snippet}</p>\n'
        "      {why}\n"
        "      {feedback}\n"
        "    </li>\n",
        href=law.get_absolute_url() if title_only else a.get_absolute_url(),
        title=law.full_title,
        label="" if title_only else a.label,
        facts=mark_safe("".join(conditional_escape(x) for x in facts)),  # noqa: S308 - every piece escaped
        snippet=r.snippet,
        why=format_html('<p class="why muted">{}{}</p>', _("匹配原因："), "；".join(why)) if why else "",
        feedback=feedback,
    )
