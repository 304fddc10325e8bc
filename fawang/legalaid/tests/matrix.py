"""Legal aid's URLs and matter actions in the role matrix (fawang/console/tests/test_role_matrix.py).

Object kinds (``make``) at a unit U: a legal-aid case whose matter sits at U and which was assigned to a lawyer of
U (so "the firm" of the case is U too: a law firm sees the case at its own position only), a case closed by the
lawyer, an application granted (to assign) or submitted (先行提供) with a roster at U, a refusal decision whose
objection goes to U, an objection to be decided at U, and a computed subsidy.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fawang.console.tests.test_role_matrix import (
    ADMINS,
    ADVISOR,
    CLERKS,
    HANDLERS,
    HOTLINE,
    PERSONAS,
    SEES,
    SEES_REGION,
    SUPERVISORS,
    SYSADMIN,
    ActionRule,
    Row,
)
from fawang.matters.models import Matter
from fawang.orgs.models import Practitioner, Unit

MS = Matter.Status
FIVE = tuple[int, int, int, int, int]

CAN = {
    "legalaid.decide": HANDLERS | SYSADMIN,
    "legalaid.objection": SUPERVISORS | SYSADMIN,
    # An objection is registered by the centre's handlers or taken in at a window, the hotline or a room.
    "legalaid.decide|matters.intake": CLERKS | HOTLINE | HANDLERS | ADVISOR | SYSADMIN,
}


def _answers(
    sees: Mapping[str, tuple[bool, ...]], ok_where: Mapping[str, tuple[bool, ...]], ok: int
) -> dict[str, FIVE]:
    """Five answers per persona from the hand-written tables: ``ok`` where allowed, 403 where seen, 404 else."""
    out: dict[str, FIVE] = {}
    for persona in PERSONAS:
        allowed = ok_where.get(persona, (False,) * 5)
        row = tuple((ok if allowed[i] else 403) if sees[persona][i] else 404 for i in range(5))
        out[persona] = row  # type: ignore[assignment]
    return out


Y, N = True, False
# Hardship standards are set by a 司法局 over its own region's subtree (and the system administrator): a law
# firm or a centre reaching a region never sets its standard.
SETS_STANDARDS = {
    "city_supervisor": (Y, Y, N, Y, N),
    "bureau_supervisor": (Y, Y, N, N, N),
    "bureau_admin": (Y, Y, N, N, N),
    "sysadmin": (Y, Y, Y, Y, Y),
}
# The firm's own work on a case (accept, log, close): the staff of the unit the case was assigned to, never a
# unit above it; the system administrator everywhere.
WORKS = {p: (Y, N, N, N, N) for p in HANDLERS | ADMINS} | {"sysadmin": (Y, Y, Y, Y, Y)}

ANSWERS = {
    "aid_standards": _answers(SEES_REGION, SETS_STANDARDS, 302),
    "aid_casework": _answers(SEES, WORKS, 302),
}

STANDARD_BODY = (
    ("region", "@obj"),
    ("basis", "fixed"),
    ("amount", "1500"),
    ("effective_from", "2099-01-01"),
    ("document", "矩阵"),
)
REFERENCE_BODY = (
    ("region", "@obj"),
    ("kind", "min_wage"),
    ("amount", "2100"),
    ("effective_from", "2099-01-01"),
    ("document", "矩阵"),
)

NOTIFICATION_BODY = (
    ("organ_kind", "court"),
    ("organ_name", "矩阵人民法院"),
    ("reference_no", "（2025）矩刑初1号"),
    ("ground", "minor"),
    ("person_name", "张三"),
    ("charge", "盗窃"),
)

ROWS = {
    "legalaid:standards": Row("page", "staff"),
    "legalaid:standard_add": Row("region", "aid_standards", "post", 302, STANDARD_BODY, in_url=False),
    "legalaid:reference_add": Row("region", "aid_standards", "post", 302, REFERENCE_BODY, in_url=False),
    "legalaid:roster": Row("page", "staff"),
    "legalaid:roster_add": Row(
        "unit", "legalaid.decide", "post", 302, (("licence_no", "矩阵-无此人"), ("max_open", 5))
    ),
    "legalaid:assign": Row("aid_accepted", "legalaid.decide", "post", 302, (("assign-case_type", "civil"),)),
    "legalaid:advance": Row(
        "aid_submitted",
        "legalaid.decide",
        "post",
        302,
        (("advance-case_type", "civil"), ("advance-reason", "limitation"), ("advance-materials_owed", "")),
    ),
    "legalaid:cases": Row("page", "staff"),
    "legalaid:case": Row("aid_case", "seen"),
    "legalaid:case_notice": Row("aid_case", "seen"),
    "legalaid:case_file": Row("aid_case", "seen"),
    "legalaid:case_accept": Row("aid_case", "aid_casework", "post", 302),
    "legalaid:case_log": Row(
        "aid_case",
        "aid_casework",
        "post",
        302,
        (("kind", "meeting"), ("happened_on", "2025-01-02"), ("note", "矩阵")),
    ),
    "legalaid:case_close": Row(
        "aid_case", "aid_casework", "post", 302, (("outcome", "won"), ("note", "矩阵"))
    ),
    "legalaid:case_check": Row(
        "aid_closed_case", "legalaid.decide", "post", 302, (("passed", "1"), ("score", 90))
    ),
    "legalaid:decision_pdf": Row("aid_decision", "seen"),
    "legalaid:objection_add": Row(
        "aid_decision", "legalaid.decide|matters.intake", "post", 302, (("reasons", "不服"),)
    ),
    "legalaid:objections": Row("page", "staff"),
    "legalaid:objection_decide": Row(
        "aid_objection", "legalaid.objection", "post", 302, (("outcome", "maintain"), ("note", "维持"))
    ),
    "legalaid:subsidies": Row("page", "staff"),
    "legalaid:subsidy_approve": Row("aid_subsidy", "legalaid.decide", "post", 302),
    "legalaid:payment_list": Row("page", "staff"),
    "legalaid:case_quality": Row(
        "aid_case",
        "legalaid.decide",
        "post",
        302,
        (("kind", "visit"), ("happened_on", "2025-01-02"), ("score", 90), ("note", "矩阵")),
    ),
    "legalaid:notifications": Row("page", "staff"),
    "legalaid:notification_add": Row("unit", "legalaid.decide", "post", 302, NOTIFICATION_BODY),
    "legalaid:notification_letter": Row("aid_notification", "seen"),
    "legalaid:duty": Row("page", "staff"),
    "legalaid:station_add": Row(
        "unit", "legalaid.decide", "post", 302, (("kind", "court"), ("name", "矩阵人民法院"))
    ),
    "legalaid:shift_add": Row(
        "aid_station", "legalaid.decide", "post", 302, (("licence_no", "矩阵-无此人"), ("on", "2099-01-01"))
    ),
    "legalaid:duty_log": Row(
        "aid_shift",
        "legalaid.decide",
        "post",
        302,
        (("person_name", "张三"), ("help_kinds", "consultation"), ("advice", "矩阵")),
    ),
    # The staff API's 指派 and 先行提供 (fawang/legalaid/api.py): the same rule as the panel's forms.
    "api:legalaid_assign": Row("aid_accepted", "legalaid.decide", "post", 201, (("case_type", "civil"),)),
    "api:legalaid_advance": Row(
        "aid_submitted",
        "legalaid.decide",
        "post",
        201,
        (("case_type", "civil"), ("reason", "limitation"), ("materials_owed", "")),
    ),
    "legalaid:statistics": Row("page", "staff"),
    "legalaid:statistics_export": Row("page", "staff"),
}

ACTION_RULES = {
    "aid_grant": ActionRule("legalaid.decide", MS.SUBMITTED, (("reasons", ""),)),
    "aid_refuse": ActionRule("legalaid.decide", MS.SUBMITTED, (("reasons", "不符合法律援助条件。"),)),
    "aid_terminate": ActionRule("legalaid.decide", MS.IN_PROGRESS, (("reasons", "受援人不再符合条件。"),)),
}

OWN = {"aid_me": "the public's own legal-aid decision notices"}

PUBLIC: dict[str, str] = {
    "api:legalaid_notifications": "courts, procuratorates and police notify cases (通知辩护) with a signed request, "
    "not an account (fawang/legalaid/tests/test_notified.py)",
    "api:legalaid_notification": "the notifying organ reads whom the centre assigned with a signed request "
    "(test_notified.py)",
}


def _lawyer(unit: Unit) -> Any:
    from ..models import AidLawyer

    practitioner, _created = Practitioner.objects.get_or_create(
        licence_no=f"AIDM{unit.pk}",
        kind=Practitioner.Kind.LAWYER,
        defaults={"name": "矩阵律师", "unit": unit},
    )
    lawyer, _created = AidLawyer.objects.get_or_create(centre=unit, practitioner=practitioner)
    return lawyer


def _matter(case: Any, unit: Unit, status: str) -> Matter:
    case.seq += 1
    matter: Matter = case.matter_at(unit, case.seq)
    Matter.objects.filter(pk=matter.pk).update(status=status)
    return case.reload(matter)


def make(case: Any, kind: str, unit: Unit) -> Any:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from ..models import (
        Assignment,
        Decision,
        DutyShift,
        DutyStation,
        Notification,
        Objection,
        Subsidy,
        SubsidyRate,
        new_number,
    )

    if kind in ("aid_case", "aid_closed_case"):
        closed = kind == "aid_closed_case"
        matter = _matter(case, unit, MS.IN_PROGRESS)
        name = "legalaid/matrix/case.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"%PDF-1.4\n"))
        return Assignment.objects.create(
            matter=matter,
            lawyer=_lawyer(unit),
            firm=unit,
            number=new_number("矩阵"),
            status=Assignment.Status.CLOSED if closed else Assignment.Status.ASSIGNED,
            closed_at=timezone.now() if closed else None,
            outcome="won" if closed else "",
            case_file=name,
        )
    if kind in ("aid_accepted", "aid_submitted"):
        _lawyer(unit)
        return _matter(case, unit, MS.ACCEPTED if kind == "aid_accepted" else MS.SUBMITTED)
    if kind == "aid_decision":
        matter = _matter(case, unit, MS.REJECTED)
        return Decision.objects.create(
            matter=matter,
            kind=Decision.Kind.REFUSE,
            number=new_number("矩阵"),
            reasons="矩阵",
            objection_unit=unit,
            objection_due=timezone.localdate(),
        )
    if kind == "aid_objection":
        decision = case.object_at("aid_decision", unit)
        return Objection.objects.create(decision=decision, unit=unit, reasons="矩阵", due_at=timezone.now())
    if kind == "aid_notification":
        assignment = case.object_at("aid_case", unit)
        return Notification.objects.create(
            matter=assignment.matter,
            centre=unit,
            organ_kind="court",
            organ_name=f"矩阵人民法院{unit.pk}",
            reference_no="矩阵",
            ground="minor",
            charge="盗窃",
            due_at=timezone.now(),
        )
    if kind == "aid_station":
        return DutyStation.objects.create(centre=unit, kind="court", name=f"矩阵法院{unit.pk}")
    if kind == "aid_shift":
        station = case.object_at("aid_station", unit)
        return DutyShift.objects.create(station=station, lawyer=_lawyer(unit), on=timezone.localdate())
    if kind == "aid_subsidy":
        assignment = case.object_at("aid_closed_case", unit)
        rate = SubsidyRate.objects.create(
            region_id=unit.region_id,
            case_type="civil",
            amount=Decimal(1000),
            effective_from=timezone.localdate(),
            document="矩阵",
        )
        return Subsidy.objects.create(assignment=assignment, rate=rate, amount=rate.amount)
    return None
