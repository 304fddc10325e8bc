"""The parts of the mixed-load fault benchmark (bench_faults) that need Django. Run in a Django process on the
benchmark database; prints one JSON line.

    python -m bench.faults_ref seed BATCH N   # N matters submitted long ago (2025-03-03), so overdue now
    python -m bench.faults_ref check FIRST PREFIX PHONE_PREFIX
        # the outcome: overdue matters from id FIRST warned and escalated (and how many times), the intake
        # matters stored under PREFIX, the sign-in codes and their messages for phones starting PHONE_PREFIX,
        # duplicate messages, messages not yet sent, task rows left RUNNING
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

PER_PERSON = 40


def seed(batch: int, count: int) -> dict[str, Any]:
    """Legal-aid matters submitted on 2025-03-03 by ``count // 40`` people (a batch's own ID numbers), each due long
    ago: the next deadline scan must warn and escalate every one of them, once."""
    import datetime as dt

    from fawang.catalog.models import ServiceItem
    from fawang.lib.validators import id_check_digit
    from fawang.matters import actions
    from fawang.matters.tests.base import at
    from fawang.regions.models import Region

    item = ServiceItem.objects.get(code="legal_aid")
    region = Region.objects.get(code="350203001")
    ids: list[int] = []
    for p in range(count // PER_PERSON):
        born = dt.date(1980, 1, 1) + dt.timedelta(days=batch * 100 + p)
        first17 = f"350203{born:%Y%m%d}991"
        submitted = actions.do_submit(
            actor=None,
            person=actions.PersonData(
                name=f"故障测试{batch}-{p}",
                phone=f"1390{batch:02d}{p:05d}",
                id_number=first17 + id_check_digit(first17),
            ),
            requests=[
                actions.MatterRequest(item, f"故障测试事项 {batch}-{p}-{i}", region)
                for i in range(PER_PERSON)
            ],
            channel="web",
            now=at(2025, 3, 3),
        )
        ids += [m.pk for m in submitted.matters]
    return {"first": min(ids), "last": max(ids), "count": len(ids)}


def check(first: int, prefix: str, phone_prefix: str) -> dict[str, Any]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from fawang.citizens.models import PhoneCode
    from fawang.matters.models import Matter, MatterEvent
    from fawang.notify.models import Message

    seeded = Matter.objects.filter(pk__gte=first, description__startswith="故障测试事项")
    events = MatterEvent.objects.filter(matter__in=seeded)

    def per_matter(action: str) -> dict[int, int]:
        rows = events.filter(action=action).values("matter").annotate(n=Count("pk"))
        return {r["matter"]: r["n"] for r in rows}

    warned, escalated = per_matter("warn"), per_matter("escalate")
    total = seeded.count()
    keyed = (
        Message.objects.exclude(dedupe_key="").values("dedupe_key").annotate(n=Count("pk")).filter(n__gt=1)
    )
    codes = PhoneCode.objects.filter(phone__startswith=phone_prefix)
    code_messages = Message.objects.filter(
        dedupe_key__in=[f"citizen-code:{pk}" for pk in codes.values_list("pk", flat=True)]
    )
    return {
        "overdue": total,
        "escalated_once": sum(1 for n in escalated.values() if n == 1),
        "escalated_twice_or_more": sum(1 for n in escalated.values() if n > 1),
        "not_escalated": total - len(escalated),
        "warned_once": sum(1 for n in warned.values() if n == 1),
        "warned_twice_or_more": sum(1 for n in warned.values() if n > 1),
        "escalated_at_set": seeded.filter(escalated_at__isnull=False).count(),
        "intake_stored": Matter.objects.filter(idempotency_key__regex=rf"^intake:\d+:{prefix}").count(),
        "codes_stored": codes.count(),
        "code_messages": code_messages.count(),
        "duplicate_dedupe_keys": keyed.count(),
        "messages": Message.objects.count(),
        "messages_unsent": Message.objects.filter(status__in=["queued", "sending"]).count(),
        "messages_tried_more_than_once": Message.objects.filter(attempts__gt=1, status="sent").count(),
        "tasks_running": DBTaskResult.objects.filter(status="RUNNING").count(),
        "tasks_failed": DBTaskResult.objects.filter(status="FAILED").count(),
    }


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    if argv[0] == "seed":
        print(json.dumps(seed(int(argv[1]), int(argv[2]))))
    elif argv[0] == "check":
        print(json.dumps(check(int(argv[1]), argv[2], argv[3])))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
