"""Matter lists: what a row of a matter table loads (LIST_FIELDS, for_list, page_rows), the workbench filter
(filter_matters, with its exact-match search) and what a row shows computed once in Python (decorate_rows,
time_state, STATUS_BADGES, remaining_text).

Not a view module: the workbench (views.py), the API's matter list (fawang.api) and any business line's own lists
use the same helpers, so a list shows and sorts a matter the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from fawang.calendar.workdays import workdays_between
from fawang.catalog.models import Channel, ServiceItem
from fawang.lib import codes
from fawang.lib.validators import mask_name
from fawang.orgs.models import Unit

from . import tracking
from .forms import MatterFilterForm
from .models import PERSON_PHONE_RE, Matter, Person, normalize_person_phone

# Status filters whose matters are over: listed newest first rather than by time limit.
CLOSED_FILTERS = frozenset(Matter.DONE_STATUSES + Matter.ENDED_STATUSES)


_QS = TypeVar("_QS", bound=QuerySet[Matter])


# What a matter table row shows (matter_tables._row, decorate_rows, time_state); the rest is never loaded.
LIST_FIELDS = (
    "tracking_no",
    "service_item_id",
    "topic_id",
    "topic__name",
    "person_id",
    "person__name",
    "person__phone",
    "status",
    "escalated_at",
    "step",
    "due_at",
    "warn_at",
    "clock_paused_at",
    "unit_id",
    "handler_id",
    "handler__display_name",
    "handler__username",
    "channel",
    "submitted_at",
)


def for_list(qs: _QS) -> _QS:
    """What the matter tables show, in a constant number of queries: the matters joined with their person,
    topic and handler (nullable, so joined, and the number of queries never depends on the rows), then the
    page's service items and units fetched by id. Joining all six tables in one query cost PostgreSQL more to
    plan (10-14 ms) than to run (1 ms) (bench_matters). Only the columns a row shows are read (LIST_FIELDS):
    fewer values to convert and fewer attributes to set per row."""
    return (
        qs.select_related("person", "topic", "handler")
        .only(*LIST_FIELDS)
        .prefetch_related(
            Prefetch("service_item", queryset=ServiceItem.objects.only("name")),
            Prefetch("unit", queryset=Unit.objects.only("name")),
        )
    )


def page_rows(page_qs: QuerySet[Matter]) -> list[Matter]:
    """The rows of one page in two steps: the page's ids in the list's order from the matters table alone, then
    those rows with what they show (for_list). A list matching a few thousand matters is sorted before anything
    is joined: joining person, topic and handler to every match and then keeping 50 cost PostgreSQL more than
    the rest of the page (bench_matters)."""
    ids = list(page_qs.values_list("pk", flat=True))
    found = {m.pk: m for m in for_list(Matter.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def time_state(matter: Matter, now: dt.datetime) -> tuple[str, str]:
    """(badge class, label) of the running step's time limit: 正常 / 临期 / 超期, or why no clock runs."""
    if matter.status not in Matter.OPEN_STATUSES:
        return "", ""
    if matter.clock_paused_at is not None or matter.status not in Matter.RUNNING_STATUSES:
        return "muted", _("暂停计时")
    if matter.due_at is None:
        return "muted", _("不计时")
    if matter.due_at < now:
        return "danger", _("超期")
    if matter.warn_at is not None and matter.warn_at <= now:
        return "warn", _("临期")
    return "ok", _("正常")


STATUS_BADGES: dict[str, str] = {
    Matter.Status.SUBMITTED: "warn",
    Matter.Status.ACCEPTED: "ok",
    Matter.Status.AWAITING_MATERIALS: "warn",
    Matter.Status.IN_PROGRESS: "ok",
    Matter.Status.SUSPENDED: "muted",
    Matter.Status.COMPLETED: "ok",
    Matter.Status.CLOSED: "muted",
    Matter.Status.REJECTED: "danger",
    Matter.Status.WITHDRAWN: "muted",
    Matter.Status.MERGED: "muted",
}


@dataclass(slots=True)
class MatterRow:
    """One row of a matter table: the matter, and what the row shows beside its own fields, computed once in
    Python (decorate_rows) so the template asks nothing of the database."""

    matter: Matter
    ts_class: str  # badge class of the running time limit ("ok", "warn", "danger", "muted"; "" when closed)
    ts_label: str  # 正常 / 临期 / 超期 / 暂停计时 / 不计时, or "" when the matter is closed
    status_class: str  # badge class of the status (STATUS_BADGES)
    status_label: str
    channel_label: str
    person_masked: str  # the person's name, masked: a list never shows it whole


