"""The 相关法律条文（建议） panel beside a matter (htmx fragment) and the staff's choices of its 法律依据: 采纳 /
不采纳 a suggested article, 已复核 after a law change, or an article added by its citation. The matter is fetched
through ``matters.access`` first, so a matter the user may not see is a 404 here as on the matter page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.matters.access import get_matter_for_user
from fawang.matters.models import Matter
from fawang.orgs.web import staff_required, staff_user

from . import legal_basis, suggestions
from .forms import CitationForm


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _refusal(exc: PermissionDenied) -> str:
    return str(exc) or _("您的岗位无权执行此操作。")


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    """The context of the panel on the matter page (registered in line.py)."""
    return {
        "matter": matter,
        "legal_basis": matter.legal_basis(),
        "can_cite": legal_basis.can_cite(user, matter),
    }


def _render_suggestions(
    request: HttpRequest,
    matter: Matter,
    *,
    status: int = 200,
    citation_form: CitationForm | None = None,
    error: str = "",
    flash: str = "",
    changed: bool = False,
) -> HttpResponse:
    """The 相关法律条文（建议） panel (htmx fragment). After a decision it also carries the 法律依据 card
    out of band, so the matter page shows the new legal basis without reloading."""
    user = staff_user(request)
    found = suggestions.suggest_articles(matter)
    context = {
        "matter": matter,
        "suggestions": found or [],
        "index_missing": found is None,
        "similar": suggestions.similar_consultations(matter, user),
        "can_cite": legal_basis.can_cite(user, matter),
        "citation_form": citation_form or CitationForm(),
        "error": error,
        "flash": flash,
        "oob": changed,
        "legal_basis": matter.legal_basis() if changed else [],
    }
    # htmx leaves 4xx answers unswapped; the fragment carries its own error, so it is sent as 200.
    return render(request, "consult/_suggestions.html", context, status=200 if _is_htmx(request) else status)


@never_cache
@staff_required
def matter_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    return _render_suggestions(request, matter)


@require_POST
@staff_required
def article_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """采纳 / 不采纳 one suggested article, or 已复核 one of the legal basis."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    article_id = request.POST.get("article", "")
    decision = request.POST.get("decision", "")
    if not article_id.isdigit():
        return _render_suggestions(request, matter, status=400, error=_("请选择法律条文。"))
    try:
        if decision == "reviewed":
            row = legal_basis.do_review_article(matter.pk, int(article_id), actor=user)
        else:
            row = legal_basis.do_decide_article(matter.pk, int(article_id), actor=user, decision=decision)
    except PermissionDenied as exc:
        return _render_suggestions(request, matter, status=403, error=_refusal(exc))
    except ValidationError as exc:
        if decision == "reviewed" and not _is_htmx(request):
            # 已复核 is a plain form on the matter page's 法律依据 card: back there with the reason.
            messages.error(request, " ".join(exc.messages))
            return redirect("matters:detail", pk=pk)
        return _render_suggestions(request, matter, status=400, error=" ".join(exc.messages))
    label = legal_basis.article_label(row.article)
    if decision == "reviewed":
        flash = _("已复核%(article)s。") % {"article": label}
    else:
        flash = (
            _("已采纳%(article)s，列入法律依据。")
            if row.decision == "accepted"
            else _("已不采纳%(article)s。")
        ) % {"article": label}
    if not _is_htmx(request):
        messages.success(request, flash)
        return redirect("matters:detail", pk=pk)
    return _render_suggestions(request, matter, flash=flash, changed=True)


@require_POST
@staff_required
def article_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an article to the legal basis by its citation (《民法典》第一千零七十九条)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = CitationForm(request.POST)
    if form.is_valid():
        try:
            row = legal_basis.do_add_article(matter.pk, form.cleaned_data["citation"], actor=user)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
            return _render_suggestions(request, matter, status=403, citation_form=form)
        except ValidationError as exc:
            form.add_error("citation", exc.messages)
        else:
            flash = _("已将%(article)s列入法律依据。") % {"article": legal_basis.article_label(row.article)}
            if not _is_htmx(request):
                messages.success(request, flash)
                return redirect("matters:detail", pk=pk)
            return _render_suggestions(request, matter, flash=flash, changed=True)
    return _render_suggestions(request, matter, status=400, citation_form=form)
