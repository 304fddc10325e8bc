"""The supervisor's pages: the dashboard of a region (figures from the daily facts, charts drawn by
static/js/insights.js from the ``data`` endpoint), the drill-down to the matters behind a figure, hotspots with
their causes, the KPI board, reports (PDF, Excel), and the warnings with their loop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.audit.models import AuditEvent
from fawang.catalog.models import Channel, ServiceItem
from fawang.lib.paging import CappedPaginator
from fawang.lib.validators import mask_name
from fawang.matters.models import Matter
from fawang.orgs import authority
from fawang.orgs.models import Speciality, Unit
from fawang.orgs.web import staff_required, staff_user

from . import actions, figures, hotspots, kpi, plans, tilemap, warnings
from .access import (
    default_region,
    get_region_for_user,
    get_warning_for_user,
    require_viewer,
    warnings_for_user,
)
from .models import RollupState, Warning

PER_PAGE = 30
MEASURE_LABELS = {
    "received": "受理登记",
    "completed": "办结",
    "overdue": "超期",
    "bad": "差评",
    "complaints": "投诉",
}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The dashboard's filters from the query string; anything not recognised is ignored."""
    got: dict[str, Any] = {}
    item, topic = _int(request.GET.get("item")), _int(request.GET.get("topic"))
    if item:
        got["service_item_id"] = item
    if topic:
        got["topic_id"] = topic
    channel = request.GET.get("channel") or ""
    if channel in Channel.values:
        got["channel"] = channel
    return got


def _period(request: HttpRequest) -> figures.Period:
    days = _int(request.GET.get("days")) or figures.DEFAULT_DAYS
    if days not in figures.PERIODS:
        days = figures.DEFAULT_DAYS
    return figures.Period.last(days)


def _query(request: HttpRequest, **extra: Any) -> str:
    params: dict[str, Any] = {
        k: v for k, v in request.GET.items() if k in ("days", "item", "topic", "channel") and v
    }
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


@never_cache
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_viewer(user)
    return redirect("insights:dashboard", default_region(user))


@never_cache
@staff_required
def plans_home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_viewer(user)
    return redirect("insights:plans", default_region(user))


def _plan_context(code: str) -> dict[str, Any]:
    """This year's plan of the region and its tasks' progress (the dashboard's and KPI board's card)."""
    plan = plans.current_plan(code)
    return {"plan": plan, "plan_rows": plans.rows(plan) if plan else []}


@never_cache
@staff_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    region = get_region_for_user(user, code)
    period = _period(request)
    filters = _filters(request)
    open_warnings = (
        warnings_for_user(user)
        .filter(region__code__startswith=region.code, status__in=Warning.OPEN_STATUSES)
        .select_related("region", "topic")[:20]
    )
    matters_url = reverse("insights:matters", args=[region.code])
    got = figures.cached(
        "dashboard", region.code, period, filters, lambda: _dashboard_figures(region.code, period, filters)
    )
    ranking = got["ranking"]
    query = _query(request)
    return render(
        request,
        "insights/dashboard.html",
        {
            "region": region,
            "period": period,
            "days": period.days,
            "periods": figures.PERIODS,
            "totals": got["totals"],
            "ranking": ranking,
            "map": _tile_map(request, region.code, ranking, query),
            "units": got["units"],
            "warnings": open_warnings,
            "data_url": reverse("insights:data", args=[region.code]) + "?" + _query(request),
            "matters_url": matters_url,
            "query": query,
            "items": got["items"],
            "topics": got["topics"],
            "channels": Channel.choices,
            "filters": {k: str(v) for k, v in request.GET.items()},
            "parent": region.parent if region.parent_id and _reaches(user, region.parent_id) else None,
            **_plan_context(region.code),
        },
    )


def _dashboard_figures(code: str, period: figures.Period, filters: dict[str, Any]) -> dict[str, Any]:
    ranking, now = figures.ranking_and_sums(code, period, **filters)
    before = figures.sums(code, period.year_before(), **filters)
    return {
        "totals": {"now": figures.with_rates(now), "year_before": figures.with_rates(before)},
        "ranking": ranking,
        "units": figures.unit_ranking(code, period, **filters),
        # The filters' choices, kept with the figures (like the names in them, never older than CACHE_SECONDS).
        "items": list(ServiceItem.objects.order_by("order", "pk").values_list("pk", "name")),
        "topics": list(Speciality.objects.values_list("pk", "name")),
    }


def _data_figures(code: str, period: figures.Period, filters: dict[str, Any]) -> dict[str, Any]:
    trend, totals = figures.trend_and_totals(code, period, **filters)
    return {
        "totals": totals,
        "trend": trend,
        "mix": figures.mixes(code, period, **filters),
        "ranking": figures.ranking(code, period, **filters),
    }


