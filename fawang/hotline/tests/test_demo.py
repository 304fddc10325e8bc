"""The demo's systems: `simulate_calls` and a local ticket-system test post to them with the documented tokens.
The test world does not load the demo; this test loads the hotline's own demo over it (the world has the demo's
厦门市公共法律服务中心 and 12345 hotline)."""

from __future__ import annotations

from .. import cti
from ..demo import DEMO_LINK_TOKEN, DEMO_TOKEN, load_line_demo
from ..models import CtiSystem
from .base import HotlineTestCase


class DemoTestCase(HotlineTestCase):
    def test_the_demo_systems(self) -> None:
        load_line_demo()
        centre = CtiSystem.objects.get(token_hash=cti.token_hash(DEMO_TOKEN))
        self.assertEqual(
            (centre.unit.name, centre.purpose, centre.secret), ("厦门市公共法律服务中心", "cti", "")
        )
        link = CtiSystem.objects.get(token_hash=cti.token_hash(DEMO_LINK_TOKEN))
        self.assertEqual((link.unit.hotline_number, link.purpose), ("12345", "link"))
