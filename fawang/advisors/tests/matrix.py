"""The advisors' URLs in the role matrix (fawang/console/tests/test_role_matrix.py merges these tables).

Appointments, schedule lines, work logs and missed days hang on the village's room (工作室): a persona sees them
where it sees the room (SEES), and the objects below are made with the unit of each position as their room. Only
the advisor named on the appointment writes its work log, and none of the personas is that advisor (their
practitioner record is another person's): logging and resending a code answer 403 where the persona sees the
appointment and 404 where not — the advisor's own flow is tested in test_work.py and the e2e test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import ADMINS, ADVISOR, SUPERVISORS, SYSADMIN, Row

CAN = {
    "advisors.log_work": ADVISOR,
    "advisors.manage": SUPERVISORS | ADMINS | SYSADMIN,
    # Subsidy rules are a 司法局's documents: not a law firm's admin, though the role holds advisors.manage.
    "advisors.subsidy_rules": SUPERVISORS | frozenset({"bureau_admin"}) | SYSADMIN,
}

# Only the appointment's own advisor: 403 where the persona sees the room, 404 where it does not.
ANSWERS = {
    "advisors_own": {
        "city_supervisor": (403, 403, 404, 403, 404),
        "bureau_supervisor": (403, 403, 404, 404, 404),
        "bureau_admin": (403, 403, 404, 404, 404),
        "sysadmin": (403, 403, 403, 403, 403),
        "*": (403, 404, 404, 404, 404),
    }
}

LOG_BODY = (
    ("date", "2030-01-01"),
    ("kind", "fixed"),
    ("hours", "2"),
    ("consultations", 1),
    ("disputes_mediated", 0),
    ("documents_reviewed", 0),
    ("talks", 0),
    ("audience", 0),
)

ROWS = {
    "advisors:my_work": Row("page", "advisors.log_work"),
    "advisors:monthly": Row("page", "advisors.manage"),
    "advisors:export": Row("page", "advisors.manage"),
    "advisors:missed": Row("page", "advisors.manage"),
    "advisors:coverage": Row("page", "advisors.manage"),
    "advisors:rules": Row("page", "advisors.manage"),
    "advisors:talent": Row("page", "advisors.manage"),
    "advisors:rule_add": Row(
        "page",
        "advisors.subsidy_rules",
        "post",
        302,
        (
            ("region_code", "350203"),
            ("title", "法律服务工作补助办法"),
            ("effective_from", "2031-01-01"),
            ("per_fixed_day", "200"),
            ("per_roving_day", "150"),
            ("per_talk", "0"),
            ("per_mediation", "0"),
            ("per_document", "0"),
        ),
    ),
    "advisors:assignment": Row("assignment", "seen"),
    "advisors:log_add": Row("assignment", "advisors_own", "post", 302, LOG_BODY),
    "advisors:service_day_add": Row(
        "assignment",
        "advisors.manage",
        "post",
        302,
        (("kind", "fixed"), ("weekday", 4), ("start_time", "14:00"), ("end_time", "16:00")),
    ),
    "advisors:contact_set": Row(
        "assignment",
        "advisors.manage",
        "post",
        302,
        (("name", "矩阵"), ("title", "文书"), ("phone", "13905920000")),
    ),
    # 公示信息 (photo, consents): the advisor themselves or advisors.manage over the room; the body withdraws both
    # consents, which needs no photo or phone on file.
    "advisors:board_set": Row("assignment", "advisors.manage", "post", 302, ()),
    "advisors:service_day_delete": Row("service_day", "advisors.manage", "post", 302),
    "advisors:log": Row("work_log", "seen"),
    "advisors:log_resend": Row("work_log", "advisors_own", "post", 302),
    "advisors:talent_edit": Row("practitioner", "advisors.manage"),
    # A village's ranked candidates: reached like appointing its advisor (console:advisor_appoint).
    "advisors:recommend": Row("village", "village_appoint"),
    # 律师参与信访接待: receptions kept by the unit at each position.
    "advisors:petition": Row("page", "advisors.manage"),
    "advisors:petition_post_new": Row("page", "advisors.manage"),
    "advisors:petition_post": Row("petition_post", "seen"),
    # The body names no lawyer (0): the form refuses it (400), after the capability was checked.
    "advisors:petition_duty_add": Row(
        "petition_post",
        "advisors.manage",
        "post",
        400,
        (("practitioner", 0), ("date", "2030-01-01"), ("start_time", "09:00"), ("end_time", "12:00")),
    ),
    "advisors:petition_log": Row(
        "petition_duty",
        "advisors.manage",
        "post",
        302,
        (
            ("present", "on"),
            ("visitors", 3),
            ("cases", 2),
            ("to_litigation", 1),
            ("to_legal_aid", 1),
            ("to_mediation", 0),
        ),
    ),
}

PUBLIC = {
    "advisors_public": "the committee's confirmation page (by the unguessable link in its SMS, code checked), a "
    "village room's public page and its advisor's photo, shown only with consent (fawang/advisors/tests/"
    "test_public.py, test_board.py)",
}


def make(case: Any, kind: str, unit: Any) -> Any:
    from fawang.advisors.models import ServiceDay, ServiceKind, WorkLog
    from fawang.orgs.models import AdvisorAssignment, Practitioner
    from fawang.regions.models import Region

    if kind == "assignment":
        village = Region.objects.create(
            code=f"99{unit.pk:010d}", name=f"矩阵村{unit.pk}", level=Region.Level.VILLAGE, full_name="矩阵村"
        )
        lawyer = Practitioner.objects.create(
            name="矩阵顾问", kind=Practitioner.Kind.LAWYER, licence_no=f"MA{unit.pk}", unit=unit
        )
        return AdvisorAssignment.objects.create(
            practitioner=lawyer, region=village, room=unit, started_on=dt.date(2024, 1, 1)
        )
    if kind == "service_day":
        return ServiceDay.objects.create(
            assignment=case.object_at("assignment", unit),
            room=unit,
            kind=ServiceKind.FIXED,
            weekday=0,
            start_time=dt.time(9),
            end_time=dt.time(11),
        )
    if kind == "work_log":
        assignment = case.object_at("assignment", unit)
        return WorkLog.objects.create(
            assignment=assignment,
            room=unit,
            region=assignment.region,
            date=timezone.localdate(),
            kind=ServiceKind.FIXED,
            hours=Decimal("2"),
        )
    if kind == "petition_post":
        from fawang.advisors.models import PetitionPost

        return PetitionPost.objects.create(unit=unit, name=f"矩阵信访接待{unit.pk}", region_id=unit.region_id)
    if kind == "petition_duty":
        from fawang.advisors.models import PetitionDuty

        lawyer = Practitioner.objects.create(
            name="矩阵值班律师", kind=Practitioner.Kind.LAWYER, licence_no=f"MP{unit.pk}", unit=unit
        )
        return PetitionDuty.objects.create(
            post=case.object_at("petition_post", unit),
            practitioner=lawyer,
            date=timezone.localdate(),
            start_time=dt.time(9),
            end_time=dt.time(12),
        )
    return None
