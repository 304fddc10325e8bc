"""Console pages of 律师参与信访接待 (the receptions, their duty roster and logs), under /console/advisors/petition/.
Every URL is declared in fawang/advisors/tests/matrix.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fawang.lib import codes
from fawang.lib.errors import put_errors
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import staff_required, staff_user

from . import petition
from .actions import MANAGE
from .forms import PetitionDutyForm, PetitionLogForm, PetitionPostForm
from .models import PetitionDuty, PetitionDutyLog, PetitionPost


def _units(user: Any) -> Any:
    ids = [
        u.pk
        for u in Unit.objects.visible_to(user).order_by("region_id")[:300]
        if has_capability(user, MANAGE, u)
    ]
    return Unit.objects.filter(pk__in=ids).order_by("region_id", "kind", "name")


def _lawyers(post: PetitionPost) -> list[Practitioner]:
    return list(
        Practitioner.objects.filter(
            kind__in=petition.DUTY_KINDS,
            licence_status=Practitioner.LicenceStatus.PRACTISING,
            unit__isnull=False,
        )
        .filter(codes.under("unit__region_id", post.region_id[:4]))
        .select_related("unit")
        .order_by("unit__region_id", "name")[:300]
    )


def _get_post(user: Any, pk: int) -> PetitionPost:
    return get_object_or_404(PetitionPost.objects.visible_to(user).select_related("unit", "region"), pk=pk)


@staff_required
@require_GET
def posts(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    today = timezone.localdate()
    rows = (
        PetitionPost.objects.visible_to(user)
        .select_related("unit", "region")
        .annotate(
            upcoming=Count("duties", filter=Q(duties__date__gte=today), distinct=True),
            unlogged=Count(
                "duties", filter=Q(duties__date__lt=today, duties__log__isnull=True), distinct=True
            ),
        )
    )
    return render(request, "advisors/petition_posts.html", {"rows": rows})


@staff_required
@require_http_methods(["GET", "POST"])
def post_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    form = PetitionPostForm(request.POST or None, units=_units(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = petition.add_post(
                data["unit"].pk,
                name=data["name"],
                region=data["region_code"],
                address=data["address"],
                actor=user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已登记信访接待场所。"))
            return redirect("advisors:petition_post", post.pk)
    return render(
        request, "advisors/petition_post_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _post_page(
    request: HttpRequest, post: PetitionPost, duty_form: PetitionDutyForm | None = None
) -> HttpResponse:
    user = staff_user(request)
    may = has_capability(user, MANAGE, post.unit)
    duties = list(
        post.duties.select_related("practitioner__unit", "log").order_by("-date", "start_time")[:100]
    )
    totals = PetitionDutyLog.objects.filter(duty__post=post).aggregate(
        visitors=Sum("visitors"),
        cases=Sum("cases"),
        to_litigation=Sum("to_litigation"),
        to_legal_aid=Sum("to_legal_aid"),
        to_mediation=Sum("to_mediation"),
    )
    form = duty_form if duty_form is not None else (PetitionDutyForm(lawyers=_lawyers(post)) if may else None)
    context = {
        "post": post,
        "duties": duties,
        "totals": totals,
        "duty_form": form,
        "today": timezone.localdate(),
    }
    return render(
        request, "advisors/petition_post.html", context, status=400 if duty_form is not None else 200
    )


@staff_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, _get_post(staff_user(request), pk))


@staff_required
@require_POST
def duty_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    post = _get_post(user, pk)
    if not has_capability(user, MANAGE, post.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = PetitionDutyForm(request.POST, lawyers=_lawyers(post))
    if form.is_valid():
        data = form.cleaned_data
        try:
            petition.add_duty(
                post.pk,
                practitioner=data["practitioner"],
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                actor=user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已排班。"))
            return redirect("advisors:petition_post", post.pk)
    return _post_page(request, post, form)


@staff_required
@require_http_methods(["GET", "POST"])
def duty_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The duty's log (值班记录): by the lawyer on duty or the organising unit."""
    user = staff_user(request)
    duty = get_object_or_404(
        PetitionDuty.objects.filter(post__in=PetitionPost.objects.visible_to(user)).select_related(
            "post__unit", "practitioner__unit"
        ),
        pk=pk,
    )
    own = duty.practitioner.user_id is not None and duty.practitioner.user_id == user.pk
    if not own and not has_capability(user, MANAGE, duty.post.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    log = PetitionDutyLog.objects.filter(duty=duty).first()
    initial: dict[str, Any] = {}
    if log is not None:
        initial = {name: getattr(log, name) for name in petition.LOG_FIELDS}
        initial["tracking_nos"] = " ".join(log.matters.values_list("tracking_no", flat=True))
    form = PetitionLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition.log_duty(duty.pk, petition.DutyLogData(**data), actor=user)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已保存值班记录。"))
            return redirect("advisors:petition_post", duty.post_id)
    return render(
        request,
        "advisors/petition_log.html",
        {"duty": duty, "form": form},
        status=400 if form.errors else 200,
    )
