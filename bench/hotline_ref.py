"""Run by bench_hotline in a Django process.

``count PREFIX``  the calls and events a run stored for its call ids, as JSON.
``pop``           the screen pop's query count and time for callers with 0, 10, 100 and 1,000 earlier calls (each
                  linked to a matter), as JSON: the count must not grow with the history.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

import django


def count(prefix: str) -> dict[str, int]:
    from fawang.hotline.models import Call, CallEvent

    calls = Call.objects.filter(call_id__startswith=f"{prefix}-")
    events = CallEvent.objects.filter(call__in=calls)
    return {
        "calls": calls.count(),
        "events": events.count(),
        "ended": calls.filter(status=Call.Status.ENDED).count(),
    }


def pop() -> dict[str, dict[str, float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fawang.accounts.models import User
    from fawang.hotline import screenpop
    from fawang.hotline.cti import token_hash
    from fawang.hotline.demo import DEMO_TOKEN
    from fawang.hotline.models import Call, CtiSystem, number_hash
    from fawang.matters.models import Matter

    agent = User.objects.get(username="xm_agent")
    system = CtiSystem.objects.get(token_hash=token_hash(DEMO_TOKEN))
    matters = list(Matter.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    now = timezone.now()
    out: dict[str, dict[str, float]] = {}
    for size in (0, 10, 100, 1000):
        number = f"1370000{size:04d}"
        earlier = [
            Call(
                system=system,
                unit_id=system.unit_id,
                call_id=f"bench-pop-{size}-{i}",
                caller=number,
                caller_hash=number_hash(number),
                status=Call.Status.ENDED,
                rang_at=now - dt.timedelta(hours=i + 1),
                answered_at=now - dt.timedelta(hours=i + 1),
                ended_at=now - dt.timedelta(hours=i + 1) + dt.timedelta(minutes=3),
            )
            for i in range(size)
        ]
        Call.objects.bulk_create(earlier, batch_size=500)
        made = Call.objects.filter(call_id__startswith=f"bench-pop-{size}-").values_list("pk", flat=True)
        Call.matters.through.objects.bulk_create(
            [
                Call.matters.through(call_id=pk, matter_id=matters[i % len(matters)])
                for i, pk in enumerate(made)
                if matters
            ],
            batch_size=500,
        )
        call = Call.objects.create(
            system=system,
            unit_id=system.unit_id,
            call_id=f"bench-pop-{size}-now",
            caller=number,
            caller_hash=number_hash(number),
            rang_at=now,
        )
        screenpop.screen_pop(agent, call, now)  # warm
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            screenpop.screen_pop(agent, call, now)
        out[str(size)] = {"queries": len(queries), "ms": round((time.perf_counter() - started) * 1000, 1)}
    return out


def main(argv: list[str]) -> None:
    django.setup()
    if argv[0] == "count":
        print(json.dumps(count(argv[1])))
    elif argv[0] == "pop":
        print(json.dumps(pop()))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
