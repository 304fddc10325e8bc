"""Public pages of the advisors' work: the village committee's confirmation of a day of service (the link and
code in the SMS to its contact), and a village room's page with its advisor's schedule and recent work
(anonymised: counts only, never a person's name or a summary)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fawang.lib import pointpage
from fawang.orgs.models import AdvisorAssignment, Unit

from . import actions
from .forms import ConfirmForm
from .models import ServiceDay, WorkLog


@never_cache
def confirm(request: HttpRequest, ref: str) -> HttpResponse:
    log = get_object_or_404(WorkLog.objects.select_related("assignment__practitioner", "region"), ref=ref)
    form = ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                log = actions.confirm_work(
                    log.ref,
                    code=d["code"],
                    agree=d["decision"] == "confirm",
                    rating=d["rating"],
                    note=d["note"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(
                        "code" if error.code in {"wrong", "bad_code_format"} else None, error.messages
                    )
            else:
                status = 200
    return render(request, "advisors/public_confirm.html", {"log": log, "form": form}, status=status)


def room(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.select_related("region"), pk=pk, kind=Unit.Kind.ROOM, is_active=True
    )
    assignment = (
        AdvisorAssignment.objects.current()
        .filter(region_id=unit.region_id)
        .select_related("practitioner__unit")
        .first()
    )
    days: list[ServiceDay] = []
    upcoming: list[tuple[dt.date, str]] = []
    recent: list[WorkLog] = []
    today = timezone.localdate()
    if assignment is not None:
        days = list(ServiceDay.objects.filter(assignment=assignment))
        upcoming = sorted(
            actions.expected_days(assignment, days, today, today + dt.timedelta(days=28)).items()
        )[:6]
        recent = list(
            WorkLog.objects.filter(assignment=assignment, status=WorkLog.Status.CONFIRMED).order_by("-date")[
                :10
            ]
        )
    return render(
        request,
        "advisors/public_room.html",
        {
            "unit": unit,
            "a": assignment,
            "days": days,
            "upcoming": upcoming,
            "recent": recent,
            # Other lines' parts of the room's page (the 便民箱 of fawang.frontdesk), through the seam.
            "sections": pointpage.sections(request, unit),
        },
    )
