"""Two submissions of the same draft at the same moment (a double click that reaches two web processes), and two
starts of the same item (two tabs), on PostgreSQL with real commits: one matter, one draft.

Each database call runs in a thread of its own, on a connection in autocommit mode, for the reason given in
fawang/matters/tests/test_concurrency_pg.py: the test's own connection sits in a rolled-back transaction whose
rows no other connection could see. Only the rows made here are deleted afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.citizens import actions as citizens
from fawang.matters.models import Matter, Person
from fawang.matters.tests.base import id_number
from fawang.notify.models import Message

from .. import actions
from ..models import Application

T = TypeVar("T")
PHONE = "13700009988"


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


def _race(fn: Callable[[], T]) -> list[T]:
    """``fn`` in two threads released at the same moment; both results."""
    barrier = threading.Barrier(2)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(fn())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def _citizen() -> int:
    user = User.objects.create_user(f"public-{PHONE}", kind=User.Kind.PUBLIC, phone=PHONE)
    citizens.do_update_profile(user.pk, name="并发申请", id_number=id_number(seq="988"))
    return user.pk


def _cleanup(user_id: int) -> None:
    matters = list(Matter.objects.filter(submitted_by_id=user_id).values_list("pk", flat=True))
    matter_type = ContentType.objects.get_for_model(Matter)
    Message.objects.filter(related_type=matter_type, related_id__in=[str(pk) for pk in matters]).delete()
    Message.objects.filter(phone=PHONE).delete()
    Application.objects.filter(user_id=user_id).delete()
    Matter.objects.filter(pk__in=matters).delete()
    Person.objects.filter(user_id=user_id).delete()
    User.objects.filter(pk=user_id).delete()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_double_submission_makes_one_matter_and_a_double_start_one_draft() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发提交测试需要 PostgreSQL（DATABASE_URL=postgres://...）。")
    user_id = _in_thread(_citizen)
    try:
        user = _in_thread(lambda: User.objects.get(pk=user_id))
        item = _in_thread(lambda: ServiceItem.objects.get(code="publicity"))

        started = _race(lambda: actions.start_application(actor=user, item=item))
        assert {s.application.pk for s in started} == {started[0].application.pk}
        assert sorted(s.created for s in started) == [False, True]
        pk = started[0].application.pk

        def fill() -> None:
            actions.do_save_step(pk, actor=user, step="applicant", data={"phone": PHONE})
            actions.do_save_step(
                pk,
                actor=user,
                step="matter",
                data={"description": "并发提交测试。", "region": "350203001001"},
            )

        _in_thread(fill)
        submitted: list[Any] = _race(lambda: actions.do_submit_application(pk, actor=user, pledge=True))
        assert {s.matter.pk for s in submitted} == {submitted[0].matter.pk}
        assert sorted(s.created for s in submitted) == [False, True]
        assert _in_thread(lambda: Matter.objects.filter(submitted_by_id=user_id).count()) == 1
        assert _in_thread(lambda: Application.objects.filter(user_id=user_id).count()) == 1
    finally:
        _in_thread(lambda: _cleanup(user_id))
    assert not _in_thread(lambda: User.objects.filter(pk=user_id).exists())
