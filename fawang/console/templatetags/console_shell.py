"""The console layout's side navigation and unit switcher, written in Python.

They are on every console page; through the template language (a regroup, two nested loops, a lookup of the
role label through ``get_role_display`` per membership) they cost about as much as a page's whole filter bar
(bench_matters). The HTML is what the template fragments they replaced in ``console/base.html`` wrote, byte
for byte, whitespace included (``test_shell`` renders both): change them together.
"""

from __future__ import annotations

from itertools import groupby

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fawang.lib.escaping import escape as _e
from fawang.orgs.models import Membership

register = template.Library()


@register.simple_tag(takes_context=True)
def console_sidenav(context: template.Context) -> SafeString:
    """The <nav> of ``console_nav`` (fawang/console/nav.py), its consecutive entries of one section grouped."""
    nav = context.get("console_nav")
    if not nav:
        return mark_safe("")
    # gettext outside the f-strings: makemessages (xgettext) does not look inside them.
    label, toggle = _("工作台导航"), _("菜单")
    out = [
        f'\n  <nav class="sidenav" id="console-nav" aria-label="{_e(label)}">\n'
        '    <button type="button" class="nav-toggle" aria-expanded="false" aria-controls="console-nav-groups">'
        f"{_e(toggle)}</button>\n"
        '    <div class="nav-groups" id="console-nav-groups">\n      \n      '
    ]
    for counter, (section, items) in enumerate(groupby(nav, key=lambda item: item["section"]), start=1):
        heading = f'<h2 id="nav-section-{counter}">{_e(section)}</h2>' if section else ""
        labelled = f' aria-labelledby="nav-section-{counter}"' if section else ""
        out.append(
            f'\n      <div class="nav-section">\n        {heading}\n        <ul{labelled}>\n          '
        )
        for item in items:
            current = ' aria-current="page"' if item["active"] else ""
            out.append(
                f'\n          <li><a href="{_e(item["url"])}"{current}>{_e(item["label"])}</a></li>\n          '
            )
        out.append("\n        </ul>\n      </div>\n      ")
    out.append("\n    </div>\n  </nav>\n  ")
    return mark_safe("".join(out))  # noqa: S308 -- every value is escaped


@register.simple_tag(takes_context=True)
def unit_switcher(context: template.Context) -> SafeString:
    """The form to change the current unit, for a user with two or more memberships (``user_memberships``)."""
    rows = context.get("user_memberships") or []
    if len(rows) <= 1:
        return mark_safe("")
    current = context.get("current_unit")
    roles = {value: str(label) for value, label in Membership.Role.choices}
    options = "".join(
        f'\n        <option value="{m.unit.pk}"{" selected" if current and m.unit.pk == current.pk else ""}>'
        f"{_e(m.unit.name)}（{_e(roles.get(m.role, m.role))}）</option>\n        "
        for m in rows
    )
    label, button = _("切换单位"), _("切换")
    return mark_safe(  # noqa: S308 -- every value is escaped; the csrf input is Django's
        f'\n    <form method="post" action="{_e(reverse("console:switch_unit"))}" class="unit-switch">\n'
        f"      {CsrfTokenNode().render(context)}\n"
        f'      <label class="visually-hidden" for="unit-switch-select">{_e(label)}</label>\n'
        '      <select id="unit-switch-select" name="unit" data-autosubmit>\n        '
        f"{options}\n"
        "      </select>\n"
        f'      <button type="submit" class="header-btn">{_e(button)}</button>\n'
        "    </form>\n    "
    )
