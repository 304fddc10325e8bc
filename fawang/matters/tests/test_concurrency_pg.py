"""Two deadline workers scanning the same due rows at the same moment, on PostgreSQL, with real commits:
every matter is warned exactly once and escalated exactly once.

Why every database call runs in a thread of its own: the test's own connection sits in pytest-django's
rolled-back transaction, whose rows no other connection could see. A thread gets its own connection in
autocommit mode, so the matters made for the race are really committed and the two workers really compete
for them. Why not a TransactionTestCase: it flushes every table afterwards, destroying the session's test world
that the other tests of this worker rely on; here only the test's own rows (matters of one invented person)
are deleted afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from fawang.catalog.models import ServiceItem
from fawang.notify.models import Message
from fawang.regions.models import Region
from fawang.testing.world import world

from .. import actions, deadlines
from ..models import Matter, MatterEvent, Person
from .base import at, id_number

MATTERS = 30
T = TypeVar("T")


def _make_matters() -> list[int]:
    item = ServiceItem.objects.get(code="legal_aid")
    region = Region.objects.get(code="350203001")
    result = actions.do_submit(
        actor=None,
        person=actions.PersonData(name="并发测试", phone="13900009999", id_number=id_number(seq="990")),
        requests=[actions.MatterRequest(item, f"并发测试事项 {i}", region) for i in range(MATTERS)],
        channel="web",
        now=at(2025, 3, 3),
    )
    assert all(m.unit == world().unit("siming.legal_aid") for m in result.matters)
    return [m.pk for m in result.matters]


def _cleanup(pks: list[int]) -> None:
    person_ids = list(Matter.objects.filter(pk__in=pks).values_list("person_id", flat=True).distinct())
    matter_type = ContentType.objects.get_for_model(Matter)
    Message.objects.filter(related_type=matter_type, related_id__in=[str(pk) for pk in pks]).delete()
    Matter.objects.filter(pk__in=pks).delete()
    Person.objects.filter(pk__in=person_ids).delete()


def _in_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` on a fresh connection of its own (autocommit), closed afterwards."""
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


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_workers_never_warn_or_escalate_twice() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发认领测试需要 PostgreSQL（DATABASE_URL=postgres://...）。")
    pks = _in_thread(_make_matters)
    try:
        now = at(2025, 3, 11, 9)  # past both warn_at (7 March) and due_at (10 March) of every matter
        barrier = threading.Barrier(2)
        results: list[deadlines.ScanResult] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                barrier.wait(timeout=30)
                results.append(deadlines.scan_deadlines(now))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        assert len(results) == 2

        warned = [pk for r in results for pk in r.warned if pk in pks]
        escalated = [pk for r in results for pk in r.escalated if pk in pks]
        # Each matter claimed by exactly one of the two workers...
        assert sorted(warned) == sorted(pks)
        assert sorted(escalated) == sorted(pks)

        def counts() -> tuple[dict[str, dict[int, int]], int]:
            events = MatterEvent.objects.filter(matter_id__in=pks)
            per_action: dict[str, dict[int, int]] = {}
            for action in ("warn", "escalate"):
                tally = dict.fromkeys(pks, 0)
                for matter_id in events.filter(action=action).values_list("matter_id", flat=True):
                    tally[matter_id] += 1
                per_action[action] = tally
            matter_type = ContentType.objects.get_for_model(Matter)
            warnings = Message.objects.filter(
                related_type=matter_type, related_id__in=[str(pk) for pk in pks], kind="matter.warning"
            ).count()
            return per_action, warnings

        # ...and acted on exactly once: one event of each kind, one message per matter (one handler).
        per_action, warnings = _in_thread(counts)
        assert set(per_action["warn"].values()) == {1}, per_action["warn"]
        assert set(per_action["escalate"].values()) == {1}, per_action["escalate"]
        assert warnings == MATTERS
        # A third scan finds nothing left to do.
        again = _in_thread(lambda: deadlines.scan_deadlines(now))
        assert not set(again.warned + again.escalated) & set(pks)
    finally:
        _in_thread(lambda: _cleanup(pks))
    assert not _in_thread(lambda: Matter.objects.filter(pk__in=pks).exists())
