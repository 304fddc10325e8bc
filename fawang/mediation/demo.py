"""Demo data of people's mediation (all people invented): the committees' kinds, their mediators' particulars, a
committee handler (sm_mediator, 厦港街道人民调解委员会) and a 司法所 handler (sm_office, 厦港街道司法所), one high-risk
screening finding with its warning and one case in mediation. Idempotent and quick."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fawang.accounts.models import User
from fawang.orgs.demo import DEMO_PASSWORD
from fawang.orgs.models import Membership, Practitioner, Unit
from fawang.regions.models import Region

from . import actions
from .choices import CaseSource, CommitteeKind, DisputeType, Employment, PartyRole, RiskLevel, ScreeningRound
from .models import Case, CommitteeProfile, MediatorProfile, Screening


def _user(username: str, name: str, unit: Unit) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=name, kind=User.Kind.STAFF)
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.HANDLER)
    return user


@transaction.atomic
def load_line_demo() -> None:
    committees = list(Unit.objects.filter(kind=Unit.Kind.MEDIATION).select_related("region"))
    known = set(CommitteeProfile.objects.values_list("unit_id", flat=True))
    CommitteeProfile.objects.bulk_create(
        CommitteeProfile(
            unit=u,
            kind=CommitteeKind.TOWN if u.region.level == Region.Level.TOWN else CommitteeKind.PROFESSION,
            field="" if u.region.level == Region.Level.TOWN else "医疗",
        )
        for u in committees
        if u.pk not in known
    )
    mediators = Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR).order_by("unit_id", "pk")
    have = set(MediatorProfile.objects.values_list("practitioner_id", flat=True))
    seen: set[int | None] = set()
    rows = []
    for m in mediators:
        first = m.unit_id not in seen
        seen.add(m.unit_id)
        if m.pk not in have:
            rows.append(
                MediatorProfile(
                    practitioner=m,
                    employment=Employment.FULL_TIME if first else Employment.PART_TIME,
                    training_hours=24 if first else 8,
                )
            )
    MediatorProfile.objects.bulk_create(rows)
    committee = Unit.objects.filter(name="厦港街道人民调解委员会").first()
    office = Unit.objects.filter(name="厦港街道司法所").first()
    if committee is None or office is None:
        return
    mediator = _user("sm_mediator", "陈调解", committee)
    _user("sm_office", "林所长", office)
    if Screening.objects.filter(unit=committee).exists():
        return
    today = timezone.localdate()
    actions.record_screening(
        actor=mediator,
        unit=committee,
        screened_on=today - dt.timedelta(days=2),
        round=ScreeningRound.MONTHLY,
        parties="沙坡尾某小区业主与施工方",
        dispute_type=DisputeType.LABOUR,
        place="厦港街道沙坡尾",
        people_count=23,
        summary="二十余名工人称施工方拖欠工资，扬言到区政府集体上访。",
        risk_level=RiskLevel.HIGH,
        risk_reasons=["group", "petition"],
        action_taken="已约谈施工方负责人，安排工资核对。",
        told_bodies="厦港派出所",
    )
    if not Case.objects.filter(unit=committee).exists():
        actions.open_case(
            actor=mediator,
            unit=committee,
            source=CaseSource.INITIATIVE,
            dispute_type=DisputeType.NEIGHBOUR,
            summary="楼上住户装修漏水，楼下住户要求赔偿天花板修复费用。",
            place="厦港街道蜂巢山路",
            parties=[
                actions.PartyData(PartyRole.APPLICANT, "郑小梅", "13900000001"),
                actions.PartyData(PartyRole.RESPONDENT, "吴建国", "13900000002"),
            ],
        )
