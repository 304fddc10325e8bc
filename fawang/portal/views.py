from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from fawang.info import directory, guides
from fawang.insights import reports as insights_reports
from fawang.orgs.models import Unit
from fawang.regions.widgets import NEXT_SUFFIX

from . import points
from .context import ELDER_COOKIE
from .forms import FinderForm

PAGE_SIZE = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The service cards link their 办事指南 when the catalogue has the item active.
    guide_codes = set(guides.guide_items().values_list("code", flat=True))
    return render(
        request,
        "portal/home.html",
        {
            "form": FinderForm(auto_id="home_%s"),
            "guide_codes": guide_codes,
            # 网上监督: a signed-in person sees their own district's service quality (issue 21).
            "local_quality": insights_reports.local_quality(request.user),
        },
    )


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    region = None
    results: QuerySet[Unit] = Unit.objects.none()
    if not form.is_bound:
        results = points.points_serving(None)
    elif form.is_valid():
        region = form.cleaned_data["region"]
        results = points.points_serving(
            region, kind=form.cleaned_data["kind"], function=form.cleaned_data["function"]
        )
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    for key in ("page", f"region{NEXT_SUFFIX}"):
        params.pop(key, None)
    return render(
        request,
        "portal/finder.html",
        {
            "form": form,
            "region": region,
            "page_obj": page_obj,
            "cards": [points.point_card(unit, region) for unit in page_obj],
            "page_range": page_obj.paginator.get_elided_page_range(page_obj.number),
            "qs": params.urlencode(),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "hotlines": points.hotlines_for(region),
        },
    )


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = points.get_public_unit(pk)
    return render(
        request,
        "portal/unit_detail.html",
        {
            "unit": unit,
            "card": points.point_card(unit),
            "parent": points.public_parent(unit),
            "practitioners": directory.unit_practitioners(unit),
            "credit_records": directory.unit_credit(unit),
        },
    )


@require_POST
def elder_toggle(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next") or request.headers.get("Referer") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    response = redirect(back)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
