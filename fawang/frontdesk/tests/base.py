"""Shared set-up for the front-desk tests: a schedule at a 思明区 point, citizens with real-name details, and
helpers that book through the actions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, ClassVar

from django.utils import timezone

from fawang.accounts.models import User
from fawang.calendar import workdays
from fawang.catalog.models import ServiceItem
from fawang.citizens.actions import do_update_profile
from fawang.matters.tests.base import MatterTestCase, at, id_number
from fawang.notify.models import Message
from fawang.orgs.models import Membership, Unit, Window

from .. import actions
from ..models import Appointment, Schedule, Slot

# Friday 2025-09-26: the week before the 2025 National Day holiday (10-01 to 10-08), with the make-up working
# days Sunday 09-28 and Saturday 10-11 (国办发明电〔2024〕12号).
FRIDAY = at(2025, 9, 26, 8)
FRIDAY_DATE = FRIDAY.date()
MORNING = (dt.time(8, 30), dt.time(10, 0))  # three 30-minute slots

_phones = itertools.count(13600000001)


class FrontdeskTestCase(MatterTestCase):
    """A reception-window schedule at 鹭江街道 station (no demo schedule there) and real-named citizens."""

    point: ClassVar[Unit]
    hl_point: ClassVar[Unit]
    consult_item: ClassVar[ServiceItem]
    visit_item: ClassVar[ServiceItem]
    prison: ClassVar[Unit]
    alice: ClassVar[User]
    bob: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point = cls.unit("siming.lujiang.station")
        # The clerk works at this point too: a station's membership reaches that station only (docs/authority.md).
        Membership.objects.create(user=cls.sm_clerk, unit=cls.point, role=Membership.Role.WINDOW_CLERK)
        cls.hl_point = cls.unit("huli.centre")
        cls.consult_item = ServiceItem.objects.get(code="consultation")
        cls.visit_item = ServiceItem.objects.get(code="remote_visit")
        cls.prison = cls.unit("xiamen.prison")
        cls.alice = cls.real_named("林晓燕", seq="456")
        cls.bob = cls.real_named("陈志强", seq="789")

    @staticmethod
    def real_named(name: str, seq: str) -> User:
        phone = str(next(_phones))
        user = User.objects.create_user(f"public-{phone}", kind=User.Kind.PUBLIC, phone=phone)
        do_update_profile(user.pk, name=name, id_number=id_number(seq=seq))
        user.refresh_from_db()
        return user

    def schedule(
        self,
        unit: Unit | None = None,
        *,
        items: list[ServiceItem] | None = None,
        today: dt.date = FRIDAY_DATE,
        ranges: list[tuple[int, tuple[dt.time, dt.time]]] | None = None,
        window: Window | None = None,
        **options: Any,
    ) -> Schedule:
        unit = unit or self.point
        options.setdefault("capacity", 1)
        schedule = actions.do_save_schedule(
            actor=None,
            unit=unit,
            data=actions.ScheduleData(
                name=options.pop("name", "综合窗口"),
                service_items=items or [self.consult_item],
                window=window,
                **options,
            ),
            today=today,
        )
        for weekday, (start, end) in ranges if ranges is not None else [(d, MORNING) for d in range(5)]:
            actions.do_add_rule(
                schedule.pk, actor=None, weekday=weekday, start_time=start, end_time=end, today=today
            )
        return schedule

    @staticmethod
    def slots_of(schedule: Schedule, day: dt.date | None = None) -> list[Slot]:
        qs = Slot.objects.filter(schedule=schedule).order_by("starts_at")
        if day is not None:
            qs = qs.filter(date=day)
        return list(qs)

    def book(
        self,
        slot: Slot,
        user: User | None = None,
        *,
        item: ServiceItem | None = None,
        now: dt.datetime = FRIDAY,
        **kwargs: Any,
    ) -> Appointment:
        kwargs.setdefault("reason", "咨询劳动合同纠纷。")
        return actions.do_book(
            actor=user or self.alice,
            slot_id=slot.pk,
            service_item=item or self.consult_item,
            now=now,
            **kwargs,
        ).appointment

    def missed(self, slots: list[Slot], user: User | None = None) -> None:
        """爽约 on record for ``user`` (alice) in each of ``slots``, written directly: for tests of what a record
        of no-shows does, whatever the clock (the actions themselves are tested in test_booking)."""
        user = user or self.alice
        Appointment.objects.bulk_create(
            Appointment(
                user=user,
                name=user.display_name,
                phone=user.phone,
                unit=slot.unit,
                slot=slot,
                service_item=self.consult_item,
                number=f"YYNOSHOW{user.pk}X{i}",
                status=Appointment.Status.NO_SHOW,
            )
            for i, slot in enumerate(slots)
        )

    def visit(self, **overrides: Any) -> actions.VisitData:
        fields: dict[str, Any] = {
            "prison": self.prison,
            "inmate_name": "林大海",
            "relation": "parent",
            "id_number": id_number(seq="456"),
        }
        fields.update(overrides)
        return actions.VisitData(**fields)

    @staticmethod
    def outbox(appointment: Appointment, kind: str | None = None) -> list[Message]:
        qs = Message.objects.filter(
            related_id=str(appointment.pk), related_type__model="appointment"
        ).order_by("pk")
        if kind:
            qs = qs.filter(kind=kind)
        return list(qs)

    @staticmethod
    def reload(obj: Any) -> Any:
        obj.refresh_from_db()
        return obj


def next_workdays(count: int, *, after: dt.date | None = None) -> list[dt.date]:
    """The next ``count`` working days after ``after`` (default: the real today), for tests of pages and the
    API, which run at the real time."""
    day = after or timezone.localdate()
    out: list[dt.date] = []
    while len(out) < count:
        day = workdays.next_workday(day)
        out.append(day)
    return out
