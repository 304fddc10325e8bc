"""Shared set-up of the mediation tests: the 厦港街道 committee and its 司法所, handlers at each, mediators."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

from fawang.accounts.models import User
from fawang.matters.tests.base import MatterTestCase
from fawang.orgs.models import Membership, Practitioner, Unit

from .. import actions
from ..choices import CaseSource, DisputeType, PartyRole
from ..models import Case


def staff(username: str, unit: Unit, role: str = Membership.Role.HANDLER) -> User:
    user = User.objects.create_user(username, kind=User.Kind.STAFF, display_name=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


class MediationTestCase(MatterTestCase):
    committee: ClassVar[Unit]  # 厦港街道人民调解委员会
    sibling: ClassVar[Unit]  # 鹭江街道人民调解委员会
    office: ClassVar[Unit]  # 厦港街道司法所 (above the committee)
    mediator_user: ClassVar[User]
    office_user: ClassVar[User]
    sibling_user: ClassVar[User]
    m1: ClassVar[Practitioner]
    m2: ClassVar[Practitioner]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.committee = cls.unit("siming.xiagang.committee")
        cls.sibling = cls.unit("siming.lujiang.committee")
        cls.office = cls.unit("siming.xiagang.office")
        cls.mediator_user = staff("t_mediator", cls.committee)
        cls.office_user = staff("t_office", cls.office)
        cls.sibling_user = staff("t_sibling", cls.sibling)
        m1, m2 = Practitioner.objects.filter(unit=cls.committee, kind=Practitioner.Kind.MEDIATOR).order_by(
            "pk"
        )[:2]
        cls.m1, cls.m2 = m1, m2

    def new_case(self, unit: Unit | None = None, actor: User | None = None, **kw: Any) -> Case:
        fields: dict[str, Any] = {
            "source": CaseSource.INITIATIVE,
            "dispute_type": DisputeType.NEIGHBOUR,
            "summary": "相邻通行纠纷。",
            "parties": [
                actions.PartyData(PartyRole.APPLICANT, "赵一", "13900001111"),
                actions.PartyData(PartyRole.RESPONDENT, "钱二", "13900002222"),
            ],
        }
        fields.update(kw)
        return actions.open_case(actor=actor or self.mediator_user, unit=unit or self.committee, **fields)

    def mediating(self, **kw: Any) -> Case:
        case = self.new_case(**kw)
        for party in case.parties.all():
            actions.record_consent(case.pk, actor=self.mediator_user, party_id=party.pk, consent="agrees")
        actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=self.m1.pk, is_lead=True)
        return Case.objects.get(pk=case.pk)

    @staticmethod
    def today() -> dt.date:
        return timezone.localdate()
