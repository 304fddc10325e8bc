"""The audit trail in the console (操作记录): who changed which unit, window, staff account, role, second factor,
credit record, village advisor or appointment schedule, when, and what it was before and after.

Supervisors, unit admins and system administrators read the rows of the units they reach
(fawang.orgs.auditing); rows are written by the actions (fawang.audit), never here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.forms import AuditFilterForm
from fawang.lib.paging import CappedPaginator
from fawang.orgs.auditing import audit_events_visible_to
from fawang.orgs.models import Unit
from fawang.orgs.roles import require_capability
from fawang.orgs.web import staff_required, staff_user

PER_PAGE = 50


def _day_start(day: dt.date) -> dt.datetime:
    # A range on the column itself keeps the (…, created_at) indexes usable.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@staff_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "audit.view")
    rows = audit_events_visible_to(user)
    form = AuditFilterForm(request.GET or None)
    unit = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            rows = rows.filter(unit_id=data["unit"])
            # Shown by name only when the user reaches it; the rows themselves are filtered either way.
            unit = Unit.objects.visible_to(user).filter(pk=data["unit"]).first()
        if data["person"]:
            people = User.objects.filter(username=data["person"]).values("pk")
            rows = rows.filter(Q(person__in=people) | Q(actor__in=people))
        if data["action"]:
            rows = rows.filter(action=data["action"])
        if data["q"]:
            rows = rows.filter(target_name__icontains=data["q"])
        if data["date_from"]:
            rows = rows.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            rows = rows.filter(created_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    rows = rows.select_related("unit", "person").order_by("-created_at", "-id")
    page = CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "console/audit_list.html",
        {"form": form, "page_obj": page, "qs": params.urlencode(), "unit": unit},
        status=400 if form.errors else 200,
    )
