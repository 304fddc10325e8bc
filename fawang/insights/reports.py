"""Reports: the monthly report of a region as PDF (WeasyPrint, CJK fonts, like the notices in matters.pdf), every
table of the dashboard as Excel (openpyxl), and the public statistics (网上监督: counts, time limits kept and
satisfaction by district, no personal data)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.audit import actions as audit
from fawang.lib import xlsx
from fawang.orgs import authority
from fawang.orgs.models import Unit
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import figures, kpi, tilemap
from .access import get_region_for_user
from .models import ReportNote, Warning

WRITE_REPORT = "insights.write_report"


def month_period(value: str | None, today: dt.date | None = None) -> figures.Period:
    """``YYYY-MM`` (default: the last full month; the current month when none has passed yet)."""
    today = today or timezone.localdate()
    year, month = None, None
    if value and len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        year, month = int(value[:4]), int(value[5:])
        if not 1 <= month <= 12:
            year = month = None
    if year is None or month is None:
        first = today.replace(day=1) - dt.timedelta(days=1)
        year, month = first.year, first.month
    last = calendar.monthrange(year, month)[1]
    return figures.Period(dt.date(year, month, 1), min(dt.date(year, month, last), today))


def year_period(value: str | None, today: dt.date | None = None) -> figures.Period | None:
    """``YYYY`` as the year's period (up to today), or None."""
    today = today or timezone.localdate()
    if not (value and len(value) == 4 and value.isdigit()):
        return None
    year = int(value)
    if not 2000 <= year <= today.year:
        return None
    return figures.Period(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))


def report_period(params: Any) -> tuple[str, figures.Period]:
    """The report asked for: ``?year=YYYY`` the yearly report, otherwise the monthly one (``?month=YYYY-MM``)."""
    year = year_period(params.get("year"))
    if year is not None:
        return ReportNote.Kind.YEAR, year
    return ReportNote.Kind.MONTH, month_period(params.get("month"))


def note_for(region: Region, kind: str, period: figures.Period) -> ReportNote | None:
    return ReportNote.objects.filter(region=region, kind=kind, period_start=period.start).first()


NOTE_FIELDS = ("summary", "problems", "next_steps")
MAX_NOTE = 4000


@transaction.atomic
def save_note(
    *, actor: Any, region: Region, kind: str, period: figures.Period, texts: dict[str, str]
) -> ReportNote:
    """The supervisor's text blocks of a report (总体评价、存在问题、下步工作), audited."""
    if not authority.has_capability_in_region(actor, WRITE_REPORT, region.code):
        raise PermissionDenied(_("您的岗位无权编写该区划的报告。"))
    cleaned = {k: (texts.get(k) or "").strip() for k in NOTE_FIELDS}
    too_long = [k for k, v in cleaned.items() if len(v) > MAX_NOTE]
    if too_long:
        raise ValidationError({k: [_("内容不能超过 %(n)d 字。") % {"n": MAX_NOTE}] for k in too_long})
    note = (
        ReportNote.objects.select_for_update()
        .filter(region=region, kind=kind, period_start=period.start)
        .first()
    )
    before = audit.snapshot(note, list(NOTE_FIELDS)) if note else {}
    if note is None:
        note = ReportNote(region=region, kind=kind, period_start=period.start, updated_by=actor)
    for k, v in cleaned.items():
        setattr(note, k, v)
    note.updated_by = actor
    note.updated_at = timezone.now()
    note.save()
    audit.record(
        "insights.write_report",
        actor=actor,
        target=note,
        region=region.code,
        diff=audit.changes(before, audit.snapshot(note, list(NOTE_FIELDS))),
    )
    return note


def report_context(region: Region, period: figures.Period) -> dict[str, Any]:
    totals = figures.totals(region.code, period)
    items = figures.mix(region.code, period, "item")
    topics = figures.mix(region.code, period, "topic")[:10]
    top = max([r["received"] for r in items + topics] or [1]) or 1
    for row in items + topics:
        row["bar"] = round(row["received"] / top * 100, 1)
    warnings = Warning.objects.filter(
        figures.region_q("region_id", region.code),
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
    ).select_related("region", "topic")
    return {
        "region": region,
        "period": period,
        "totals": totals,
        "items": items,
        "topics": topics,
        "channels": figures.mix(region.code, period, "channel"),
        "ranking": figures.ranking(region.code, period),
        "units": figures.unit_ranking(region.code, period, limit=10),
        "warnings": warnings,
        "board": kpi.board(region.code, period),
        "made_at": timezone.localtime(),
    }


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


