"""Shared set-up for the matters tests: the catalogue items, the 思明区 units, valid ID numbers, fixed times."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.lib.validators import id_check_digit
from fawang.notify.models import Message
from fawang.orgs.models import Membership, Unit
from fawang.test import BaseTestCase

from .. import actions
from ..models import Matter, MatterEvent

TZ = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware local (Asia/Shanghai) moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


# Monday 2025-03-03 09:00: an ordinary working week, far from holidays.
MONDAY = at(2025, 3, 3)


def id_number(region: str = "350203", born: str = "19800501", seq: str = "123") -> str:
    """A valid 18-digit resident ID number (check digit computed)."""
    first17 = f"{region}{born}{seq}"
    return first17 + id_check_digit(first17)


class MatterTestCase(BaseTestCase):
    """Personas of the test world plus the units and items most tests use."""

    station: ClassVar[Unit]  # 厦港街道公共法律服务工作站 (350203001), where sm_clerk works
    sm_centre: ClassVar[Unit]
    sm_legal_aid: ClassVar[Unit]
    sm_bureau: ClassVar[Unit]
    hl_legal_aid: ClassVar[Unit]
    legal_aid: ClassVar[ServiceItem]
    consultation: ClassVar[ServiceItem]
    mediation: ClassVar[ServiceItem]
    sm_agent: ClassVar[User]
    hl_handler: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.station = cls.unit("siming.xiagang.station")
        cls.sm_centre = cls.unit("siming.centre")
        cls.sm_legal_aid = cls.unit("siming.legal_aid")
        cls.sm_bureau = cls.unit("siming.bureau")
        cls.hl_legal_aid = cls.unit("huli.legal_aid")
        cls.legal_aid = ServiceItem.objects.get(code="legal_aid")
        cls.consultation = ServiceItem.objects.get(code="consultation")
        cls.mediation = ServiceItem.objects.get(code="mediation")
        cls.sm_agent = User.objects.get(username="sm_agent")
        cls.hl_handler = User.objects.get(username="hl_handler")

    def person(self, **overrides: Any) -> actions.PersonData:
        fields: dict[str, Any] = {"name": "张三", "phone": "13912345678", "id_number": id_number()}
        fields.update(overrides)
        return actions.PersonData(**fields)

    def submit(
        self,
        item: ServiceItem | None = None,
        *,
        actor: User | None = None,
        region: str = "350203001",
        person: actions.PersonData | None = None,
        now: dt.datetime = MONDAY,
        channel: str = "window",
        intake_unit: Unit | None = None,
        description: str = "用人单位拖欠三个月工资，申请法律援助。",
        **request: Any,
    ) -> Matter:
        result = actions.do_submit(
            actor=actor or self.sm_clerk,
            person=person or self.person(),
            requests=[
                actions.MatterRequest(
                    service_item=item or self.legal_aid,
                    description=description,
                    region=self.region(region),
                    **request,
                )
            ],
            channel=channel,
            intake_unit=intake_unit or self.station,
            now=now,
        )
        return result.matters[0]

    def events(self, matter: Matter) -> list[str]:
        return list(
            MatterEvent.objects.filter(matter=matter)
            .order_by("created_at", "pk")
            .values_list("action", flat=True)
        )

    def messages(self, matter: Matter, kind: str | None = None) -> list[Message]:
        qs = Message.objects.filter(related_id=str(matter.pk)).order_by("pk")
        if kind:
            qs = qs.filter(kind=kind)
        return list(qs)

    def reload(self, matter: Matter) -> Matter:
        return Matter.objects.select_related("service_item", "unit", "person").get(pk=matter.pk)

    @staticmethod
    def staff_of(unit: Unit, role: str) -> User:
        return Membership.objects.get(unit=unit, role=role).user
