"""超期与预警 for supervisors (with the business lines' cards); 差评与回访: bad ratings, callbacks and rectifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fawang.calendar.workdays import snapshot
from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.validators import mask_name
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import staff_required, staff_user

from .. import actions, deadlines, lines
from ..access import (
    get_callback_for_user,
    get_rectification_for_user,
)
from ..forms import (
    CallbackForm,
    RectificationForm,
)
from ..listing import (
    decorate_rows,
    for_list,
)
from ..models import (
    Callback,
    Evaluation,
    Matter,
    Rectification,
)
from .common import (
    PER_PAGE,
    _messages_of,
)


@never_cache
@staff_required
def supervision(request: HttpRequest) -> HttpResponse:
    """超期与预警: overdue, due soon and escalated matters in the supervisor's regions, and the statistics by unit."""
    user = staff_user(request)
    require_capability(user, "matters.supervise")
    now = timezone.now()
    snapshot()
    visible = for_list(Matter.objects.visible_to(user))
    overdue_qs = visible.overdue(now).filter(clock_paused_at__isnull=True)
    due_soon_qs = visible.due_soon(now).filter(clock_paused_at__isnull=True)
    escalated_qs = visible.open().filter(escalated_at__isnull=False)
    return render(
        request,
        "matters/supervision.html",
        {
            "stats": deadlines.overdue_stats(user, now),
            "overdue": decorate_rows(overdue_qs.order_by("due_at", "pk")[:PER_PAGE], now),
            "overdue_count": overdue_qs.count(),
            "due_soon": decorate_rows(due_soon_qs.order_by("due_at", "pk")[:PER_PAGE], now),
            "due_soon_count": due_soon_qs.count(),
            "escalated": decorate_rows(escalated_qs.order_by("-escalated_at", "pk")[:PER_PAGE], now),
            "escalated_count": escalated_qs.count(),
            # The business lines' cards (matters.lines.Board), e.g. the consultation hotspots.
            "line_panels": [
                render_to_string(template, context, request=request)
                for template, context in lines.supervision_boards(user)
            ],
            "can_list": True,
        },
    )


FEEDBACK_CAPABILITIES = ("matters.supervise", "matters.callback", "matters.rectify")


@never_cache
@staff_required
def feedback(request: HttpRequest) -> HttpResponse:
    """差评与回访: badly rated matters, open callbacks (回访) and rectifications (整改) with their due dates."""
    user = staff_user(request)
    if not any(has_capability(user, cap) for cap in FEEDBACK_CAPABILITIES):
        raise PermissionDenied(_("您的岗位无权查看差评与回访。"))
    now = timezone.now()
    visible = Matter.objects.visible_to(user)
    # (evaluation, the person's masked name)
    bad = [
        (evaluation, mask_name(evaluation.matter.person.name))
        for evaluation in Evaluation.objects.filter(matter__in=visible, level__in=Evaluation.BAD_LEVELS)
        .select_related("matter__service_item", "matter__unit", "matter__person")
        .order_by("-created_at", "-pk")[:PER_PAGE]
    ]
    callbacks = list(
        Callback.objects.visible_to(user)
        .open()
        .select_related("matter__service_item", "matter__unit", "unit", "assigned_to")
        .order_by("due_at", "pk")[: PER_PAGE * 2]
    )
    rectifications = list(
        Rectification.objects.visible_to(user)
        .open()
        .select_related("matter__service_item", "unit")
        .order_by("due_at", "pk")[: PER_PAGE * 2]
    )
    return render(
        request,
        "matters/feedback.html",
        {"bad": bad, "callbacks": callbacks, "rectifications": rectifications, "now": now},
    )


def _record_task(
    request: HttpRequest,
    form: forms.Form,
    *,
    may: bool,
    refused: str,
    record: Callable[[dict[str, Any]], object],
    done: str,
) -> int | None:
    """The POST of a supervision task's page (回访, 整改): refused (403) unless the user ``may``, else the form's
    data recorded by ``record``. None once recorded (the caller redirects), else the status to show the page with:
    200 for a GET, 400 for a form to correct, 403 when the action refuses the user."""
    if request.method != "POST":
        return 200
    if not may:
        raise PermissionDenied(refused)
    if form.is_valid():
        try:
            record(form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, _messages_of(exc))
            return 403
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, done)
            return None
    return 400


@never_cache
@staff_required
def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One callback (回访) task: the matter, its rating, and the form to record what the person said."""
    user = staff_user(request)
    callback = get_callback_for_user(user, pk)
    may = callback.done_at is None and has_capability(user, "matters.callback", callback.unit)
    form = CallbackForm(request.POST or None)
    status = _record_task(
        request,
        form,
        may=may,
        refused=_("您的岗位无权办理该回访任务，或任务已完成。"),
        record=lambda d: actions.do_complete_callback(
            callback.pk, actor=user, outcome=d["outcome"], satisfied=d["satisfied"]
        ),
        done=_("回访情况已记录。"),
    )
    if status is None:
        return redirect("matters:callback", pk=callback.pk)
    matter = (
        Matter.objects.visible_to(user)
        .select_related("service_item", "unit", "person")
        .filter(pk=callback.matter_id)
        .first()
    )
    return render(
        request,
        "matters/callback.html",
        {
            "task": callback,
            "matter": matter,
            "person_masked_name": mask_name(matter.person.name) if matter else "",
            "evaluation": Evaluation.objects.filter(matter_id=callback.matter_id).first(),
            "form": form,
            "may": may,
        },
        status=status,
    )


@never_cache
@staff_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One rectification (整改): why, by when, and the form to record the measures taken."""
    user = staff_user(request)
    item = get_rectification_for_user(user, pk)
    may = item.done_at is None and has_capability(user, "matters.rectify", item.unit)
    form = RectificationForm(request.POST or None)
    status = _record_task(
        request,
        form,
        may=may,
        refused=_("您的岗位无权办理该整改任务，或任务已完成。"),
        record=lambda d: actions.do_complete_rectification(item.pk, actor=user, measures=d["measures"]),
        done=_("整改情况已记录。"),
    )
    if status is None:
        return redirect("matters:rectification", pk=item.pk)
    matter = (
        Matter.objects.visible_to(user)
        .select_related("service_item", "unit")
        .filter(pk=item.matter_id)
        .first()
    )
    return render(
        request,
        "matters/rectification.html",
        {"task": item, "matter": matter, "form": form, "may": may},
        status=status,
    )