@require_GET
@staff_required
def monthly_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """月度报告 (``?month=YYYY-MM``) or 年度报告 (``?year=YYYY``) of the region as PDF, with the supervisor's text."""
    from weasyprint import HTML

    user = staff_user(request)
    region = get_region_for_user(user, code)
    kind, period = report_period(request.GET)
    context = {
        **report_context(region, period),
        "kind": kind,
        "kind_label": ReportNote.Kind(kind).label,
        "note": note_for(region, kind, period),
    }
    html = render_to_string("insights/report_pdf.html", context, request=request)
    data = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    stamp = f"{period.start:%Y}" if kind == ReportNote.Kind.YEAR else f"{period.start:%Y-%m}"
    name = f"report-{region.code}-{stamp}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


def _percent(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


@require_GET
@staff_required
def excel(request: HttpRequest, code: str) -> HttpResponse:
    """Every table of the region's month (or ?days=N) as one workbook, a sheet per table."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    days = request.GET.get("days")
    if days and days.isdigit() and int(days) in figures.PERIODS:
        period = figures.Period.last(int(days))
    else:
        period = report_period(request.GET)[1]
    ctx = report_context(region, period)
    sheets: list[xlsx.Sheet] = []
    rate_cols = [
        "受理登记",
        "办结",
        "按时办结",
        "超期",
        "评价",
        "好评",
        "差评",
        "投诉",
        "按时办结率(%)",
        "满意率(%)",
    ]

    def measures(row: dict[str, Any]) -> list[Any]:
        return [
            row["received"],
            row["completed"],
            row["on_time"],
            row["overdue"],
            row["rated"],
            row["good"],
            row["bad"],
            row["complaints"],
            _percent(row["on_time_rate"]),
            _percent(row["satisfaction"]),
        ]

    def sheet(title: str, head: list[str], rows: list[list[Any]]) -> None:
        widths = [max(10, len(h) * 2 + 2) for h in head]
        sheets.append(xlsx.Sheet(title, [head, *rows], bold_row=1, widths=widths))

    now, before = ctx["totals"]["now"], ctx["totals"]["year_before"]
    sheet(
        "总体",
        ["期间", *rate_cols],
        [[f"{period.start}至{period.end}", *measures(now)], ["上年同期", *measures(before)]],
    )
    sheet(
        "下级区划",
        ["区划", "常住人口", "每万人受理", *rate_cols],
        [[r["name"], r["population"], r["per_10k"], *measures(r)] for r in ctx["ranking"]],
    )
    sheet(
        "办理机构",
        ["机构", "所在区划", "每万人受理", *rate_cols],
        [[r["name"], r["region"], r["per_10k"], *measures(r)] for r in ctx["units"]],
    )
    for key, title in (("items", "服务事项"), ("topics", "所涉领域"), ("channels", "受理渠道")):
        sheet(title, [title, *rate_cols], [[r["name"], *measures(r)] for r in ctx[key]])
    sheet(
        "考核指标",
        ["指标", "目标", "实际", "分子", "分母", "是否达标", "未达标地区"],
        [
            [
                i.name,
                i.target * 100 if i.percent else i.target,
                (round(i.value * 100, 1) if i.percent else round(i.value, 2))
                if i.value is not None
                else None,
                i.part,
                i.whole,
                {True: "达标", False: "未达标", None: "无数据"}[i.met],
                "、".join(m["name"] for m in i.misses),
            ]
            for i in ctx["board"]
        ],
    )
    sheet(
        "风险预警",
        ["时间", "区划", "类型", "标题", "状态"],
        [
            [
                timezone.localtime(w.created_at).strftime("%Y-%m-%d %H:%M"),
                w.region.name,
                w.kind_label,
                w.title,
                w.get_status_display(),
            ]
            for w in ctx["warnings"]
        ],
    )
    response = xlsx.download(xlsx.workbook(sheets), f"insights-{region.code}-{period.start:%Y%m%d}.xlsx")
    return _private(response)


def public_regions() -> list[str]:
    """The districts and counties whose 司法局 is on the platform."""
    return sorted(
        set(
            Unit.objects.filter(
                kind=Unit.Kind.BUREAU, is_active=True, region__level=Region.Level.COUNTY
            ).values_list("region_id", flat=True)
        )
    )


@never_cache
@staff_required
def report_page(request: HttpRequest, code: str, status: int = 200) -> HttpResponse:
    """The report of a month or a year: choose it, write its text blocks, download it (PDF, Excel)."""
    user = staff_user(request)
    region = get_region_for_user(user, code)
    params = request.POST if request.method == "POST" else request.GET
    kind, period = report_period(params)
    note = note_for(region, kind, period)
    query = f"year={period.start:%Y}" if kind == ReportNote.Kind.YEAR else f"month={period.start:%Y-%m}"
    response = render(
        request,
        "insights/report.html",
        {
            "region": region,
            "kind": kind,
            "period": period,
            "note": note,
            "texts": {k: params.get(k, getattr(note, k, "")) for k in NOTE_FIELDS}
            if request.method == "POST"
            else {k: getattr(note, k, "") for k in NOTE_FIELDS},
            "query": query,
            "month_value": f"{period.start:%Y-%m}",
            "year_value": f"{period.start:%Y}",
            "may_write": authority.has_capability_in_region(user, WRITE_REPORT, region.code),
        },
    )
    response.status_code = status
    return response


@require_POST
@staff_required
def report_note_save(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    region = get_region_for_user(user, code)
    kind, period = report_period(request.POST)
    try:
        save_note(
            actor=user,
            region=region,
            kind=kind,
            period=period,
            texts={k: request.POST.get(k, "") for k in NOTE_FIELDS},
        )
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return report_page(request, code, status=400)
    messages.success(request, _("报告文字已保存。"))
    query = f"year={period.start:%Y}" if kind == ReportNote.Kind.YEAR else f"month={period.start:%Y-%m}"
    return redirect(reverse("insights:report", args=[region.code]) + "?" + query)


def public_region_or_404(code: str) -> Region:
    """A region the public statistics cover: a district/county whose 司法局 is on the platform, a town under one,
    or the city above one (villages are too small to publish)."""
    watched = public_regions()
    region = Region.objects.filter(code=code, level__lte=Region.Level.TOWN).first()
    if region is None or not any(w.startswith(code) or code.startswith(w) for w in watched):
        raise Http404
    return region


def public_summary(code: str, days: int = 30) -> dict[str, Any]:
    """The region's own figures of the last ``days`` (the portal's card and the region's public page)."""
    period = figures.Period.last(days)
    return {"period": period, **figures.with_rates(figures._sums(figures.facts(code, period)))}


def local_quality(user: Any) -> dict[str, Any] | None:
    """For a signed-in member of the public: the service quality of their own district (the district of their
    latest matter), for the portal's home page; None when there is none to show."""
    from fawang.matters.models import Matter

    if not getattr(user, "is_authenticated", False):
        return None
    latest = (
        Matter.objects.filter(person__user=user)
        .order_by("-submitted_at", "-pk")
        .values_list("region_id", flat=True)
        .first()
    )
    if not latest or latest[:6] not in public_regions():
        return None
    region = Region.objects.get(code=latest[:6])
    return {"region": region, **public_summary(region.code)}


def public_map(request: HttpRequest, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The tile map of the console's dashboard, for the public: the same sums as the table beside it, each tile
    linked to the place's public page; no warnings are marked (they are the supervisors')."""
    if not rows:
        return {}
    metric = tilemap.metric_of(request.GET.get("map"), rows)
    built = tilemap.build(rows, metric, lambda c: reverse("stats:region", args=[c]), set())
    return {**built, "query": "", "public": True}


@require_GET
@cache_page(300)
def public_region(request: HttpRequest, code: str) -> HttpResponse:
    """网上监督 of one place: its own service quality (the last 30 days and the last year) and that of the places
    directly under it, from the same daily facts; sums only, no personal data."""
    region = public_region_or_404(code)
    month = figures.Period.last(30)
    year = figures.Period.last(365)
    children = [c.code for c in figures.sub_regions(region.code)] if region.level < Region.Level.TOWN else []
    month_rows = figures.public_by_district(children, month)
    return render(
        request,
        "insights/public_region.html",
        {
            "region": region,
            "month": month,
            "year": year,
            "own": figures.public_by_district([region.code], month)
            + figures.public_by_district([region.code], year),
            "month_rows": month_rows,
            "map": public_map(request, month_rows),
            "parent": region.parent if region.parent_id and region.level > Region.Level.CITY else None,
        },
    )


@require_GET
@cache_page(300)
def public_stats(request: HttpRequest) -> HttpResponse:
    """网上监督: the last 30 days and the last 365 by district — counts, time limits kept, satisfaction; no one's
    matter, no personal data (only sums of the daily facts)."""
    regions = public_regions()
    month = figures.Period.last(30)
    year = figures.Period.last(365)
    month_rows = figures.public_by_district(regions, month)
    return render(
        request,
        "insights/public_stats.html",
        {
            "month": month,
            "year": year,
            "month_rows": month_rows,
            "map": public_map(request, month_rows),
            "year_rows": figures.public_by_district(regions, year),
        },
    )