def _tile_map(request: HttpRequest, code: str, ranking: list[dict[str, Any]], query: str) -> dict[str, Any]:
    """The map of the places under the region (``tilemap``), from the ranking's figures; a place with an open
    hotspot warning (in it or under it) is marked."""
    if not ranking:
        return {}
    length = len(ranking[0]["code"])
    hot_regions = Warning.objects.filter(
        figures.region_q("region_id", code), kind=Warning.Kind.HOTSPOT, status__in=Warning.OPEN_STATUSES
    ).values_list("region_id", flat=True)
    hot = {r[:length] for r in hot_regions if len(r) >= length}
    metric = tilemap.metric_of(request.GET.get("map"), ranking)
    keep = f"{query}&map={metric}" if query else f"map={metric}"
    built = tilemap.build(
        ranking, metric, lambda c: reverse("insights:dashboard", args=[c]) + "?" + keep, hot
    )
    built["query"] = query
    return built


def _reaches(user: Any, code: str) -> bool:
    return authority.has_capability_in_region(user, "insights.view", code)


@never_cache
@require_GET
@staff_required
def data(request: HttpRequest, code: str) -> JsonResponse:
    """The charts' data (JSON), each point with the address of the matters behind it."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    period = _period(request)
    filters = _filters(request)
    base = reverse("insights:matters", args=[region.code])

    def drill(**extra: Any) -> str:
        return base + "?" + _query(request, **extra)

    got = figures.cached(
        "data", region.code, period, filters, lambda: _data_figures(region.code, period, filters)
    )
    mixes = {}
    for dimension, found in got["mix"].items():
        mixes[dimension] = [
            {**row, "url": drill(**{dimension: row["key"]}) if row["key"] != "" else ""} for row in found
        ]
    query = _query(request)
    ranking = [
        {**row, "url": reverse("insights:dashboard", args=[row["code"]]) + "?" + query}
        for row in got["ranking"]
    ]
    return JsonResponse(
        {
            "region": region.code,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "totals": got["totals"],
            "trend": {**got["trend"], "url": drill()},
            "mix": mixes,
            "ranking": ranking,
        }
    )


@never_cache
@staff_required
def matters(request: HttpRequest, code: str) -> HttpResponse:
    """The matters behind a figure: the region's matters of the period (and item, topic, channel, unit), by the
    figure's measure (received, completed, overdue, badly rated, complained about)."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    period = _period(request)
    filters = _filters(request)
    measure = request.GET.get("measure") or "received"
    if measure not in MEASURE_LABELS:
        measure = "received"
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(period.start, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    qs = Matter.objects.visible_to(user).filter(figures.region_q("region_id", region.code))
    when = {
        "received": "submitted_at",
        "completed": "completed_at",
        "overdue": "escalated_at",
        "bad": "evaluation__created_at",
        "complaints": "complaints_about__matter__submitted_at",
    }[measure]
    qs = qs.filter(**{f"{when}__gte": lo, f"{when}__lt": hi})
    if measure == "bad":
        qs = qs.filter(evaluation__level__lte=2)
    qs = qs.filter(**filters)
    unit = _int(request.GET.get("unit"))
    if unit:
        qs = qs.filter(unit_id=unit)
    qs = qs.select_related("service_item", "unit", "topic", "person", "region").order_by(
        "-submitted_at", "-pk"
    )
    page = CappedPaginator(qs.distinct(), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for m in rows:
        m.person_masked = mask_name(m.person.name)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "insights/matters.html",
        {
            "region": region,
            "period": period,
            "measure": measure,
            "measure_label": _(MEASURE_LABELS[measure]),
            "page_obj": page,
            "rows": rows,
            "qs": params.urlencode(),
            "dashboard_url": reverse("insights:dashboard", args=[region.code]) + "?" + _query(request),
        },
    )


@never_cache
@staff_required
def hotspot_list(request: HttpRequest, code: str) -> HttpResponse:
    """热点问题、热点区域及形成原因: the hotspots the scheduler's hourly scan found under the region — those of the last
    week and any still open — each with the causes stored when it was raised. The page reads those warnings only
    (the scan tests the facts and reads the matters' text once, not on every view)."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    as_of = timezone.localdate()
    recent = as_of - dt.timedelta(days=hotspots.WINDOW_DAYS - 1)
    found = list(
        Warning.objects.filter(figures.region_q("region_id", region.code), kind=Warning.Kind.HOTSPOT)
        .filter(Q(status__in=Warning.OPEN_STATUSES) | Q(period_end__gte=recent))
        .select_related("region", "topic")
        .order_by("-period_end", "-observed", "pk")[:50]
    )
    example_ids = [e["id"] for w in found for e in (w.explanation or {}).get("examples", [])]
    visible = set(Matter.objects.visible_to(user).filter(pk__in=example_ids).values_list("pk", flat=True))
    rows = []
    for w in found:
        why = dict(w.explanation or {})
        rows.append(
            {
                "warning": w,
                "region_name": w.region.full_name,
                "topic_name": w.topic.name if w.topic else why.get("topic_name", ""),
                "observed": int(w.observed),
                "expected": w.expected,
                "p_value": w.p_value,
                "phrases": why.get("phrases", []),
                "places": why.get("places", []),
                "units": why.get("units", []),
                "items": why.get("items", []),
                "channels": why.get("channels", []),
                "drill": reverse("insights:matters", args=[w.region_id])
                + "?"
                + urlencode({"days": hotspots.WINDOW_DAYS, "topic": w.topic_id or ""}),
                "examples": [
                    {**e, "url": reverse("matters:detail", args=[e["id"]])}
                    for e in why.get("examples", [])
                    if e.get("id") in visible
                ],
            }
        )
    scanned = RollupState.objects.filter(name="warnings").values_list("refreshed_at", flat=True).first()
    return render(
        request,
        "insights/hotspots.html",
        {
            "region": region,
            "hotspots": rows,
            "as_of": as_of,
            "scanned": scanned,
            "window": hotspots.WINDOW_DAYS,
            "weeks": hotspots.HISTORY_WEEKS,
            "alpha": hotspots.ALPHA,
            "min_count": hotspots.MIN_COUNT,
        },
    )


@never_cache
@staff_required
def kpi_board(request: HttpRequest, code: str) -> HttpResponse:
    """考核: the seeds' indicators of the region and of each place under it, with the places that miss them."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    board = kpi.board(region.code, figures.Period.last(_int(request.GET.get("days")) or 90))
    return render(
        request, "insights/kpi.html", {"region": region, "board": board, **_plan_context(region.code)}
    )


# --------------------------------------------------------------------------------------------- warnings


@never_cache
@staff_required
def warning_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    qs = warnings_for_user(user).select_related("region", "topic", "assigned_unit")
    state = request.GET.get("state") or "open"
    if state == "open":
        qs = qs.filter(status__in=Warning.OPEN_STATUSES)
    elif state == "closed":
        qs = qs.filter(status=Warning.Status.CLOSED)
    page = CappedPaginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/warnings.html",
        {
            "page_obj": page,
            "rows": list(page.object_list),
            "state": state,
            "now": timezone.now(),
        },
    )


