"""The role matrix's declarations for people's mediation (merged by fawang/console/tests/test_role_matrix.py).

Where: a case, screening, warning or meeting is seen where its unit is reached (a committee its own, the 司法所 those
under it, the 司法局 those of its region); what: ``mediation.handle`` works cases (handlers, 系统管理员),
``mediation.screen`` records screening and 研判会, ``mediation.warn`` follows warnings up (also supervisors),
``mediation.stats`` the statistics. Objects are made at the unit of each position whatever its kind; where an action
needs a committee (turning a screening finding into a case) the answers are written out in ANSWERS.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from fawang.catalog.models import ServiceItem
from fawang.console.tests.test_role_matrix import (
    ADMINS,
    ADVISOR,
    HANDLERS,
    SUPERVISORS,
    SYSADMIN,
    Row,
)
from fawang.matters.models import Matter
from fawang.orgs.models import Practitioner, Unit

from ..models import (
    Agreement,
    Case,
    CaseMediator,
    CommitteeProfile,
    FollowUp,
    MediatorProfile,
    Party,
    ReviewMeeting,
    RiskWarning,
    Screening,
)

TODAY = timezone.localdate().isoformat()
HANDLE = "mediation.handle"

ROWS: dict[str, Row] = {
    "mediation:cases": Row("page", "staff"),
    "mediation:case_new": Row("page", HANDLE),
    "mediation:screenings": Row("page", "staff"),
    "mediation:screening_new": Row("page", "mediation.screen"),
    "mediation:meeting_new": Row("page", "mediation.screen"),
    "mediation:warnings": Row("page", "staff"),
    "mediation:committees": Row("page", "staff"),
    "mediation:stats": Row("page", "mediation.stats"),
    "mediation:stats_export": Row("page", "mediation.stats"),
    "mediation:case": Row("med_case", "seen"),
    # Bodies naming a party or mediator of the object cannot be written here: a real but wrong id answers 400
    # where the persona may act (the form refuses it), which still shows the 403/404 of the rule elsewhere.
    "mediation:case_consent": Row(
        "med_case", HANDLE, "post", 400, (("consent-party", 0), ("consent-consent", "agrees"))
    ),
    "mediation:case_assign": Row("med_case", HANDLE, "post", 400, (("assign-mediator", 0),)),
    "mediation:case_recuse": Row(
        "med_case", HANDLE, "post", 400, (("recuse-mediator", 1), ("recuse-reason", "矩阵"))
    ),
    "mediation:case_session": Row(
        "med_mediating",
        HANDLE,
        "post",
        302,
        (
            ("session-held_on", TODAY),
            ("session-place", "调解室"),
            ("session-attendees", "双方当事人"),
            ("session-content", "矩阵调解"),
        ),
    ),
    "mediation:case_agreement": Row(
        "med_mediating",
        HANDLE,
        "post",
        302,
        (
            ("agreement-form", "written"),
            ("agreement-facts", "事实"),
            ("agreement-terms", "权利义务"),
            ("agreement-performance", "当场履行"),
            ("agreement-agreed_on", TODAY),
        ),
    ),
    "mediation:case_terminate": Row(
        "med_mediating", HANDLE, "post", 302, (("terminate-reason", "分歧大"), ("terminate-routes", "诉讼"))
    ),
    "mediation:case_withdraw": Row("med_case", HANDLE, "post", 302, (("withdraw-reason", "撤回"),)),
    "mediation:open_from_matter": Row(
        "med_matter", HANDLE, "post", 302, (("med-dispute_type", "other"), ("med-respondent_name", "乙"))
    ),
    "mediation:agreement_pdf": Row("med_agreement", "seen"),
    "mediation:agreement_copy": Row("med_signed", "seen"),
    "mediation:agreement_signed": Row("med_agreement", HANDLE, "post", 400, (("signed-signed_on", TODAY),)),
    "mediation:agreement_confirmation": Row(
        "med_signed",
        HANDLE,
        "post",
        302,
        (
            ("confirmation-decision", "applied"),
            ("confirmation-court", "思明区人民法院"),
            ("confirmation-on", TODAY),
        ),
    ),
    "mediation:follow_up": Row(
        "med_follow_up", HANDLE, "post", 302, (("follow-result", "performed"), ("follow-note", "已履行"))
    ),
    "mediation:screening": Row("med_screening", "seen"),
    "mediation:screening_case": Row(
        "med_screening",
        "med_screening_case",
        "post",
        302,
        (("case-applicant_name", "甲"), ("case-respondent_name", "乙")),
    ),
    "mediation:meeting": Row("med_meeting", "seen"),
    "mediation:warning": Row("med_warning", "seen"),
    "mediation:warning_check": Row("med_warning", "mediation.warn", "post", 302, (("check-note", "已跟踪"),)),
    "mediation:warning_lower": Row("med_warning", "mediation.warn", "post", 302, (("lower-note", "已化解"),)),
    "mediation:warning_new": Row("page", "mediation.warn"),
    # Turning a warning into a case: the committee that raised it takes it; at any other unit the form asks which
    # committee (400), as for a screening finding.
    "mediation:warning_case": Row(
        "med_warning",
        "med_screening_case",
        "post",
        302,
        (("case-dispute_type", "other"), ("case-applicant_name", "甲"), ("case-respondent_name", "乙")),
    ),
    # Committees' particulars and mediators: made at the unit of each position (a committee's profile there), edited
    # where the unit is reached with mediation.manage.
    "mediation:committee": Row("med_committee", "seen"),
    "mediation:committee_edit": Row(
        "med_committee",
        "mediation.manage",
        "post",
        302,
        (("committee-kind", "town"), ("committee-time_limit_days", 30), ("committee-members", 5)),
    ),
    "mediation:mediator_add": Row(
        "med_committee",
        "mediation.manage",
        "post",
        302,
        (("mediator-name", "矩阵调解员"), ("mediator-employment", "part_time")),
    ),
    "mediation:mediator": Row("med_mediator", "seen"),
    "mediation:mediator_edit": Row(
        "med_mediator",
        "mediation.manage",
        "post",
        302,
        (("mediator-name", "矩阵调解员"), ("mediator-employment", "full_time")),
    ),
    "mediation:mediator_training": Row(
        "med_mediator",
        "mediation.manage",
        "post",
        302,
        (("training-trained_on", TODAY), ("training-hours", 4), ("training-subject", "人民调解法")),
    ),
    # The staff API (staff_api.py): the same objects and rules as the console's pages.
    "api:mediation_cases": Row("page", "staff"),
    "api:mediation_case": Row("med_case", "seen"),
    "api:mediation_case_consent": Row("med_case", HANDLE, "post", 400, (("party", 0), ("consent", "agrees"))),
    "api:mediation_case_session": Row(
        "med_mediating",
        HANDLE,
        "post",
        201,
        (("held_on", TODAY), ("place", "调解室"), ("attendees", "双方当事人"), ("content", "矩阵调解")),
    ),
    "api:mediation_case_terminate": Row(
        "med_mediating", HANDLE, "post", 200, (("reason", "分歧大"), ("routes", "告知可向人民法院起诉"))
    ),
    "api:mediation_screenings": Row("page", "staff"),
    "api:mediation_warnings": Row("page", "staff"),
    "api:mediation_warning": Row("med_warning", "seen"),
    "api:mediation_warning_check": Row("med_warning", "mediation.warn", "post", 200, (("note", "已跟踪"),)),
    "api:mediation_warning_lower": Row("med_warning", "mediation.warn", "post", 200, (("note", "已化解"),)),
    "api:mediation_warning_case": Row(
        "med_warning",
        "med_api_warning_case",
        "post",
        201,
        (
            ("dispute_type", "other"),
            ("parties", [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}]),
        ),
    ),
    # Recording a finding and raising a warning name the unit in the body (answers by hand in ANSWERS).
    "api:mediation_screening_new": Row(
        "unit",
        "med_api_screening",
        "post",
        201,
        (
            ("unit", "@obj"),
            ("screened_on", TODAY),
            ("round", "monthly"),
            ("parties", "甲与乙"),
            ("dispute_type", "other"),
            ("place", "某地"),
            ("people_count", 2),
            ("summary", "矩阵"),
            ("risk_level", "low"),
        ),
        in_url=False,
    ),
    "api:mediation_warning_new": Row(
        "unit",
        "med_api_warning",
        "post",
        201,
        (("unit", "@obj"), ("kind", "group"), ("summary", "矩阵")),
        in_url=False,
    ),
}

CAN: dict[str, frozenset[str]] = {
    HANDLE: HANDLERS | SYSADMIN,
    "mediation.screen": HANDLERS | ADVISOR | SYSADMIN,
    "mediation.warn": HANDLERS | SUPERVISORS | SYSADMIN,
    "mediation.stats": HANDLERS | SUPERVISORS | ADMINS | SYSADMIN,
    "mediation.manage": HANDLERS | SUPERVISORS | ADMINS | SYSADMIN,
}

# Turning a screening finding into a case: only a 人民调解委员会 takes cases, so a handler's or the system
# administrator's request at any other kind of unit is refused with a message (400); the committee handler's own
# committee takes it (302). Where a persona sees the finding without the capability: 403; where not: 404.
ANSWERS: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "med_screening_case": {
        "committee_handler": (302, 404, 404, 404, 404),
        "aid_handler": (400, 404, 404, 404, 404),
        "office_handler": (400, 404, 404, 404, 404),
        "firm_handler": (400, 404, 404, 404, 404),
        "sysadmin": (400, 400, 400, 400, 400),
        "city_supervisor": (403, 403, 404, 403, 404),
        "bureau_supervisor": (403, 403, 404, 404, 404),
        "bureau_admin": (403, 403, 404, 404, 404),
        "*": (403, 404, 404, 404, 404),
    }
}

# Recording a finding through the API at the unit of each position: only a 人民调解委员会 records findings, so the
# personas with mediation.screen get 400 at any other unit they reach and 201 at the committee (the committee
# handler's own); without the capability 403 where the unit is reached; 404 where it is not.
SCREEN_NOT_COMMITTEE = (400, 404, 404, 404, 404)
ANSWERS["med_api_screening"] = {
    "committee_handler": (201, 404, 404, 404, 404),
    "aid_handler": SCREEN_NOT_COMMITTEE,
    "office_handler": SCREEN_NOT_COMMITTEE,
    "firm_handler": SCREEN_NOT_COMMITTEE,
    "room_advisor": SCREEN_NOT_COMMITTEE,
    "sysadmin": (400, 400, 400, 400, 400),
    "city_supervisor": (403, 403, 404, 403, 404),
    "bureau_supervisor": (403, 403, 404, 404, 404),
    "bureau_admin": (403, 403, 404, 404, 404),
    "*": (403, 404, 404, 404, 404),
}
# The API's warning -> case answers like the console's (201 where the console redirects).
ANSWERS["med_api_warning_case"] = {
    persona: tuple(201 if code == 302 else code for code in answers)  # type: ignore[misc]
    for persona, answers in ANSWERS["med_screening_case"].items()
}
# Raising a warning at the unit of each position: at a committee, 司法所 or 司法局 the persona reaches with
# mediation.warn (201), at any other kind of unit 400; 403 reached without the capability; 404 not reached.
ANSWERS["med_api_warning"] = {
    "city_supervisor": (201, 400, 404, 400, 404),
    "bureau_supervisor": (201, 400, 404, 404, 404),
    "bureau_admin": (403, 403, 404, 404, 404),
    "aid_handler": (400, 404, 404, 404, 404),
    "office_handler": (201, 404, 404, 404, 404),
    "committee_handler": (201, 404, 404, 404, 404),
    "firm_handler": (400, 404, 404, 404, 404),
    "sysadmin": (400, 400, 201, 400, 400),
    "*": (403, 404, 404, 404, 404),
}

PUBLIC: dict[str, str] = {
    "api:mediation_referrals": "courts, police and petition offices refer disputes with a signed request, not an account "
    "(fawang/mediation/tests/test_referrals.py)",
    "api:mediation_referral": "the referrer reads the outcome with a signed request (test_referrals.py)",
}

_seq = itertools.count(7000)


def _case(unit: Unit, status: str = Case.Status.CONSENT) -> Case:
    from fawang.accounts.models import User

    n = next(_seq)
    opener = User.objects.filter(kind=User.Kind.STAFF).order_by("pk").first()
    case = Case.objects.create(
        number=f"矩阵-{n}",
        unit=unit,
        source="initiative",
        dispute_type="other",
        summary="矩阵纠纷",
        status=status,
        opened_by=opener,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    Party.objects.create(case=case, role="applicant", name="甲", consent="agrees")
    Party.objects.create(case=case, role="respondent", name="乙", consent="agrees")
    if status == Case.Status.MEDIATING:
        mediator = Practitioner.objects.create(name=f"调解员{n}", kind=Practitioner.Kind.MEDIATOR, unit=unit)
        CaseMediator.objects.create(case=case, mediator=mediator, is_lead=True)
    return case


def _agreement(unit: Unit, signed: bool) -> Agreement:
    case = _case(unit, Case.Status.AGREED)
    agreement = Agreement.objects.create(
        case=case,
        form="written",
        facts="事实",
        terms="权利义务",
        performance="履行",
        agreed_on=timezone.localdate(),
        effective_on=timezone.localdate() if signed else None,
    )
    if signed:
        agreement.signed_copy.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        agreement.signed_copy_type = "application/pdf"
        agreement.save()
    return agreement


def _screening(unit: Unit) -> Screening:
    from fawang.accounts.models import User

    return Screening.objects.create(
        unit=unit,
        screened_on=timezone.localdate(),
        round="monthly",
        parties="甲与乙",
        dispute_type="other",
        place="某地",
        summary="矩阵",
        risk_level="high",
        risk_reasons=["group"],
        recorded_by=User.objects.filter(kind=User.Kind.STAFF).order_by("pk")[0],
    )


def make(case: Any, kind: str, unit: Unit) -> object | None:
    if kind == "med_case":
        return _case(unit)
    if kind == "med_mediating":
        return _case(unit, Case.Status.MEDIATING)
    if kind == "med_agreement":
        return _agreement(unit, signed=False)
    if kind == "med_signed":
        return _agreement(unit, signed=True)
    if kind == "med_follow_up":
        return FollowUp.objects.create(agreement=_agreement(unit, signed=True), due_on=timezone.localdate())
    if kind == "med_screening":
        return _screening(unit)
    if kind == "med_warning":
        screening = _screening(unit)
        return RiskWarning.objects.create(
            unit=unit,
            region_id=unit.region_id,
            screening=screening,
            kind="group",
            summary="矩阵",
            raised_by=screening.recorded_by,
            next_check_on=timezone.localdate(),
        )
    if kind == "med_meeting":
        screening = _screening(unit)
        meeting = ReviewMeeting.objects.create(
            unit=unit,
            held_on=timezone.localdate(),
            attendees="矩阵",
            decisions="矩阵",
            recorded_by=screening.recorded_by,
        )
        meeting.screenings.add(screening)
        return meeting
    if kind == "med_committee":
        CommitteeProfile.objects.get_or_create(unit=unit, defaults={"kind": "village"})
        return unit
    if kind == "med_mediator":
        mediator = Practitioner.objects.create(
            name=f"矩阵调解员{next(_seq)}", kind=Practitioner.Kind.MEDIATOR, unit=unit
        )
        MediatorProfile.objects.create(practitioner=mediator, employment="part_time")
        return mediator
    if kind == "med_matter":
        matter = case.matter_at(unit, next(_seq))
        Matter.objects.filter(pk=matter.pk).update(service_item=ServiceItem.objects.get(code="mediation"))
        return Matter.objects.get(pk=matter.pk)
    return None
