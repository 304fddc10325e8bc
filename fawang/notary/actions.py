"""The notary office's two steps before the person comes in: 材料预审 (pre-review of the materials sent online, and
the one-time notice of everything missing: 公证程序规则 第二十条) and 预约办理 (the day to come and sign before the
notary, once the materials are complete).

Each writes the request's own fields and one event on the matter, visible to the person, in one transaction, and
tells the person (in-app and SMS) through the matter's notices with the notary line's own text (line.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.matters import notices
from fawang.matters.actions.base import event, lock, require
from fawang.matters.models import Matter, MatterEvent

from .models import NotaryRequest

if TYPE_CHECKING:
    from fawang.accounts.models import User

HANDLE = "matters.handle"
OPEN = (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS)
PREREVIEWED = "notary.prereviewed"
BOOKED = "notary.appointment"


def _request(matter: Matter) -> NotaryRequest:
    request = NotaryRequest.objects.select_for_update().filter(matter=matter).first()
    if request is None:
        # A notary matter taken in before the line's own data existed: its request row is made now.
        request = NotaryRequest.objects.create(matter=matter)
    return request


def _check_open(matter: Matter) -> None:
    if matter.service_item.code != "notary":
        raise ValidationError(_("该事项不是公证申请。"), code="not_notary")
    if matter.status not in OPEN:
        raise ValidationError(
            _("事项“%(status)s”，不能再预审或预约。") % {"status": matter.get_status_display()}, code="closed"
        )


@transaction.atomic
def do_prereview(
    matter_id: int,
    *,
    actor: User | None,
    missing: list[str],
    note: str = "",
    now: dt.datetime | None = None,
) -> MatterEvent:
    """Record the pre-review: ``missing`` lists every material still to be sent (empty: complete). The person is
    told the whole list at once."""
    now = now or timezone.now()
    matter = lock(matter_id)
    require(actor, HANDLE, matter)
    _check_open(matter)
    missing = [name.strip() for name in missing if name and name.strip()]
    note = (note or "").strip()
    request = _request(matter)
    request.reviewed_at = now
    request.missing = missing
    request.review_note = note
    request.save(update_fields=["reviewed_at", "missing", "review_note"])
    if missing:
        text = _("材料预审：尚缺 %(list)s。") % {"list": "；".join(missing)}
    else:
        text = _("材料预审：材料齐全，可以预约办理。")
    if note:
        text += _("说明：%(note)s") % {"note": note}
    done = event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=text,
        visible=True,
        payload={"notary": "prereview", "missing": missing},
    )
    notices.to_person(matter, PREREVIEWED, done)
    return done


@transaction.atomic
def do_book(
    matter_id: int,
    *,
    actor: User | None,
    at: dt.datetime,
    place: str = "",
    now: dt.datetime | None = None,
) -> MatterEvent:
    """Book the day the person comes to the notary office. Only after a pre-review that found the materials
    complete (so nobody travels to be sent home for a missing paper), and never in the past."""
    now = now or timezone.now()
    matter = lock(matter_id)
    require(actor, HANDLE, matter)
    _check_open(matter)
    request = _request(matter)
    if not request.materials_complete:
        raise ValidationError(
            _("材料尚未预审齐全，请先预审并一次性告知申请人需补充的材料，齐全后再预约。"), code="not_complete"
        )
    if at <= now:
        raise ValidationError({"at": _("预约时间须晚于现在。")}, code="past")
    place = (place or "").strip() or matter.unit.address or matter.unit.name
    request.appointment_at = at
    request.appointment_place = place
    request.save(update_fields=["appointment_at", "appointment_place"])
    local = timezone.localtime(at)
    done = event(
        matter,
        MatterEvent.Action.COMMENT,
        actor=actor,
        now=now,
        note=_("预约办理：%(when)s，地点：%(place)s。请携带身份证件和全部材料原件。")
        % {"when": f"{local:%Y-%m-%d %H:%M}", "place": place},
        visible=True,
        payload={"notary": "appointment", "at": at.isoformat()},
    )
    notices.to_person(matter, BOOKED, done)
    return done
