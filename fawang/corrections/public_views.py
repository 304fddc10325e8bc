"""日定位 from the person's phone: their own file only (linked to their account by the 司法所), location taken by
the browser and sent only with their consent. A file closed or none linked: the page says so, nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fawang.lib.errors import put_errors
from fawang.lib.headers import DEFAULT_PERMISSIONS_POLICY
from fawang.orgs.roles import is_staff_user

from . import actions
from .forms import CheckInForm
from .models import ItemKind, Subject


@login_required(login_url="me:login")
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    if is_staff_user(request.user):
        raise Http404
    subject = Subject.objects.filter(
        user_id=request.user.pk or 0, status__in=(Subject.Status.SUPERVISED, Subject.Status.LOST)
    ).first()
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST" and subject is not None:
        if form.is_valid():
            try:
                actions.do_check_in(
                    subject.pk,
                    actor=request.user,
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as e:
                put_errors(form, e)
            else:
                messages.success(request, _("今日定位报告已提交。"))
                return redirect("corrections_me:check_in")
        status = 400
    latest = None
    if subject is not None:
        latest = subject.items.filter(kind=ItemKind.LOCATION).order_by("-period_start").first()
    response = render(
        request,
        "corrections/check_in.html",
        {"subject": subject, "form": form, "latest": latest, "today": timezone.localdate()},
        status=status,
    )
    # This page alone may ask the browser for the position (the site's policy refuses it everywhere else).
    response["Permissions-Policy"] = DEFAULT_PERMISSIONS_POLICY.replace(
        "geolocation=()", "geolocation=(self)"
    )
    response["Cache-Control"] = "no-store"
    return response
