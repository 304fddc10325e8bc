"""Demo data of the hotline: the telephone system of 厦门市公共法律服务中心 (the city's 12348 centre), and the ticket
system of 厦门市12345 (联动), each with a fixed token so that ``manage.py simulate_calls`` and a local PBX or ticket
system test can post to them without setup. The tokens are for the demo only: a real system gets a random one (``do_create_system``)."""

from __future__ import annotations

from fawang.orgs.models import Unit

from . import actions, cti
from .models import CtiSystem

DEMO_TOKEN = "demo-12348-xiamen"  # noqa: S105 -- the demo's published token, documented in README
DEMO_LINK_TOKEN = "demo-12345-link"  # noqa: S105 -- the demo 12345 ticket system's published token
DEMO_CENTRE = "厦门市公共法律服务中心"


def load_line_demo() -> None:
    """Each system once (by its token), so a demo loaded before one of them existed gets it on the next run."""
    centre = Unit.objects.filter(name=DEMO_CENTRE).first()
    if centre is not None and not CtiSystem.objects.filter(token_hash=cti.token_hash(DEMO_TOKEN)).exists():
        actions.do_create_system(
            actor=None, unit=centre, name="12348 呼叫中心（演示）", signed=False, token=DEMO_TOKEN
        )
    h12345 = Unit.objects.filter(kind=Unit.Kind.HOTLINE, hotline_number="12345").order_by("pk").first()
    if (
        h12345 is not None
        and not CtiSystem.objects.filter(token_hash=cti.token_hash(DEMO_LINK_TOKEN)).exists()
    ):
        actions.do_create_system(
            actor=None,
            unit=h12345,
            name="12345 工单系统（演示）",
            signed=False,
            token=DEMO_LINK_TOKEN,
            purpose=CtiSystem.Purpose.LINK,
        )
