"""Demo data of the hotline: the telephone system of 厦门市公共法律服务中心 (the city's 12348 centre), and the ticket
system of 厦门市12345 (联动), each with a fixed token so that ``manage.py simulate_calls`` and a local PBX or ticket
system test can post to them without setup. The token is
for the demo only: a real system gets a random one (``do_create_system``)."""

from __future__ import annotations

from fawang.orgs.models import Unit

from . import actions, cti
from .models import CtiSystem

DEMO_TOKEN = "demo-12348-xiamen"  # noqa: S105 -- the demo's published token, documented in README
DEMO_LINK_TOKEN = "demo-12345-link"  # noqa: S105 -- the demo 12345 ticket system's published token
DEMO_CENTRE = "厦门市公共法律服务中心"


def load_line_demo() -> None:
    if CtiSystem.objects.filter(token_hash=cti.token_hash(DEMO_TOKEN)).exists():
        return
    unit = Unit.objects.filter(name=DEMO_CENTRE).first()
    if unit is None:
        return
    actions.do_create_system(
        actor=None, unit=unit, name="12348 呼叫中心（演示）", signed=False, token=DEMO_TOKEN
    )
