"""Console pages for knowledge entries: list (scoped to the user's regions), create, edit, publish,
unpublish, confirm a review (已复核). Every write goes through actions.py."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.orgs.models import Unit
from fawang.orgs.roles import CAPABILITIES, require_capability
from fawang.orgs.web import current_unit, memberships, staff_required, staff_user

from . import actions
from .access import WRITE, get_entry_for_editing
from .entry_forms import EntryFilterForm, EntryForm
from .models import KnowledgeEntry

PER_PAGE = 30


def _writable_units(request: HttpRequest) -> list[Unit]:
    """The units the user may sign an entry for: those where one of their roles may write."""
    roles = CAPABILITIES[WRITE]
    units: dict[int, Unit] = {}
    for m in memberships(request):
        if m.role in roles:
            units.setdefault(m.unit_id, m.unit)
    return list(units.values())


@staff_required
def entry_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, WRITE)
    visible = KnowledgeEntry.objects.visible_to(user)
    rows = visible
    form = EntryFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["kind"]:
            rows = rows.filter(kind=d["kind"])
        if d["status"]:
            rows = rows.filter(status=d["status"])
        if d["review"]:
            rows = rows.filter(needs_review=d["review"] == "needs")
        if d["q"]:
            rows = rows.filter(title__contains=d["q"])
    page = Paginator(
        rows.select_related("unit", "region").order_by("-needs_review", "-updated_at", "-pk"), PER_PAGE
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "knowledge/console/entry_list.html",
        {
            "form": form,
            "page_obj": page,
            "qs": params.urlencode(),
            "needs_review": visible.filter(needs_review=True).count(),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def entry_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, WRITE)
    units = _writable_units(request)
    current = current_unit(request)
    initial = {"unit": current.pk if current and current in units else (units[0].pk if units else None)}
    form = EntryForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.fields_for_action()
        unit: Unit = form.cleaned_data["unit"]
        require_capability(user, WRITE, unit)
        entry = actions.create_entry(actor=user, unit_id=unit.pk, **data)
        messages.success(request, _("已保存为草稿。核对无误后点“发布”，公众即可在法律法规检索中看到。"))
        return redirect("knowledge_console:edit", pk=entry.pk)
    if not units:
        messages.error(request, _("您没有可以署名编写的单位。"))
    return render(
        request,
        "knowledge/console/entry_form.html",
        {"form": form, "entry": None},
        status=400 if form.errors else 200,
    )


@staff_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    entry = get_entry_for_editing(user, pk)
    form = EntryForm(request.POST or None, entry=entry, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        reviewed = bool(form.cleaned_data.get("reviewed"))
        actions.update_entry(entry.pk, actor=user, reviewed=reviewed, **form.fields_for_action())
        messages.success(request, _("已保存并标记为已复核。") if reviewed else _("已保存。"))
        return redirect("knowledge_console:edit", pk=entry.pk)
    citations = entry.citations.select_related("article__law").order_by("article__law__title", "article__seq")
    return render(
        request,
        "knowledge/console/entry_form.html",
        {"form": form, "entry": entry, "citations": citations},
        status=400 if form.errors else 200,
    )


def _act(request: HttpRequest, pk: int, action: Callable[..., KnowledgeEntry], done: str) -> HttpResponse:
    user = staff_user(request)
    entry = get_entry_for_editing(user, pk)
    try:
        action(entry.pk, actor=user)
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("knowledge_console:edit", pk=entry.pk)


@require_POST
@staff_required
def entry_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, actions.publish, _("已发布，公众可以查看和检索到本条目。"))


@require_POST
@staff_required
def entry_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, actions.unpublish, _("已撤回发布，公众不再能看到本条目。"))


@require_POST
@staff_required
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, actions.mark_reviewed, _("已复核，提示已清除。"))
