"""Run by bench_hotline in a Django process: ``count PREFIX`` prints the calls and events a run stored as JSON."""

from __future__ import annotations

import json
import sys

import django


def main(argv: list[str]) -> None:
    django.setup()
    from fawang.hotline.models import Call, CallEvent

    prefix = argv[1]
    calls = Call.objects.filter(call_id__startswith=f"{prefix}-")
    events = CallEvent.objects.filter(call__in=calls)
    out = {
        "calls": calls.count(),
        "events": events.count(),
        "ended": calls.filter(status=Call.Status.ENDED).count(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
