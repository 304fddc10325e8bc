"""The appraisal line's URLs in the role matrix (merged by fawang/console/tests/test_role_matrix.py)."""

from __future__ import annotations

import itertools
from typing import Any

from fawang.catalog.models import ServiceItem
from fawang.console.tests.test_role_matrix import Row
from fawang.matters.models import Matter

_seq = itertools.count(8400)

ROWS = {
    "appraisal:institutions": Row("page", "staff"),
    "appraisal:institution": Row("appraisal_inst", "appraisal_seen"),
    "appraisal:institution_save": Row(
        "appraisal_inst", "appraisal_license", "post", 302, (("unit-categories", "documents"),)
    ),
    # The body names no institution (0): the form refuses it, after the capability was checked.
    "appraisal:entrust": Row(
        "appraisal_matter",
        "matters.handle",
        "post",
        302,
        (("entrust-category", "documents"), ("entrust-unit", 0)),
    ),
}

PUBLIC = {"appraisal_public": "the public list of appraisal institutions and their licensed categories"}


def make(case: Any, kind: str, unit: Any) -> Any:
    from fawang.orgs.models import Unit

    if kind == "appraisal_inst":
        return Unit.objects.create(
            kind=Unit.Kind.APPRAISAL, name=f"矩阵司法鉴定所{unit.pk}", region_id=unit.region_id, parent=unit
        )
    if kind == "appraisal_matter":
        matter = case.matter_at(unit, next(_seq))
        Matter.objects.filter(pk=matter.pk).update(service_item=ServiceItem.objects.get(code="appraisal"))
        return Matter.objects.get(pk=matter.pk)
    return None


# Positions: own, sibling, parent, district, city. The objects are appraisal institutions made under the unit at
# each position (kept apart from the demo's).
BUREAUS = {"bureau_supervisor", "bureau_admin"}
SERVICE_UNITS = {
    "centre_clerk",
    "aid_handler",
    "office_handler",
    "corrections_officer",
    "committee_handler",
    "station_clerk",
    "room_advisor",
}
INSTITUTIONS = {"firm_handler", "firm_admin", "notary_clerk", "prison_clerk", "hotline_12345"}
ANSWERS: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # Seen as the unit at the position is, except by an institution (律所、公证处、监狱、外部热线 reach only
    # themselves, not a unit under them).
    "appraisal_seen": {
        "city_supervisor": (200, 200, 404, 200, 404),
        **{persona: (200, 200, 404, 404, 404) for persona in BUREAUS},
        **{persona: (200, 404, 404, 404, 404) for persona in SERVICE_UNITS},
        **{persona: (404, 404, 404, 404, 404) for persona in INSTITUTIONS},
        "sysadmin": (200, 200, 200, 200, 200),
    },
    # Recording the categories (actions.may_license): a 司法局 membership reaching the institution, or the system
    # administrator; a service unit sees the institution under it but may not (403); institutions reach none.
    "appraisal_license": {
        "city_supervisor": (302, 302, 404, 302, 404),
        **{persona: (302, 302, 404, 404, 404) for persona in BUREAUS},
        **{persona: (403, 404, 404, 404, 404) for persona in SERVICE_UNITS},
        **{persona: (404, 404, 404, 404, 404) for persona in INSTITUTIONS},
        "sysadmin": (302, 302, 302, 302, 302),
    },
}
