from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from . import results, searching
from .forms import LawSearchForm
from .models import Article, Law

PAGE_SIZE = 10


@dataclass
class Heading:
    depth: int
    title: str
    anchor: str


def _outline(articles: list[Article]) -> tuple[list[Heading], dict[int, list[Heading]]]:
    """Table of contents from the articles' section paths (编 / 章 / 节), and the headings that open
    before each article (by article id)."""
    toc: list[Heading] = []
    before: dict[int, list[Heading]] = {}
    previous: list[str] = []
    for a in articles:
        parts = [p.strip() for p in a.section.split(" / ") if p.strip()] if a.section else []
        if parts == previous:
            continue
        common = 0
        while common < min(len(parts), len(previous)) and parts[common] == previous[common]:
            common += 1
        for depth in range(common, len(parts)):
            h = Heading(depth + 1, " ".join(parts[depth].split()), f"s{len(toc) + 1}")
            toc.append(h)
            before.setdefault(a.pk, []).append(h)
        previous = parts
    return toc, before


@require_GET
def law_detail(request: HttpRequest, pk: int) -> HttpResponse:
    law = get_object_or_404(Law.objects.select_related("region"), pk=pk)
    articles = list(law.articles.order_by("seq"))
    toc, before = _outline(articles)
    for a in articles:
        a.headings = before.get(a.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "knowledge/law_detail.html",
        {"law": law, "articles": articles, "toc": toc, "versions": list(law.versions())},
    )


@require_GET
def article(request: HttpRequest, pk: int, anchor: str) -> HttpResponse:
    """Stable short link /laws/<law>/a/<anchor>/ (e.g. a43): the law page at that article."""
    a = Article.objects.filter(law_id=pk, anchor=anchor).first()
    if a is None:
        raise Http404("没有这一条")
    return redirect(a.get_absolute_url())


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = LawSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "index_missing": not searching.index_exists()}
    if form.is_bound and form.is_valid() and not context["index_missing"]:
        index = searching.get_index()
        if index is None:
            context["index_missing"] = True
        else:
            started = time.perf_counter()
            found = results.search(index, form.params())
            page_obj = Paginator(found.results, PAGE_SIZE).get_page(request.GET.get("page"))
            params = request.GET.copy()
            params.pop("page", None)
            context.update(
                page_obj=page_obj,
                page_range=page_obj.paginator.get_elided_page_range(page_obj.number),
                qs=params.urlencode(),
                searched=True,
                title_only=form.cleaned_data["title_only"],
                elapsed_ms=round((time.perf_counter() - started) * 1000),
            )
    return render(request, "knowledge/search.html", context)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("knowledge:search")
