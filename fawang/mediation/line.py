"""The mediation line on the shared matter: its panel on the page of a 人民调解申请 (the case opened from it, or the
form to open one)."""

from __future__ import annotations

from typing import Any

from fawang.catalog.models import BusinessLine
from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter
from fawang.orgs.roles import has_capability

from .forms import OpenFromMatterForm
from .models import Case


def is_mediation(matter: Matter) -> bool:
    return matter.service_item.business_line == BusinessLine.MEDIATION


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    case = Case.objects.filter(matter=matter).first()
    may_open = (
        case is None
        and matter.status in (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED)
        and matter.unit.kind == "mediation"
        and has_capability(user, "mediation.handle", matter.unit)
    )
    if case is None and not may_open:
        return {}
    return {
        "mediation_case": case,
        "mediation_matter": matter,
        "open_form": OpenFromMatterForm(prefix="med") if may_open else None,
    }


LINE = Line(BusinessLine.MEDIATION, is_mediation, panel=Panel("mediation/_matter_panel.html", panel_context))
