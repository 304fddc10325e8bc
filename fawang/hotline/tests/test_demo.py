"""The demo's systems: `simulate_calls` and a local ticket-system test post to them with the documented tokens."""

from __future__ import annotations

from .. import cti
from ..demo import DEMO_LINK_TOKEN, DEMO_TOKEN
from ..models import CtiSystem
from .base import HotlineTestCase


class DemoTestCase(HotlineTestCase):
    def test_the_demo_systems(self) -> None:
        centre = CtiSystem.objects.get(token_hash=cti.token_hash(DEMO_TOKEN))
        self.assertEqual(
            (centre.unit.name, centre.purpose, centre.secret), ("厦门市公共法律服务中心", "cti", "")
        )
        link = CtiSystem.objects.get(token_hash=cti.token_hash(DEMO_LINK_TOKEN))
        self.assertEqual((link.unit.hotline_number, link.purpose), ("12345", "link"))
