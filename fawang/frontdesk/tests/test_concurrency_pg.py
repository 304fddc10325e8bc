"""Races on PostgreSQL with real commits: two people booking the last place at the same moment (one wins, the
other gets the Chinese error), a reschedule racing a booking for the last place of the new slot (the loser of
the reschedule keeps its old booking), and two reminder workers at once (each booking reminded exactly once).

As in fawang/matters/tests/test_concurrency_pg.py, every database call runs in a thread of its own, so the rows
are committed and the transactions really compete; only the test's own rows are deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.citizens.actions import do_update_profile
from fawang.citizens.models import Profile
from fawang.matters.tests.base import at, id_number
from fawang.notify.models import Message
from fawang.testing.world import world

from .. import actions
from ..models import Appointment, AppointmentEvent, RemoteVisit, Schedule, Slot

T = TypeVar("T")
FRIDAY = at(2025, 9, 26, 8)
MONDAY = dt.date(2025, 9, 29)
PEOPLE = 8


def _in_thread(fn: Callable[[], T]) -> T:
    out: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # re-raised in the caller
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if errors:
        raise errors[0]
    return out[0]


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run ``jobs`` at the same moment, each on its own connection; their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = jobs[i]()
        except BaseException as exc:  # reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _setup() -> dict[str, Any]:
    unit = world().unit("siming.lujiang.station")
    item = ServiceItem.objects.get(code="consultation")
    schedule = actions.do_save_schedule(
        actor=None,
        unit=unit,
        data=actions.ScheduleData(name="并发测试窗口", service_items=[item], capacity=1, days_ahead=4),
        today=FRIDAY.date(),
    )
    actions.do_add_rule(
        schedule.pk,
        actor=None,
        weekday=0,
        start_time=dt.time(8, 30),
        end_time=dt.time(9, 30),
        today=FRIDAY.date(),
    )
    users = []
    for i in range(PEOPLE):
        user = User.objects.create_user(f"race-{i}", kind=User.Kind.PUBLIC, phone=f"1370000{i:04d}")
        do_update_profile(user.pk, name=f"并发{i}", id_number=id_number(seq=f"9{i:02d}"))
        users.append(user.pk)
    return {"schedule": schedule.pk, "item": item.pk, "users": users}


def _cleanup(ctx: dict[str, Any]) -> None:
    appointments = Appointment.objects.filter(slot__schedule_id=ctx["schedule"])
    Message.objects.filter(
        related_type__model="appointment",
        related_id__in=[str(pk) for pk in appointments.values_list("pk", flat=True)],
    ).delete()
    AppointmentEvent.objects.filter(appointment__in=appointments).delete()
    RemoteVisit.objects.filter(appointment__in=appointments).delete()
    appointments.delete()
    Slot.objects.filter(schedule_id=ctx["schedule"]).delete()
    Schedule.objects.filter(pk=ctx["schedule"]).delete()
    Profile.objects.filter(user_id__in=ctx["users"]).delete()
    User.objects.filter(pk__in=ctx["users"]).delete()


def _book(user_id: int, slot_id: int, item_id: int) -> Appointment:
    return actions.do_book(
        actor=User.objects.get(pk=user_id),
        slot_id=slot_id,
        service_item=ServiceItem.objects.get(pk=item_id),
        reason="并发测试",
        now=FRIDAY,
    ).appointment


def _slots(ctx: dict[str, Any]) -> list[Slot]:
    return list(Slot.objects.filter(schedule_id=ctx["schedule"], date=MONDAY).order_by("starts_at"))


@pytest.fixture
def race_data() -> Any:
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL（DATABASE_URL=postgres://...）。")
    ctx = _in_thread(_setup)
    try:
        yield ctx
    finally:
        _in_thread(lambda: _cleanup(ctx))
    assert not _in_thread(lambda: Schedule.objects.filter(pk=ctx["schedule"]).exists())


@pytest.mark.postgres
@pytest.mark.django_db
def test_of_many_people_booking_the_last_place_one_wins(race_data: dict[str, Any]) -> None:
    ctx = race_data
    slot = _in_thread(lambda: _slots(ctx)[0])
    jobs: list[Callable[[], Any]] = [functools.partial(_book, u, slot.pk, ctx["item"]) for u in ctx["users"]]
    results = _race(jobs)
    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1, results
    assert len(lost) == PEOPLE - 1, results
    assert {m for e in lost for m in e.messages} == {"该时段已约满，请选择其他时段。"}
    booked, count = _in_thread(
        lambda: (Slot.objects.get(pk=slot.pk).booked, Appointment.objects.filter(slot=slot).count())
    )
    assert (booked, count) == (1, 1)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_reschedule_racing_a_booking_for_the_last_place_keeps_the_old_booking_when_it_loses(
    race_data: dict[str, Any],
) -> None:
    ctx = race_data
    first, second = _in_thread(lambda: _slots(ctx)[:2])
    mover, newcomer = ctx["users"][0], ctx["users"][1]
    moving = _in_thread(lambda: _book(mover, first.pk, ctx["item"]))
    for _round in range(3):
        results = _race(
            [
                lambda: actions.do_reschedule(
                    moving.pk, actor=User.objects.get(pk=mover), slot_id=second.pk, now=FRIDAY
                ),
                lambda: _book(newcomer, second.pk, ctx["item"]),
            ]
        )
        winners = [r for r in results if isinstance(r, Appointment)]
        assert len(winners) == 1, results

        def state() -> tuple[int, int, int, int]:
            a = Appointment.objects.get(pk=moving.pk)
            return (
                a.slot_id,
                Slot.objects.get(pk=first.pk).booked,
                Slot.objects.get(pk=second.pk).booked,
                a.events.count(),
            )

        slot_id, booked_first, booked_second, _events = _in_thread(state)
        assert booked_second == 1
        if slot_id == first.pk:  # the reschedule lost: the booking is exactly as it was
            assert booked_first == 1
            assert isinstance(results[0], ValidationError)
            assert results[0].messages == ["该时段已约满，请选择其他时段。原预约保持不变。"]
        else:
            assert booked_first == 0

        # Put things back for the next round.
        def reset() -> None:
            Appointment.objects.filter(slot__schedule_id=ctx["schedule"]).exclude(pk=moving.pk).update(
                status="cancelled"
            )
            Appointment.objects.filter(pk=moving.pk).update(slot=first, status="booked")
            Slot.objects.filter(pk=first.pk).update(booked=1)
            Slot.objects.filter(pk=second.pk).update(booked=0)

        _in_thread(reset)


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_reminder_workers_remind_each_booking_once(race_data: dict[str, Any]) -> None:
    ctx = race_data

    def book_all() -> list[int]:
        schedule = Schedule.objects.get(pk=ctx["schedule"])
        schedule.capacity = PEOPLE
        schedule.save()
        Slot.objects.filter(schedule=schedule).update(capacity=PEOPLE)
        slot = _slots(ctx)[0]
        return [_book(u, slot.pk, ctx["item"]).pk for u in ctx["users"]]

    booked = _in_thread(book_all)
    sunday = dt.datetime(2025, 9, 28, 10, tzinfo=FRIDAY.tzinfo)
    results = _race([lambda: actions.send_reminders(sunday), lambda: actions.send_reminders(sunday)])
    assert not [r for r in results if isinstance(r, BaseException)], results
    reminded = [pk for r in results for pk in r]
    assert sorted(reminded) == sorted(booked)

    def counts() -> tuple[int, int]:
        messages = Message.objects.filter(
            kind="appointment.reminder", related_id__in=[str(pk) for pk in booked], channel="sms"
        ).count()
        events = AppointmentEvent.objects.filter(appointment_id__in=booked, action="remind").count()
        return messages, events

    assert _in_thread(counts) == (PEOPLE, PEOPLE)
    assert _in_thread(lambda: actions.send_reminders(sunday)) == []
