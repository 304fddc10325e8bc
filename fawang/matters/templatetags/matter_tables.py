"""The rows of the matter tables, written in Python.

A queue page shows 50 rows; through the template language each row cost about 0.4 ms (a URL reversal, two
date filters, a translated label, a dozen variable look-ups), which was most of the page (bench_matters).
``templates/matters/_matter_table.html`` keeps the table's frame; the rows come from here. Every value is
escaped (``_e``: fawang.lib.escaping.escape, what Django's escape does); format_html's per-argument checks cost
as much again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fawang.lib.escaping import escape as _e
from fawang.matters.listing import MatterRow

register = template.Library()

# reverse() once per page: the detail URL with a marker where the id goes.
_MARK = "987654321"


def _local(value: Any, fmt: str, tz: dt.tzinfo) -> str:
    # astimezone with the page's zone: timezone.localtime() looks the current zone up again for every value.
    return value.astimezone(tz).strftime(fmt) if value else ""


def _row(row: MatterRow, url_pattern: str, selectable: bool, labels: dict[str, str], tz: dt.tzinfo) -> str:
    m = row.matter
    pick = ""
    if selectable:
        pick = (
            f'<td><input type="checkbox" name="ids" value="{m.pk}" form="bulk-assign" id="pick-{m.pk}" '
            f'aria-label="{_e(labels["pick"] % {"no": m.tracking_no})}"></td>'
        )
    # A missing topic or handler is None without a query (its id is None); a present one was joined (for_list).
    topic = f'<div class="muted">{_e(m.topic.name)}</div>' if m.topic is not None else ""
    is_open = m.is_open
    escalated = (
        f' <span class="badge badge-danger">{_e(labels["escalated"])}</span>'
        if m.escalated_at and is_open
        else ""
    )
    timing = f'<span class="badge badge-{_e(row.ts_class)}">{_e(row.ts_label)}</span>' if row.ts_label else ""
    due = f'<div class="muted">{_local(m.due_at, "%m-%d %H:%M", tz)}</div>' if m.due_at and is_open else ""
    handler_user = m.handler
    handler = (
        f'<div class="muted">{_e(handler_user.display_name or handler_user.username)}</div>'
        if handler_user is not None
        else ""
    )
    return (
        f"<tr>{pick}"
        f'<td class="nowrap"><a href="{_e(url_pattern.replace(_MARK, str(m.pk)))}">{_e(m.tracking_no)}</a></td>'
        f"<td>{_e(m.service_item.name)}{topic}</td>"
        f'<td class="nowrap">{_e(row.person_masked)}<div class="muted">{_e(m.person.phone_masked)}</div></td>'
        f'<td><span class="badge badge-{_e(row.status_class)}">{_e(row.status_label)}</span>{escalated}</td>'
        f'<td class="nowrap">{timing}{due}</td>'
        f"<td>{_e(m.unit.name)}{handler}</td>"
        f'<td class="nowrap">{_e(row.channel_label)}</td>'
        f'<td class="nowrap">{_local(m.submitted_at, "%Y-%m-%d %H:%M", tz)}</td>'
        "</tr>\n"
    )


@register.simple_tag
def matter_rows(rows: Iterable[MatterRow], selectable: Any = False) -> SafeString:
    """``{% matter_rows rows selectable %}``: the <tr> of each row made by listing.decorate_rows."""
    url_pattern = reverse("matters:detail", args=[int(_MARK)])
    labels = {"pick": _("选择 %(no)s"), "escalated": _("督办")}
    tz = timezone.get_current_timezone()
    return mark_safe(  # noqa: S308 -- every value in a row is escaped by _e
        "".join(_row(row, url_pattern, bool(selectable), labels, tz) for row in rows)
    )
