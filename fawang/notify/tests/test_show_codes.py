"""Issue 14, item 22: when one-time codes show on the page. Under `make run` (the demo) or DEBUG, while the local
outbox is the SMS sender, yes; in production — a real SMS sender, or neither DEBUG nor the demo — never."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, override_settings

from fawang.notify.conf import show_codes

GATEWAY = {"sms": "fawang.notify.tests.helpers.ExplodingSender"}  # any sender but the local outbox


class ShowCodesTestCase(SimpleTestCase):
    @override_settings(DEBUG=False, DEMO=False, NOTIFY_SHOW_CODES_IN_DEV=False)
    def test_not_by_default(self) -> None:
        self.assertFalse(show_codes())

    @override_settings(DEBUG=False, DEMO=True, NOTIFY_SHOW_CODES_IN_DEV=False)
    def test_the_demo_shows_them(self) -> None:
        self.assertTrue(show_codes())

    @override_settings(DEBUG=True, DEMO=False, NOTIFY_SHOW_CODES_IN_DEV=False)
    def test_debug_shows_them(self) -> None:
        self.assertTrue(show_codes())

    @override_settings(DEBUG=False, DEMO=False, NOTIFY_SHOW_CODES_IN_DEV=True)
    def test_the_explicit_setting_shows_them(self) -> None:
        self.assertTrue(show_codes())

    @override_settings(DEBUG=True, DEMO=True, NOTIFY_SHOW_CODES_IN_DEV=True, NOTIFY_SENDERS=GATEWAY)
    def test_never_with_a_real_sms_sender(self) -> None:
        self.assertFalse(show_codes())

    def test_make_run_is_the_demo(self) -> None:
        makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
        run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
        self.assertIn("FAWANG_DEMO=1", run)
        self.assertIn("bin/serve", run)
