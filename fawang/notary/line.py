"""The notary line on the shared matter: its panel on a 公证 request's staff page (the materials of the type, the
pre-review with its form, the appointment with its form) and its own words in the messages the person gets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability

from . import actions
from .forms import BookForm, PreReviewForm
from .items import ITEM, MATERIALS
from .models import NotaryRequest

if TYPE_CHECKING:
    from fawang.matters.models import MatterEvent


def is_notary(matter: Matter) -> bool:
    return matter.service_item.code == ITEM


def materials_of(request: NotaryRequest | None) -> tuple[str, ...]:
    """The checklist of the type (the ID document alone while the notary has not set the type)."""
    if request is None or not request.notary_type:
        return (_("身份证明"),)
    return MATERIALS.get(request.notary_type, (_("身份证明"),))


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    request = NotaryRequest.objects.filter(matter=matter).first()
    may_act = matter.status in actions.OPEN and has_matter_capability(
        user, actions.HANDLE, matter.unit, matter.intake_unit
    )
    return {
        "notary_matter": matter,
        "notary_request": request,
        "materials": materials_of(request),
        "review_form": PreReviewForm(materials=materials_of(request), prefix="review") if may_act else None,
        "book_form": BookForm(prefix="book")
        if may_act and request is not None and request.materials_complete
        else None,
    }


def public_panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    """The applicant's own card (their matter page; citizens checked the matter is theirs): the materials to bring,
    what the pre-review found missing, the appointment."""
    request = NotaryRequest.objects.filter(matter=matter).first()
    return {"notary_request": request, "materials": materials_of(request)}


def person_text(kind: str, matter: Matter, event: MatterEvent | None, ref: str) -> str | None:
    if kind not in (actions.PREREVIEWED, actions.BOOKED):
        return None
    return _("%(ref)s%(note)s") % {"ref": ref, "note": event.note if event else ""}


LINE = Line(
    ITEM,
    is_notary,
    person_text=person_text,
    panel=Panel("notary/_matter_panel.html", panel_context),
    public_panel=Panel("notary/_public_panel.html", public_panel_context),
)
