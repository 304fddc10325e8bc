"""Workbench list latency, measured in-process: Django's test client against the benchmark database, so the
figures are view + ORM + template, without the network or the WSGI server.

Run inside a Django process pointed at the database (bench_matters runs ``python -m bench.matters_lists N``,
N requests per scenario, fewer for a page so slow that they would take more than 20 s). Prints one JSON object: for each scenario the p50/p95 latency, the number of
queries of one request at page sizes 10, 50 and 100 (the view's PER_PAGE, set in-process), the row count of
the filter, and EXPLAIN (ANALYZE, BUFFERS) of the list's main query and of its count.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

# (label, user, URL name, query string). The URL names are the workbench's (fawang/matters/urls.py).
SCENARIOS: list[tuple[str, str, str, dict[str, str]]] = [
    ("xm_supervisor 全部事项（厦门全市，默认排序）", "xm_supervisor", "matters:list", {}),
    ("xm_supervisor 全部事项 · 未办结", "xm_supervisor", "matters:list", {"status": "open"}),
    ("xm_supervisor 全部事项 · 超期", "xm_supervisor", "matters:list", {"overdue": "on"}),
    (
        "sm_supervisor 思明区 · 法律援助申请 · 未办结",
        "sm_supervisor",
        "matters:list",
        {"status": "open", "item": "@legal_aid"},
    ),
    ("sm_handler 本单位事项（思明区法律援助中心，默认未办结）", "sm_handler", "matters:unit_queue", {}),
    (
        "sm_clerk 本单位事项 · 已办结 · 法律咨询",
        "sm_clerk",
        "matters:unit_queue",
        {"status": "completed", "item": "@consultation"},
    ),
    ("sm_clerk 本单位事项 · 超期", "sm_clerk", "matters:unit_queue", {"status": "open", "overdue": "on"}),
]
PAGE_SIZES = (10, 50, 100)
# A page that takes seconds is measured fewer times: at least MIN_REQUESTS, then until the budget is spent.
BUDGET_SECONDS = 20.0
MIN_REQUESTS = 20


@dataclass
class Plan:
    ms: float
    nodes: list[str]
    seq_scan_rows: int  # rows read by sequential scans of matters_matter

    def summary(self) -> str:
        seen = list(dict.fromkeys(self.nodes))
        return f"{self.ms:.1f} ms: " + ", ".join(seen[:6])


def _walk(node: dict[str, Any], out: list[str], seq: list[int]) -> None:
    kind = node.get("Node Type", "")
    if node.get("Index Name"):
        out.append(f"{kind} {node['Index Name']}")
    elif node.get("Relation Name"):
        out.append(f"{kind} {node['Relation Name']}")
        if kind == "Seq Scan" and node["Relation Name"] == "matters_matter":
            seq.append(int(node.get("Actual Rows", 0)) + int(node.get("Rows Removed by Filter", 0)))
    elif kind in ("Sort", "Incremental Sort"):
        out.append(f"{kind} ({node.get('Sort Method', '')})")
    for child in node.get("Plans", []):
        _walk(child, out, seq)


def explain(sql: str) -> Plan:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        data = cur.fetchone()[0]
    plan = (json.loads(data) if isinstance(data, str) else data)[0]
    nodes: list[str] = []
    seq: list[int] = []
    _walk(plan["Plan"], nodes, seq)
    return Plan(ms=float(plan["Execution Time"]), nodes=nodes, seq_scan_rows=sum(seq))


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fawang.accounts.models import User
    from fawang.catalog.models import ServiceItem
    from fawang.matters.views import queues as views

    repeat = int(argv[0]) if argv else 200
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    items = dict(ServiceItem.objects.values_list("code", "pk"))
    results = []
    for label, username, url_name, params in SCENARIOS:
        query = {k: (str(items[v[1:]]) if v.startswith("@") else v) for k, v in params.items()}
        client = Client()
        client.force_login(User.objects.get(username=username))
        url = reverse(url_name)
        for _ in range(3):  # warm the connection, templates and the database cache
            response = client.get(url, query)
            assert response.status_code == 200, (label, response.status_code)
        counts = {}
        main_sql = count_sql = ""
        for size in PAGE_SIZES:
            views.PER_PAGE = size
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, query)
            counts[size] = len(ctx.captured_queries)
            if size == 50:
                for q in ctx.captured_queries:
                    sql = q["sql"]
                    if sql.startswith("SELECT COUNT(*)") and "matters_matter" in sql:
                        count_sql = count_sql or sql
                    elif 'FROM "matters_matter"' in sql and re.search(r"\bLIMIT\b", sql) and not main_sql:
                        main_sql = sql
        views.PER_PAGE = 50
        times: list[float] = []
        budget = time.perf_counter() + BUDGET_SECONDS
        while len(times) < repeat and (len(times) < MIN_REQUESTS or time.perf_counter() < budget):
            started = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
        rows = None
        if count_sql:
            with connection.cursor() as cur:
                # The list counts at most a cap of rows (fawang/lib/paging.py); the report shows them all.
                cur.execute(re.sub(r"\bLIMIT \d+\)", ")", count_sql))
                rows = cur.fetchone()[0]
        times.sort()
        main_plan = explain(main_sql) if main_sql else None
        count_plan = explain(count_sql) if count_sql else None
        results.append(
            {
                "label": label,
                "url": url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                "p50": statistics.median(times),
                "p95": times[max(int(len(times) * 0.95) - 1, 0)],
                "max": times[-1],
                "n": len(times),
                "queries": counts,
                "rows": rows,
                "main_plan": main_plan.summary() if main_plan else "",
                "main_seq_rows": main_plan.seq_scan_rows if main_plan else 0,
                "main_ms": main_plan.ms if main_plan else None,
                "count_plan": count_plan.summary() if count_plan else "",
                "count_seq_rows": count_plan.seq_scan_rows if count_plan else 0,
                "count_ms": count_plan.ms if count_plan else None,
                "main_sql": main_sql,
            }
        )
    print(json.dumps({"scenarios": results}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
