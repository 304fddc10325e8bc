"""Console pages of online applications (/console/applications/): the facts with full personal data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.lib.http import client_ip
from fawang.matters.access import get_matter_for_user
from fawang.matters.actions import log_access
from fawang.matters.forms import RevealForm
from fawang.matters.permissions import can_reveal
from fawang.orgs.web import staff_required

from .access import application_of_matter
from .console import facts_context


@never_cache
@require_POST
@staff_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The application of matter ``pk`` with the applicant's ID number and every phone number in full, for this
    response only; the access log records who, why and when."""
    user = request.user
    assert isinstance(user, User)
    matter = get_matter_for_user(user, pk)
    app = application_of_matter(matter)
    if app is None:
        raise Http404
    if not can_reveal(user, matter):
        raise PermissionDenied(_("您的岗位无权查看完整个人信息。"))
    form = RevealForm(request.POST)
    log_access(
        actor=user,
        purpose=form.purpose_text(),
        fields=_("网上申请：申请人身份证号码、联系电话，当事人联系电话"),
        matter=matter,
        ip=client_ip(request),
    )
    context = facts_context(user, app, revealed=True)
    template = (
        "applications/console/_facts.html"
        if request.headers.get("HX-Request")
        else "applications/console/facts.html"
    )
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response
