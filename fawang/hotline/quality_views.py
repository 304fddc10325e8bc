"""质检 pages (console/hotline/quality/): supervisors sample and score calls against the centre's checklist and
decide appeals; agents see their own scores and appeal once. Every write is one call into quality.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from . import quality
from .models import QualityItem, QualityReview


def _scores(request: HttpRequest, items: list[QualityItem]) -> dict[int, int]:
    out: dict[int, int] = {}
    for item in items:
        raw = (request.POST.get(f"score-{item.pk}") or "").strip()
        if raw.isdigit():
            out[item.pk] = int(raw)
    return out


@never_cache
@staff_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not (has_capability(user, "hotline.supervise") or has_capability(user, "hotline.desk")):
        raise PermissionDenied(_("您的岗位无权查看质检。"))
    rows = QualityReview.objects.visible_to(user).select_related("call", "agent", "unit")[:200]
    today = timezone.localdate()
    return render(
        request,
        "hotline/quality_list.html",
        {
            "rows": rows,
            "may_sample": has_capability(user, "hotline.supervise"),
            "start": today - dt.timedelta(days=6),
            "end": today,
        },
    )


@staff_required
@require_POST
def sample(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "hotline.supervise")
    try:
        start = dt.date.fromisoformat(request.POST.get("start", ""))
        end = dt.date.fromisoformat(request.POST.get("end", ""))
        count = int(request.POST.get("random", "5") or 0)
    except ValueError:
        messages.error(request, _("请填写正确的日期和抽检数量。"))
        return redirect("hotline:quality")
    reviews = quality.do_sample(actor=user, start=start, end=end, random_count=min(count, 100))
    messages.success(request, _("已抽检 %(n)s 通来电。") % {"n": len(reviews)})
    return redirect("hotline:quality")


def _get_review(request: HttpRequest, pk: int) -> QualityReview:
    return get_object_or_404(
        QualityReview.objects.visible_to(staff_user(request)).select_related(
            "call", "unit", "agent", "reviewer"
        ),
        pk=pk,
    )


@never_cache
@staff_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review: the call with its recording, the checklist to score (supervisors), the appeal (the agent)."""
    user = staff_user(request)
    review = _get_review(request, pk)
    items = quality.items_of(review.unit)
    may_score = has_capability(user, "hotline.supervise", review.unit)
    if request.method == "POST":
        require_capability(user, "hotline.supervise", review.unit)
        try:
            if review.status == QualityReview.Status.APPEALED:
                quality.do_decide_appeal(
                    review.pk,
                    actor=user,
                    note=request.POST.get("appeal_note", ""),
                    scores=_scores(request, items) if request.POST.get("change") == "1" else None,
                )
            else:
                quality.do_score(
                    review.pk,
                    actor=user,
                    scores=_scores(request, items),
                    comment=request.POST.get("comment", ""),
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _render(request, review, items, may_score, status=400)
        messages.success(request, _("已保存质检结果。"))
        return redirect("hotline:quality_review", pk=review.pk)
    return _render(request, review, items, may_score)


def _render(
    request: HttpRequest, review: QualityReview, items: list[QualityItem], may_score: bool, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "review": review,
        "items": [(item, review.scores.get(item.name)) for item in items],
        "may_score": may_score,
        "is_agent": review.agent_id == staff_user(request).pk,
    }
    return render(request, "hotline/quality_review.html", context, status=status)


@staff_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    review = _get_review(request, pk)
    try:
        quality.do_appeal(review.pk, actor=user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已提交申诉。"))
    return redirect("hotline:quality_review", pk=review.pk)


@never_cache
@staff_required
def checklist(request: HttpRequest) -> HttpResponse:
    """The centre's checklist (质检项), kept by its admin."""
    user = staff_user(request)
    unit = current_unit(request)
    if unit is None or not has_capability(user, "hotline.manage", unit):
        raise PermissionDenied(_("只有热线中心的管理员可以编辑质检项。"))
    if request.method == "POST":
        raw = (request.POST.get("max_score") or "").strip()
        try:
            quality.do_add_item(
                actor=user,
                unit=unit,
                name=request.POST.get("name", ""),
                max_score=int(raw) if raw.isdigit() else 0,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(
                request,
                "hotline/quality_checklist.html",
                {"unit": unit, "items": quality.items_of(unit)},
                status=400,
            )
        messages.success(request, _("已添加质检项。"))
        return redirect("hotline:quality_checklist")
    return render(request, "hotline/quality_checklist.html", {"unit": unit, "items": quality.items_of(unit)})
