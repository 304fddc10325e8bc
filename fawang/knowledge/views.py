from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import actions, answers, entry_search, results, searching
from .access import get_published_entry
from .forms import WITHIN_ALL, WITHIN_ENTRIES, WITHIN_LAWS, LawSearchForm
from .models import Article, KnowledgeEntry, Law

PAGE_SIZE = 10
# Entries shown above the law results when searching everything; the rest are one click away.
ENTRIES_WITH_LAWS = 3


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
    """One search box over the statutes and the platform's own published entries (the `within` selector)."""
    form = LawSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "index_missing": False}
    if not (form.is_bound and form.is_valid()):
        context["index_missing"] = not searching.index_exists()
        return render(request, "knowledge/search.html", context)
    within = form.cleaned_data.get("within") or WITHIN_ALL
    params = request.GET.copy()
    params.pop("page", None)
    started = time.perf_counter()
    # The "这条有帮助吗" form under every result posts here and comes back to this page: worked out once, not per result.
    context.update(
        searched=True,
        within=within,
        qs=params.urlencode(),
        feedback_url=reverse("knowledge:feedback"),
        next_url=request.get_full_path(),
    )
    first_page = not request.GET.get("page") or request.GET.get("page") == "1"
    hits: list[entry_search.EntryHit] = []
    if within != WITHIN_LAWS:
        hits = entry_search.search(form.cleaned_data["q"])
        if within == WITHIN_ENTRIES:
            entry_page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
            context.update(
                page_obj=entry_page, page_range=entry_page.paginator.get_elided_page_range(entry_page.number)
            )
        elif first_page:
            entries_only = params.copy()
            entries_only["within"] = WITHIN_ENTRIES
            context.update(
                entry_hits=hits[:ENTRIES_WITH_LAWS],
                entry_count=len(hits),
                entries_qs=entries_only.urlencode(),
            )
    if within != WITHIN_ENTRIES:
        index = searching.get_index() if searching.index_exists() else None
        if index is None:
            context["index_missing"] = True
        else:
            search_params = form.params()
            found = results.search(index, search_params)
            page_obj = Paginator(found.results, PAGE_SIZE).get_page(request.GET.get("page"))
            # The rows of the articles shown, and of the first few the guide/FAQ/case answer is checked against.
            results.load_articles([*page_obj.object_list, *found.results[: answers.TOP_ARTICLES]])
            context.update(
                page_obj=page_obj,
                page_range=page_obj.paginator.get_elided_page_range(page_obj.number),
                title_only=form.cleaned_data["title_only"],
            )
            # Above the articles: the guide, FAQ or case that answers the question, when the entry search and
            # the statute search agree on it (answers.py); it leaves the plain list of entries below it.
            if (
                within == WITHIN_ALL
                and first_page
                and search_params.order == "relevance"
                and not search_params.title_only
            ):
                answer = answers.best_answer(hits, found.results)
                if answer is not None:
                    rest = [h for h in hits if h.entry.pk != answer.entry.pk]
                    context.update(answer=answer, entry_hits=rest[:ENTRIES_WITH_LAWS])
    context["elapsed_ms"] = round((time.perf_counter() - started) * 1000)
    return render(request, "knowledge/search.html", context)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """“这条有帮助吗”: keep the answer about one result (an article or a guide/FAQ/case), then say thanks in place
    (htmx) or go back to the results."""
    try:
        actions.record_search_feedback(
            request.POST.get("q", ""),
            helpful=request.POST.get("helpful") == "yes",
            actor=request.user if request.user.is_authenticated else None,
            article_id=_int_or_none(request.POST.get("article")),
            entry_id=_int_or_none(request.POST.get("entry")),
        )
    except ValidationError as error:
        message, ok = " ".join(error.messages), False
    else:
        message, ok = "", True
    if request.headers.get("HX-Request"):
        return render(
            request,
            "knowledge/_feedback_done.html",
            {"ok": ok, "message": message},
            status=200 if ok else 400,
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if not ok:
        return render(request, "knowledge/_feedback_done.html", {"ok": ok, "message": message}, status=400)
    return redirect(back or "knowledge:search")


@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    """Published guides, FAQs, cases and publicity articles, by kind."""
    kind = request.GET.get("kind", "")
    rows = KnowledgeEntry.objects.published().select_related("unit", "region")
    if kind in KnowledgeEntry.Kind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    page_obj = Paginator(rows.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/entry_list.html",
        {
            "page_obj": page_obj,
            "kind": kind,
            "kinds": KnowledgeEntry.Kind.choices,
            "qs": f"kind={kind}" if kind else "",
        },
    )


@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published entry; a draft is the same 404 as a missing one."""
    entry = get_published_entry(pk)
    citations = entry.citations.select_related("article__law").order_by("article__law__title", "article__seq")
    return render(request, "knowledge/entry_detail.html", {"entry": entry, "citations": citations})


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("knowledge:search")
