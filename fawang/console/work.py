"""The console home's first card (issue 14, item 19): each staff member's own work before the directory — their
matters in progress, what waits for acceptance in their current unit, what is due soon or overdue where they
work, and the current service point's appointments of the day. Counts only (a few COUNT queries), each a link
to the list that shows the rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.matters.models import Matter
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability


@dataclass(frozen=True)
class Tile:
    label: str | Promise
    count: int
    url: str
    urgent: bool = False  # shown as a warning when above zero


def work_tiles(user: User, unit: Unit | None) -> list[Tile]:
    tiles: list[Tile] = []
    handles = has_capability(user, "matters.handle", unit) or has_capability(user, "matters.intake", unit)
    if handles:
        tiles.append(
            Tile(
                _("我承办的在办事项"),
                Matter.objects.filter(handler=user).open().count(),
                reverse("matters:my_queue"),
            )
        )
        if unit is not None:
            tiles.append(
                Tile(
                    _("本机构待受理"),
                    Matter.objects.filter(unit=unit, status=Matter.Status.SUBMITTED).count(),
                    reverse("matters:unit_queue"),
                )
            )
    if handles or has_capability(user, "matters.supervise"):
        visible = Matter.objects.visible_to(user)
        lists = reverse("matters:list")
        tiles.append(
            Tile(
                _("临近时限"),
                visible.due_soon().count(),
                lists + "?" + urlencode({"due_soon": "on"}),
                urgent=True,
            )
        )
        tiles.append(
            Tile(
                _("已超期"),
                visible.overdue().count(),
                lists + "?" + urlencode({"overdue": "on"}),
                urgent=True,
            )
        )
    if unit is not None and has_capability(user, "frontdesk.desk", unit):
        from fawang.frontdesk.models import Appointment

        today = timezone.localdate()
        tiles.append(
            Tile(
                _("今日预约"),
                Appointment.objects.filter(
                    unit=unit, slot__date=today, status=Appointment.Status.BOOKED
                ).count(),
                reverse("frontdesk:day"),
            )
        )
    return tiles
