"""The 12348 hotline's CTI endpoint under load (issue 16): call events posted as a busy PBX posts them.

The site as ``bin/serve`` starts it; ``wrk`` at 32 connections POSTs JSON events to ``/api/v1/hotline/cti/<token>/``
(the demo centre's system): request i is event i % 3 of call i // 3, so the three events of a call are in flight
together and arrive in any order. Baseline in the same run and server: the signed-in POST that writes nothing
(the language switch with staff sessions and CSRF tokens, as in bench_matters). Afterwards the events stored for
the run's call ids are counted against the 200 answers: none may be lost. Target: ≥ 0.5× the baseline's rate with
p99 ≤ 2× its p99. Then the screen pop's query count for callers with 0 to 1,000 earlier calls: it must not grow.

Why an earlier run got no answers at all: on a shared machine at load ~20 an event took ~100 ms of mostly database
round trips (14 queries, the call's row lock held across them, so the three events of a call queued behind each
other), the warm-up's 32 requests were still being served when the measured run began, and the CTI and the baseline
ran one after the other under different load. With latencies past the run's length (a short run) or wrk's timeout,
wrk counts nothing. Now the server is drained (``/healthz`` answers quickly) before each measurement, and the baseline
and the CTI alternate in ``ROUNDS`` rounds so both see the same machine; timeouts and other errors are reported, never
silently dropped. The handler's round trips to PostgreSQL (fawang/hotline/hotpath.py): an inbound call's newCall 2
(the systems' version token, then the call with its event in one statement, no transaction), a later event 5 or 6
(the token, BEGIN, the call's lock with its events, the answering seat once per call, the event with the call's
update, COMMIT), against the baseline's 2 (its session, its user).

Full run (the machine must be otherwise quiet; ~3 minutes after the set-up):

    python bench/run.py bench_hotline                       # 3 rounds × 10 s each side (BENCH_HOTLINE_SECONDS=30)

A quick check that the harness works (what matters is that both sides get answers and nothing is lost):

    BENCH_HOTLINE_SECONDS=12 BENCH_HOTLINE_ROUNDS=2 python bench/run.py bench_hotline
"""

from __future__ import annotations

import os
import secrets
import time
import urllib.request
from pathlib import Path
from typing import Any

from .bench_matters import _django, _ms, need_wrk, run_wrk, serve, sign_in, write_data
from .harness import Context, Row, Section

# Seconds of measurement on each side, split over ROUNDS alternating rounds (baseline, CTI, baseline, CTI ...).
DURATION = int(os.environ.get("BENCH_HOTLINE_SECONDS", "30"))
ROUNDS = max(1, int(os.environ.get("BENCH_HOTLINE_ROUNDS", "3")))
CONNECTIONS = 32
SERVER = os.environ.get("BENCH_HOTLINE_SERVER", "2x8")
TOKEN = "demo-12348-xiamen"  # noqa: S105 -- the demo system's published token (fawang/hotline/demo.py)
USERS = ["xm_agent", "sm_agent", "hl_agent", "sm_clerk"]


def _cti_data(path: Path, prefix: str) -> None:
    path.write_text(f'PATH = "/api/v1/hotline/cti/{TOKEN}/"\nKEY_PREFIX = "{prefix}"\n')


def _drain(base: str, limit: float = 60.0) -> float:
    """Wait until the server has served what an earlier wrk run left queued (wrk stops sending, the server does
    not stop serving): ``/healthz`` answering within 0.2 s twice running. Returns the seconds waited."""
    started = time.monotonic()
    quick = 0
    while quick < 2 and time.monotonic() - started < limit:
        sent = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=limit) as response:  # noqa: S310 -- our own server
                response.read()
        except OSError:
            quick = 0
            time.sleep(0.5)
            continue
        quick = quick + 1 if time.monotonic() - sent < 0.2 else 0
        time.sleep(0.2)
    return time.monotonic() - started


def _combine(runs: list[dict[str, Any]], ok_status: str) -> dict[str, Any]:
    """Rounds of one side as one figure: answers and time added up, the worst round's latency percentiles (the
    same rule for both sides), errors added up."""
    ok = sum(int(r["statuses"].get(ok_status, 0)) for r in runs)
    seconds = sum(float(r["duration_us"]) for r in runs) / 1e6
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    for r in runs:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + int(n)
        for kind, n in r["errors"].items():
            errors[kind] = errors.get(kind, 0) + int(n)
    latency = {k: max(int(r["latency_us"][k]) for r in runs) for k in ("p50", "p90", "p99")}
    return {
        "ok": ok,
        "rate": ok / seconds if seconds else 0.0,
        "statuses": statuses,
        "errors": {k: v for k, v in errors.items() if v},
        "latency": latency,
        "sent": sum(int(r.get("sent", 0)) for r in runs),
        "requests": sum(int(r["requests"]) for r in runs),
    }


