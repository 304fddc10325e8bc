"""便民箱 in the console: the suggestions sent to the user's points (open first, by time limit), answering one, and
entering a paper slip. Public side: queue_public.suggest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import staff_required, staff_user

from .actions import suggestions as actions
from .models import Suggestion

DESK = "frontdesk.desk"


@never_cache
@staff_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, DESK):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    rows = (
        Suggestion.objects.visible_to(user)
        .select_related("point", "unit")
        .order_by("-status", "due_at", "pk")[:200]
    )
    points = [
        p
        for p in Unit.objects.visible_to(user).service_points().active().order_by("region_id", "name")[:500]
        if has_capability(user, DESK, p)
    ]
    return render(
        request,
        "frontdesk/suggestions.html",
        {"rows": rows, "points": points, "now": timezone.now()},
    )


@never_cache
@staff_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    suggestion = get_object_or_404(Suggestion.objects.visible_to(user).select_related("point", "unit"), pk=pk)
    return render(
        request,
        "frontdesk/suggestion.html",
        {"s": suggestion, "can_answer": has_capability(user, DESK, suggestion.unit), "now": timezone.now()},
    )


@require_POST
@staff_required
def suggestion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    suggestion = get_object_or_404(Suggestion.objects.visible_to(user), pk=pk)
    try:
        actions.do_answer_suggestion(suggestion.pk, actor=user, answer=request.POST.get("answer", ""))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("已答复。"))
    return redirect("frontdesk:suggestion", pk=suggestion.pk)


@require_POST
@staff_required
def suggestion_paper(request: HttpRequest) -> HttpResponse:
    """录入纸质意见 from the point's box."""
    user = staff_user(request)
    raw = request.POST.get("point", "")
    if not raw.isdigit():
        raise Http404
    point = get_object_or_404(Unit.objects.visible_to(user), pk=int(raw))
    try:
        made = actions.do_suggest(
            point.pk,
            body=request.POST.get("body", ""),
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            may_publish=request.POST.get("may_publish") == "1",
            actor=user,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("frontdesk:suggestions")
    messages.success(request, _("已录入，转 %(unit)s 答复。") % {"unit": made.unit.name})
    return redirect("frontdesk:suggestion", pk=made.pk)


def point_section(request: HttpRequest, unit: Unit) -> dict[str, object] | None:
    """The 便民箱 on a service point's public page (fawang.lib.pointpage): the form, sent back to that page,
    and the answers their authors let publish (no name, no phone)."""
    if not unit.is_active or unit.kind not in Unit.SERVICE_POINT_KINDS:
        return None
    return {
        "point": unit,
        "next": request.get_full_path(),
        "box_url": reverse("suggest:box", args=[unit.pk]),
        "published": Suggestion.objects.filter(point=unit)
        .published()
        .select_related("unit")
        .order_by("-answered_at")[:20],
    }
