"""The notary office's posts from the panel on a 公证 request's matter page, mounted at /console/notary/
(namespace ``notary``). Every URL is declared in fawang/notary/tests/matrix.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.matters.access import get_matter_for_user
from fawang.orgs.web import staff_required, staff_user

from . import actions
from .forms import BookForm, PreReviewForm
from .line import materials_of
from .models import NotaryRequest


def _errors(form_errors: Any) -> str:
    return "；".join(str(message) for errors in form_errors.values() for message in errors)


@staff_required
@require_POST
def prereview(request: HttpRequest, pk: int) -> HttpResponse:
    """材料预审: what is still missing, told to the applicant at once."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    notary = NotaryRequest.objects.filter(matter=matter).first()
    form = PreReviewForm(request.POST, materials=materials_of(notary), prefix="review")
    if form.is_valid():
        try:
            actions.do_prereview(
                matter.pk, actor=user, missing=form.missing_list(), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已记录预审结果并告知申请人。"))
    else:
        messages.error(request, _errors(form.errors))
    return redirect("matters:detail", matter.pk)


@staff_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """预约办理: the day the applicant comes in, once the materials are complete."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = BookForm(request.POST, prefix="book")
    if form.is_valid():
        try:
            actions.do_book(matter.pk, actor=user, at=form.at(), place=form.cleaned_data["place"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已预约办理时间并告知申请人。"))
    else:
        messages.error(request, _errors(form.errors))
    return redirect("matters:detail", matter.pk)
