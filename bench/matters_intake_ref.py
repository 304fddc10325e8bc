"""Helpers for the intake load test that need Django: what each intake user may post, and the count of the
matters a run made. Run in a Django process on the benchmark database; prints one JSON line.

    python -m bench.matters_intake_ref              # {"users": {username: {channel, regions, items}}}
    python -m bench.matters_intake_ref count PREFIX # {"count": matters whose intake key starts with PREFIX}
    python -m bench.matters_intake_ref serial N     # queries and median ms of one intake POST, per item
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def intake_refs(usernames: list[str], item_mix: list[str]) -> dict[str, Any]:
    from fawang.catalog.models import ServiceItem
    from fawang.matters import lines
    from fawang.orgs.models import Membership
    from fawang.regions.models import Region

    items = {i.code: i for i in ServiceItem.objects.active()}
    users: dict[str, Any] = {}
    for username in usernames:
        # The console's current unit when none was chosen: the first membership in this order (orgs/web.current_membership).
        m = (
            Membership.objects.active()
            .filter(user__username=username)
            .select_related("unit")
            .order_by("unit__region_id", "unit__name")
            .first()
        )
        if m is None:
            continue
        channel = "hotline" if m.role == Membership.Role.HOTLINE_AGENT else "window"
        # Requests about towns of the unit's own district (the city's, for a city centre).
        area = m.unit.region_id[:6]
        regions = list(Region.objects.under(area).filter(level=4).values_list("code", flat=True))
        # Items whose business line asks fields of its own (legal aid's hardship facts: fawang.matters.lines) are
        # left out: the load script posts the common form only, which re-renders asking for those fields.
        offered = [
            str(items[c].pk)
            for c in item_mix
            if c in items and items[c].offers(channel) and lines.item_data(c) is None
        ]
        users[username] = {"channel": channel, "regions": regions, "items": offered}
    return {"users": users}


def count(prefix: str) -> dict[str, int]:
    from fawang.matters.models import Matter

    # The intake view stores the key as "intake:<user id>:<key>" (views._intake_key).
    return {"count": Matter.objects.filter(idempotency_key__regex=rf"^intake:\d+:{prefix}").count()}


def serial(repeat: int) -> dict[str, Any]:
    """Queries and in-process time of one intake POST by sm_clerk, for three service items, one at a time:
    what each submission costs without concurrency (the load test shows what 32 at once cost)."""
    import re
    import statistics
    import time
    import uuid

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fawang.catalog.models import ServiceItem
    from fawang.lib.validators import id_check_digit

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client(enforce_csrf_checks=True)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    page = client.get("/accounts/login/").content.decode()
    found = token.search(page)
    assert found is not None
    client.post(
        "/accounts/login/",
        {"username": "sm_clerk", "password": "fawang-demo-2026", "csrfmiddlewaretoken": found.group(1)},
    )
    found = token.search(client.get("/console/matters/intake/").content.decode())
    assert found is not None, "受理登记页面没有 CSRF 令牌"
    csrf = found.group(1)
    counter = 0

    def post(item_id: int) -> int:
        nonlocal counter
        counter += 1
        first17 = f"350298{19700101 + counter % 28:08d}{counter % 1000:03d}"
        response = client.post(
            "/console/matters/intake/",
            {
                "csrfmiddlewaretoken": csrf,
                "idempotency_key": uuid.uuid4().hex,
                "channel": "window",
                "name": "陈建华",
                "phone": f"137{counter:08d}",
                "id_number": first17 + id_check_digit(first17),
                "region": "350203001",
                "req-TOTAL_FORMS": "1",
                "req-INITIAL_FORMS": "0",
                "req-MIN_NUM_FORMS": "1",
                "req-MAX_NUM_FORMS": "10",
                "req-0-service_item": str(item_id),
                "req-0-description": "咨询劳动合同解除后经济补偿金的计算方法。",
            },
        )
        return response.status_code

    out: dict[str, Any] = {}
    for code in ("consultation", "legal_aid", "mediation"):
        item = ServiceItem.objects.get(code=code)
        for _ in range(3):
            post(item.pk)
        with CaptureQueriesContext(connection) as ctx:
            status = post(item.pk)
        # Read now: the next request's request_started signal empties the connection's query log.
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            post(item.pk)
            times.append((time.perf_counter() - started) * 1000)
        out[code] = {"status": status, "queries": queries, "ms": statistics.median(times)}
    return out


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    from bench.bench_matters import INTAKE_USERS, ITEM_MIX

    if argv and argv[0] == "count":
        print(json.dumps(count(argv[1])))
    elif argv and argv[0] == "serial":
        print(json.dumps(serial(int(argv[1]))))
    else:
        print(json.dumps(intake_refs(INTAKE_USERS, ITEM_MIX)))


if __name__ == "__main__":
    main(sys.argv[1:])
