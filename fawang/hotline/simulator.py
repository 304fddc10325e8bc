"""Realistic call event streams for ``manage.py simulate_calls``: arrivals weighted by the hour of day (the
12348 lines are busiest mid-morning and mid-afternoon), most calls answered after some seconds of ringing, some
abandoned or missed, a few forwarded, and a satisfaction rating after most answered calls."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Relative call volume by local hour (00–23).
HOURLY = [1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 9, 5, 6, 10, 11, 9, 6, 4, 3, 3, 2, 2, 1]
QUEUES = [("法律咨询", 6), ("法律援助", 3), ("人民调解", 1)]


@dataclass
class Step:
    delay: float  # seconds after the previous step
    data: dict[str, Any] = field(default_factory=dict)


def number(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def one_call(
    rng: random.Random, call_id: str, extensions: list[str], *, caller: str = "", outcome: str = ""
) -> list[Step]:
    """The events of one call. ``outcome``: answered, abandoned (the caller hangs up), missed, forwarded."""
    caller = caller or number(rng)
    queue = rng.choices([q for q, _w in QUEUES], weights=[w for _q, w in QUEUES])[0]
    outcome = (
        outcome or rng.choices(["answered", "abandoned", "missed", "forwarded"], weights=[80, 10, 7, 3])[0]
    )
    steps = [
        Step(
            0,
            {
                "event": "newCall",
                "from": caller,
                "to": "12348",
                "direction": "in",
                "callId": call_id,
                "queue": queue,
                "user": extensions,
            },
        )
    ]
    if outcome == "answered":
        wait = rng.choice([3, 5, 8, 12, 15, 18, 25, 40])
        talk = int(rng.triangular(40, 900, 180))
        extension = rng.choice(extensions) if extensions else "8001"
        steps.append(Step(wait, {"event": "answer", "callId": call_id, "answeringNumber": extension}))
        steps.append(
            Step(
                talk,
                {
                    "event": "hangup",
                    "callId": call_id,
                    "cause": "normalClearing",
                    "answeringNumber": extension,
                    "recordingUrl": f"https://pbx.example.invalid/recordings/{call_id}.wav",
                },
            )
        )
        if rng.random() < 0.7:
            digit = rng.choices(["1", "2", "3"], weights=[75, 18, 7])[0]
            steps.append(Step(10, {"event": "rating", "callId": call_id, "digit": digit}))
    else:
        cause = {"abandoned": "cancel", "missed": "noAnswer", "forwarded": "forwarded"}[outcome]
        steps.append(
            Step(rng.choice([10, 20, 35, 60]), {"event": "hangup", "callId": call_id, "cause": cause})
        )
    return steps


def stream(rng: random.Random, count: int, hour: int, extensions: list[str], prefix: str) -> Iterator[Step]:
    """``count`` calls arriving at the rate of ``hour``, their events interleaved in time order."""
    mean_gap = 3600 / max(1, HOURLY[hour] * 6)
    timeline: list[tuple[float, int, dict[str, Any]]] = []
    start = 0.0
    for i in range(count):
        start += rng.expovariate(1 / mean_gap) if i else 0
        moment = start
        for step in one_call(rng, f"{prefix}-{i + 1}", extensions):
            moment += step.delay
            timeline.append((moment, len(timeline), step.data))
    timeline.sort()
    last = 0.0
    for moment, _seq, data in timeline:
        yield Step(moment - last, data)
        last = moment
