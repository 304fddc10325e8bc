"""The advisor of a village room as the room's 公示牌 and public page show them: name, kind and firm, the service
days from the schedule (``ServiceDay``: 定点 weekdays, and the 流动 dates still to come), the photo only while the
advisor consents to it, and their own telephone only if they opted in (``BoardProfile``).

The board itself belongs to fawang.frontdesk; it gets this card through fawang.lib.pointpage (registered in
apps.py), since the two apps may not import each other."""

from __future__ import annotations

import base64
import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.lib.pointpage import AdvisorCard
from fawang.orgs.models import AdvisorAssignment, Unit

from .models import BoardProfile, ServiceDay, ServiceKind

# Dated visits further ahead than this are not printed: a board hangs for months, the page is current.
ROVING_AHEAD_DAYS = 60
ROVING_LINES = 4


def current_assignment(room: Unit) -> AdvisorAssignment | None:
    """The room's current advisor: the appointment naming the room, else the one of the room's village."""
    current = AdvisorAssignment.objects.current().select_related("practitioner__unit")
    return current.filter(room=room).first() or current.filter(region_id=room.region_id).first()


def schedule_lines(days: list[ServiceDay], today: dt.date) -> list[str]:
    """每周三 09:00–11:30（place） for each weekly day, then the next few dated visits (流动服务)."""
    lines = []
    for d in sorted(days, key=lambda d: (d.weekday or 0, d.start_time)):
        if d.kind != ServiceKind.FIXED:
            continue
        line = _("每%(weekday)s %(start)s–%(end)s") % {
            "weekday": d.get_weekday_display(),
            "start": f"{d.start_time:%H:%M}",
            "end": f"{d.end_time:%H:%M}",
        }
        lines.append(line + (f"（{d.place}）" if d.place else ""))
    ahead = today + dt.timedelta(days=ROVING_AHEAD_DAYS)
    roving = sorted(
        (d for d in days if d.kind == ServiceKind.ROVING and d.date and today <= d.date <= ahead),
        key=lambda d: (d.date, d.start_time),
    )
    for d in roving[:ROVING_LINES]:
        assert d.date is not None
        line = _("%(month)s月%(day)s日 %(start)s–%(end)s 流动服务") % {
            "month": d.date.month,
            "day": d.date.day,
            "start": f"{d.start_time:%H:%M}",
            "end": f"{d.end_time:%H:%M}",
        }
        lines.append(line + (f"（{d.place}）" if d.place else ""))
    return lines


def profile_of(assignment: AdvisorAssignment) -> BoardProfile | None:
    profile = BoardProfile.objects.filter(practitioner_id=assignment.practitioner_id).first()
    if profile is not None:
        profile.practitioner = assignment.practitioner  # loaded already: shows_phone reads its number
    return profile


def photo_data_uri(profile: BoardProfile | None) -> str:
    """The consented photo as a data URI for the PDF (WeasyPrint fetches nothing over the network), else ""."""
    if profile is None or not profile.shows_photo:
        return ""
    try:
        with default_storage.open(str(profile.photo.name), "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return f"data:{profile.photo_type};base64,{base64.b64encode(data).decode('ascii')}"


def card_for(
    assignment: AdvisorAssignment,
    days: list[ServiceDay],
    profile: BoardProfile | None,
    *,
    embed_photo: bool,
) -> AdvisorCard:
    practitioner = assignment.practitioner
    return AdvisorCard(
        name=practitioner.name,
        kind=str(practitioner.get_kind_display()),
        firm=practitioner.unit.name if practitioner.unit else "",
        schedule=schedule_lines(days, timezone.localdate()),
        photo=photo_data_uri(profile) if embed_photo else "",
        phone=practitioner.phone if profile is not None and profile.shows_phone else "",
    )


def card(room: Unit) -> AdvisorCard | None:
    """The card the 公示牌 prints (registered with fawang.lib.pointpage), the photo embedded."""
    assignment = current_assignment(room)
    if assignment is None:
        return None
    days = list(ServiceDay.objects.filter(assignment=assignment))
    return card_for(assignment, days, profile_of(assignment), embed_photo=True)
