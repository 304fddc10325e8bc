"""The appraisal line on the shared matter: its panel on a 司法鉴定 request's staff page — the category, the
licensed institutions of the city that may take it, nearest first, and the form to entrust it to one."""

from __future__ import annotations

from typing import Any

from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability

from .actions import ITEM, OPEN
from .forms import EntrustForm
from .models import AppraisalRequest
from .routing import licensed_institutions


def is_appraisal(matter: Matter) -> bool:
    return matter.service_item.code == ITEM


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    request = AppraisalRequest.objects.filter(matter=matter).select_related("entrusted_to").first()
    category = request.category if request is not None else ""
    may_act = matter.status in OPEN and has_matter_capability(
        user, "matters.handle", matter.unit, matter.intake_unit
    )
    return {
        "appraisal_matter": matter,
        "appraisal_request": request,
        "licensed": licensed_institutions(category, matter.region) if category else [],
        "entrust_form": EntrustForm(
            initial={"category": category}, city=matter.region_id[:4], prefix="entrust"
        )
        if may_act
        else None,
    }


LINE = Line(ITEM, is_appraisal, panel=Panel("appraisal/_matter_panel.html", panel_context))
