"""Public pages of the advisors' work: the village committee's confirmation of a day of service (the link and
code in the SMS to its contact), and a village room's page with its advisor's schedule and recent work
(anonymised: counts only, never a person's name or a summary)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fawang.lib import pointpage
from fawang.lib.files import stored_image
from fawang.orgs.models import Unit

from . import actions, board
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


def _room(pk: int) -> Unit:
    return get_object_or_404(
        Unit.objects.select_related("region"), pk=pk, kind=Unit.Kind.ROOM, is_active=True
    )


def room(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _room(pk)
    # The same advisor, schedule lines, photo and phone as the room's 公示牌 (board.card), kept current here.
    assignment = board.current_assignment(unit)
    card = profile = None
    days: list[ServiceDay] = []
    upcoming: list[tuple[dt.date, str]] = []
    recent: list[WorkLog] = []
    today = timezone.localdate()
    if assignment is not None:
        days = list(ServiceDay.objects.filter(assignment=assignment))
        profile = board.profile_of(assignment)
        card = board.card_for(assignment, days, profile, embed_photo=False)
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
            "card": card,
            "shows_photo": profile is not None and profile.shows_photo,
            "days": days,
            "upcoming": upcoming,
            "recent": recent,
            # Other lines' parts of the room's page (the 便民箱 of fawang.frontdesk), through the seam.
            "sections": pointpage.sections(request, unit),
        },
    )


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo of a room's current advisor, only while the advisor consents to it being shown (else 404, as for
    a room with no advisor or no photo); served through this view, never by its storage path."""
    assignment = board.current_assignment(_room(pk))
    profile = board.profile_of(assignment) if assignment is not None else None
    if profile is None or not profile.shows_photo:
        raise Http404
    # A withdrawn consent must take effect at once: no shared caches, a short private one.
    return stored_image(str(profile.photo.name), profile.photo_type, cache_control="private, max-age=300")