def decorate_rows(matters: Iterable[Matter], now: dt.datetime) -> list[MatterRow]:
    """The rows the list templates show, computed once in Python (no queries)."""
    # get_status_display() hashes every choice's lazy label on each call: translate the labels once instead.
    statuses = {value: str(label) for value, label in Matter.Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    rows = []
    for m in matters:
        ts_class, ts_label = time_state(m, now)
        rows.append(
            MatterRow(
                matter=m,
                ts_class=ts_class,
                ts_label=ts_label,
                status_class=STATUS_BADGES.get(m.status, "muted"),
                status_label=statuses.get(m.status, m.status),
                channel_label=channels.get(m.channel, m.channel),
                person_masked=mask_name(m.person.name),
            )
        )
    return rows


def remaining_text(matter: Matter, now: dt.datetime) -> str:
    """ "剩余 3 个工作日" / "今日到期" / "已超期 2 个工作日", counted like the deadlines themselves."""
    if matter.due_at is None or matter.status not in Matter.OPEN_STATUSES:
        return ""
    if matter.clock_paused_at is not None:
        return _("计时暂停中（待补正或中止期间不计入时限）")
    days = workdays_between(now, matter.due_at)
    if matter.due_at < now:
        late = max(workdays_between(matter.due_at, now), 0)
        if late == 0:
            return _("已超期（不足 1 个工作日）")
        return _("已超期 %(n)s 个工作日") % {"n": late}
    if days <= 0:
        hours = max(int((matter.due_at - now).total_seconds() // 3600), 0)
        return _("今日到期（还有约 %(h)s 小时）") % {"h": hours}
    return _("剩余 %(n)s 个工作日") % {"n": days}


def search_matters(qs: QuerySet[Matter], q: str) -> tuple[QuerySet[Matter], str | None]:
    """Exact look-ups only: the tracking number, the ID number through its keyed hash, the phone as stored.
    Personal data is never searched by substring (the ID number is encrypted; a LIKE could not use it)."""
    number = tracking.normalize(q)
    if tracking.is_valid(number):
        return qs.filter(tracking_no=number), None
    compact = re.sub(r"[\s-]", "", q).upper()
    if re.fullmatch(r"\d{17}[\dX]", compact):
        return qs.filter(person__id_number_hash=Person.hash_id_number(compact)), None
    phone = normalize_person_phone(q)
    if PERSON_PHONE_RE.match(phone):
        return qs.filter(person__phone=phone), None
    if number.startswith("FW") and len(number) == tracking.LENGTH:
        return qs.none(), _("受理编号校验不通过，请核对后重新输入。")
    return qs.none(), _("请输入完整的受理编号、联系电话或身份证号码。")


def filter_matters(
    qs: QuerySet[Matter], data: dict[str, Any], now: dt.datetime
) -> tuple[QuerySet[Matter], str | None]:
    error = None
    if data.get("q"):
        qs, error = search_matters(qs, data["q"].strip())
    status = data.get("status")
    if status == MatterFilterForm.STATUS_OPEN:
        qs = qs.filter(status__in=Matter.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if data.get("item"):
        qs = qs.filter(service_item=data["item"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("topic"):
        qs = qs.filter(topic=data["topic"])
    if data.get("region"):
        qs = qs.filter(codes.under("region_id", data["region"].code))
    running = Q(status__in=Matter.RUNNING_STATUSES, clock_paused_at__isnull=True)
    timing = Q(pk__in=[])
    if data.get("due_soon"):
        timing |= running & Q(warn_at__lte=now, due_at__gte=now)
    if data.get("overdue"):
        timing |= running & Q(due_at__lt=now)
    if data.get("due_soon") or data.get("overdue"):
        qs = qs.filter(timing)
    if data.get("sort") == "new" or status in CLOSED_FILTERS:
        # Ended matters have no running time limit: newest first.
        qs = qs.order_by("-submitted_at", "-pk")
    else:
        qs = qs.order_by(F("due_at").asc(nulls_last=True), "-submitted_at", "-pk")
    return qs, error
