"""Public information pages: 办事指南 from the catalogue, the directory of units and practitioners with
信用信息公开, and the 普法 section. GET only, no sign-in; reads go through guides / directory / publicity."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fawang.lib.formfields import choices_of
from fawang.regions.widgets import NEXT_SUFFIX

from . import directory, guides, publicity
from .forms import PractitionerFilterForm, PublicityFilterForm, UnitFilterForm

PAGE_SIZE = 20
ARTICLES_PER_PAGE = 10


def _page(request: HttpRequest, rows: Any, size: int) -> dict[str, Any]:
    page_obj = Paginator(rows, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    for key in ("page", *(k for k in params if k.endswith(NEXT_SUFFIX))):
        params.pop(key, None)
    return {
        "page_obj": page_obj,
        "page_range": page_obj.paginator.get_elided_page_range(page_obj.number),
        "qs": params.urlencode(),
    }


# ------------------------------------------------------------------------------------------- 办事指南


@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "info/guide_index.html", {"lines": guides.lines()})


@require_GET
def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "info/guide_detail.html", {"guide": guides.get_guide(code)})


# ------------------------------------------------------------------------------------------- directory


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    rows = directory.directory_units()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        rows = directory.directory_units(d["region"], d["kind"], d["speciality"])
    elif form.is_bound:
        rows = rows.none()
    context = {"form": form, **_page(request, rows, PAGE_SIZE)}
    return render(request, "info/unit_list.html", context, status=400 if form.errors else 200)


@require_GET
def practitioner_list(request: HttpRequest) -> HttpResponse:
    form = PractitionerFilterForm(request.GET or None)
    rows = directory.filter_practitioners()
    if form.is_bound:
        rows = directory.filter_practitioners(**form.cleaned_data) if form.is_valid() else rows.none()
    context = {"form": form, **_page(request, rows, PAGE_SIZE)}
    for p in context["page_obj"]:
        p.shown_unit = directory.shown_unit(p)
    return render(request, "info/practitioner_list.html", context, status=400 if form.errors else 200)


@require_GET
def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = directory.get_public_practitioner(pk)
    return render(
        request,
        "info/practitioner_detail.html",
        {"p": p, "unit": directory.shown_unit(p), "records": p.public_records},  # type: ignore[attr-defined]
    )


# ------------------------------------------------------------------------------------------- 普法


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    form = PublicityFilterForm(request.GET or None)
    kind, category = "", None
    if form.is_bound and form.is_valid():
        kind, category = form.cleaned_data["kind"], form.cleaned_data["category"]
    rows = publicity.filter_articles(kind, category) if not form.errors else publicity.articles().none()
    context = {
        "form": form,
        "kind": kind,
        "category": category,
        "kinds": [(k, label) for k, label in choices_of(form, "kind") if k],
        "categories": publicity.categories(kind),
        **_page(request, rows, ARTICLES_PER_PAGE),
    }
    return render(request, "info/article_list.html", context, status=400 if form.errors else 200)


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = publicity.get_article(pk)
    citations = entry.citations.select_related("article__law").order_by("article__law__title", "article__seq")
    return render(
        request,
        "info/article_detail.html",
        {"entry": entry, "citations": citations, "related": publicity.related(entry)},
    )
