"""The talent pool on the shared matter page (专业人才推荐): for an open matter with its area (所涉领域) known, the
handling staff see the practitioners of the pool who hold that speciality near the matter's region, ranked with
their reasons (talent.specialists), and open a practitioner's entry from there. Registered on the seam
(fawang.matters.lines) for every matter; the panel stays empty where it has nothing to say."""

from __future__ import annotations

from typing import Any

from fawang.matters.lines import Line, Panel
from fawang.matters.models import Matter
from fawang.orgs.authority import has_matter_capability

from . import talent

OPEN = (Matter.Status.SUBMITTED, Matter.Status.ACCEPTED, Matter.Status.IN_PROGRESS, Matter.Status.SUSPENDED)


def has_topic(matter: Matter) -> bool:
    return matter.topic_id is not None


def panel_context(user: Any, matter: Matter) -> dict[str, Any]:
    if matter.status not in OPEN or not has_matter_capability(
        user, "matters.handle", matter.unit, matter.intake_unit
    ):
        return {}
    return {
        "specialist_topic": matter.topic,
        "specialists": talent.specialists(matter.topic, matter.region),
    }


LINE = Line("talent", has_topic, panel=Panel("advisors/_specialists_panel.html", panel_context))