@never_cache
@staff_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    units = Unit.objects.filter(authority.units_filter(user), is_active=True)
    units = units.filter(figures.region_q("region_id", warning.region_id[:6])).order_by("kind", "name")[:300]
    history = AuditEvent.objects.filter(target_type="insights.warning", target_id=str(warning.pk)).order_by(
        "created_at", "pk"
    )
    explanation = dict(warning.explanation or {})
    examples = []
    for e in explanation.get("examples", []):
        if Matter.objects.visible_to(user).filter(pk=e["id"]).exists():
            examples.append({**e, "url": reverse("matters:detail", args=[e["id"]])})
    drill = ""
    if warning.topic_id:
        drill = (
            reverse("insights:matters", args=[warning.region_id])
            + "?"
            + urlencode({"days": 7, "topic": warning.topic_id})
        )
    return render(
        request,
        "insights/warning.html",
        {
            "warning": warning,
            "line": _line_context(warning),
            "units": units,
            "history": history,
            "explanation": explanation,
            "examples": examples,
            "drill": drill,
            "plan_url": _plan_url(warning),
            "may_handle": authority.has_capability_in_region(
                user, "insights.handle_warning", warning.region_id
            ),
        },
    )


def _line_context(warning: Warning) -> dict[str, Any] | None:
    """A line's own warning behind this one: still open there, and its page in the line's console."""
    found = warnings.line_row(warning)
    if found is None:
        return None
    source, row = found
    try:
        url = reverse(source.url_name, args=[warning.source_pk])
    except NoReverseMatch:
        url = ""
    return {"open": warnings.line_still_open(source, row), "url": url}


def _plan_url(warning: Warning) -> str:
    if warning.kind != Warning.Kind.PLAN:
        return ""
    plan = plans.current_plan(warning.region_id, warning.period_end)
    return (
        reverse("insights:plan", args=[plan.pk])
        if plan
        else reverse("insights:plans", args=[warning.region_id])
    )


def _act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    try:
        if step == "acknowledge":
            actions.do_acknowledge(warning.pk, actor=user)
            messages.success(request, _("已签收。"))
        elif step == "assign":
            unit_id = _int(request.POST.get("unit"))
            unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
            if unit is None:
                raise ValidationError(_("请选择交办单位。"))
            actions.do_assign(warning.pk, actor=user, unit=unit, note=request.POST.get("note", ""))
            messages.success(request, _("已交办给%(unit)s。") % {"unit": unit.name})
        elif step == "note":
            actions.do_note(warning.pk, actor=user, text=request.POST.get("text", ""))
            messages.success(request, _("已记录处置情况。"))
        else:
            actions.do_close(warning.pk, actor=user, text=request.POST.get("text", ""))
            messages.success(request, _("预警已办结。"))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return render_detail_again(request, pk, status=400)
    except PermissionDenied:
        raise
    return redirect("insights:warning", pk)


def render_detail_again(request: HttpRequest, pk: int, status: int) -> HttpResponse:
    response = warning_detail(request, pk)
    response.status_code = status
    return response


@require_POST
@staff_required
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "acknowledge")


@require_POST
@staff_required
def warning_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "assign")


@require_POST
@staff_required
def warning_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "note")


@require_POST
@staff_required
def warning_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")