def run(ctx: Context) -> Section:
    section = Section(
        "12348 hotline: the CTI endpoint (issue 16)",
        f"`wrk` with {CONNECTIONS} connections, {DURATION} s on each side in {ROUNDS} alternating rounds (baseline, "
        "CTI, ...) after a warm-up, the server drained before each; each request one call event (JSON) "
        "to the demo centre's CTI endpoint, the three events of each call in flight together (any order); the site as "
        f"`bin/serve` runs it ({SERVER.replace('x', ' workers × ')} threads). Baseline in the same run and server: a "
        "signed-in POST that writes nothing (the language switch with staff sessions and CSRF). Target: ≥ 0.5× the "
        "baseline's rate, p99 ≤ 2× its p99 (the worst round's, on both sides), no event lost; the screen pop's "
        "query count the same for callers with 0 to 1,000 earlier calls.",
    )
    if "PostgreSQL" not in ctx.databases:
        section.rows.append(Row("skipped", "PostgreSQL not available", "", "", "set BENCH_PG_URL"))
        return section
    wrk = need_wrk()
    url = ctx.fresh_database("PostgreSQL", "hotline")
    ctx.set_up_demo(url, ("collectstatic", "--no-input", "-v0"))
    workers, threads = (int(x) for x in SERVER.split("x"))
    data = ctx.tmp / "wrk-hotline.lua"
    floor_data = ctx.tmp / "wrk-floor.lua"
    ids = ctx.tmp / "wrk-ids.txt"
    ids.write_text("")
    each = max(2, DURATION // ROUNDS)
    cti_runs: list[dict[str, Any]] = []
    floor_runs: list[dict[str, Any]] = []
    prefixes: list[str] = []
    drained: list[float] = []
    with serve(ctx, url, workers, threads) as base:
        # Warm both paths (imports, connections, caches), then sign in the baseline's sessions once.
        _cti_data(data, "warmup00")
        run_wrk(wrk, base, data, 5, script="hotline_cti.lua", connections=CONNECTIONS)
        drained.append(_drain(base))
        sessions = [
            {**sign_in(base, u), "channel": "", "regions": [], "items": []} for u in USERS for _ in range(2)
        ]
        write_data(
            floor_data,
            mode="floor",
            url_path="/i18n/setlang/",
            sessions=sessions,
            key_prefix="",
            ids_file=ids,
        )
        run_wrk(wrk, base, floor_data, 3)
        drained.append(_drain(base))
        for _round in range(ROUNDS):
            floor_runs.append(run_wrk(wrk, base, floor_data, each))
            drained.append(_drain(base))
            prefix = secrets.token_hex(4)
            prefixes.append(prefix)
            _cti_data(data, prefix)
            cti_runs.append(run_wrk(wrk, base, data, each, script="hotline_cti.lua", connections=CONNECTIONS))
            drained.append(_drain(base))
    stored = {"calls": 0, "events": 0, "ended": 0}
    for prefix in prefixes:
        for key, value in _django(ctx, url, "hotline_ref", "count", prefix).items():
            stored[key] += int(value)
    pops = _django(ctx, url, "hotline_ref", "pop")
    cti = _combine(cti_runs, "200")
    floor = _combine(floor_runs, "302")
    lat, fl = cti["latency"], floor["latency"]
    # Events sent but not answered (still in flight when a round stopped, or past wrk's timeout) may or may not
    # have been stored; every event answered 200 must have been.
    unanswered = cti["sent"] - cti["requests"] + cti["errors"].get("timeout", 0)
    lost = not (cti["ok"] <= stored["events"] <= cti["ok"] + unanswered)
    rate_ratio = cti["rate"] / floor["rate"] if floor["rate"] else 0.0
    p99_ratio = lat["p99"] / fl["p99"] if fl["p99"] else 0.0
    verdict = []
    if not cti["ok"]:
        verdict.append("NO CTI ANSWERS")
    if rate_ratio < 0.5:
        verdict.append(f"rate {rate_ratio:.2f}× < 0.5×")
    if p99_ratio > 2:
        verdict.append(f"p99 {p99_ratio:.2f}× > 2×")
    if lost:
        verdict.append("EVENTS LOST")
    others = {k: v for k, v in cti["statuses"].items() if k != "200"}
    section.rows.append(
        Row(
            "CTI event POST",
            f"{cti['rate']:.0f} events/s; p50 {_ms(lat['p50']):.0f} / p90 {_ms(lat['p90']):.0f} / "
            f"p99 {_ms(lat['p99']):.0f} ms",
            f"signed-in no-write POST {floor['rate']:.0f} req/s; p50 {_ms(fl['p50']):.0f} / p99 {_ms(fl['p99']):.0f} ms",
            f"{rate_ratio:.2f}× rate, {p99_ratio:.2f}× p99",
            f"{ROUNDS} alternating rounds of {each} s each side; {cti['ok']:,} answered 200, other answers "
            f"{others or 'none'}, wrk errors CTI {cti['errors'] or 'none'} / baseline {floor['errors'] or 'none'}; "
            f"{stored['events']:,} events stored for {stored['calls']:,} calls ({stored['ended']:,} complete), "
            f"{unanswered} sent but unanswered; {'no event lost' if not lost else 'EVENTS LOST'}; server drained "
            f"{max(drained):.0f} s at most between runs; target: {'; '.join(verdict) if verdict else 'meets'}",
        )
    )
    counts = {size: int(p["queries"]) for size, p in pops.items()}
    constant = len(set(counts.values())) == 1
    section.rows.append(
        Row(
            "Screen pop queries by earlier calls",
            " / ".join(f"{size}: {n}" for size, n in counts.items()),
            "",
            "",
            f"{'constant' if constant else 'GROWS WITH THE HISTORY'}; time "
            + " / ".join(f"{size}: {p['ms']:.0f} ms" for size, p in pops.items())
            + " (fawang.hotline.screenpop.screen_pop, in process, each earlier call linked to a matter)",
        )
    )
    return section
