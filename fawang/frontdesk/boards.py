"""公示牌 of a village (community) legal-service room (村居法律服务工作室), as a printable A4 or A3 PDF.

What a board shows, following the seeds (each village room posts its advisor's details on a public board): the
room's name, address, hours and functions ("3+X"); its legal advisor (一村一法律顾问: name, kind, firm, the service
days from the advisors' schedule, and the photo only while the advisor consents to it); a contact that is the room's
telephone or, failing that, the 12348 public legal service hotline — the advisor's own number only if they opted in
to it being posted; the 12348 line;
and a QR code that opens the room's public page (/advisors/rooms/<id>/), where the same details are kept current
and the 便民箱 takes suggestions. A town's boards print in one PDF, one page per room (batch print).

The advisor's card (schedule, photo, consents) comes from fawang.advisors through fawang.lib.pointpage, as the two
apps may not import each other; the room page is named by its URL name only. Same
WeasyPrint set-up and CJK fonts as the notices (fawang/matters/pdf.py). No personal data of the public."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from fawang.lib.pointpage import AdvisorCard, advisor_card
from fawang.orgs.models import Unit

if TYPE_CHECKING:
    from django.http import HttpRequest

HOTLINE = "12348"
SIZES = ("A4", "A3")
# A town has a few dozen villages at most; more than this in one PDF is a mistake (a county picked).
MAX_BOARDS = 200


@dataclass(frozen=True)
class Board:
    room: Unit
    advisor: AdvisorCard | None
    contact: str
    functions: list[str]
    url: str
    qr: SafeString


def rooms_for(unit: Unit) -> list[Unit]:
    """The rooms a board print covers: the room itself, or the active rooms of a town's station (its children)."""
    if unit.kind == Unit.Kind.ROOM:
        return [unit]
    return list(
        Unit.objects.filter(kind=Unit.Kind.ROOM, parent=unit, is_active=True)
        .select_related("region")
        .order_by("region_id", "name")[:MAX_BOARDS]
    )


def room_url(request: HttpRequest, room: Unit) -> str:
    """The room's public page, absolute, for the QR code (the advisors' page, named by its URL name)."""
    return request.build_absolute_uri(reverse("advisors_public:room", args=[room.pk]))


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code, vector so it prints sharp at A3; generated markup with no user text."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - made by qrcode from a URL we built


def board_for(request: HttpRequest, room: Unit) -> Board:
    url = room_url(request, room)
    return Board(
        room=room,
        advisor=advisor_card(room),
        # The room's telephone, or the 12348 line; the advisor's own number only on their consent (advisor.phone).
        contact=room.phone or HOTLINE,
        functions=[f.name for f in room.functions.all()],
        url=url,
        qr=qr_svg(url),
    )


def boards_html(request: HttpRequest, rooms: list[Unit], size: str = "A4") -> str:
    return render_to_string(
        "frontdesk/board_pdf.html",
        {
            "boards": [board_for(request, room) for room in rooms],
            "size": size if size in SIZES else "A4",
            "hotline": HOTLINE,
        },
    )


def boards_pdf(request: HttpRequest, rooms: list[Unit], size: str = "A4") -> bytes:
    from weasyprint import HTML

    return HTML(
        string=boards_html(request, rooms, size), base_url=request.build_absolute_uri("/")
    ).write_pdf()
