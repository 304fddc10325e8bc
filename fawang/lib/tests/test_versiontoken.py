"""Version tokens (fawang/lib/versiontoken.py): a write makes a new token at once, and one more when its transaction
commits, however many writes the transaction made."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.test import TestCase

from fawang.lib.versiontoken import VersionToken


class VersionTokenTestCase(TestCase):
    def setUp(self) -> None:
        self.token = VersionToken("test:versiontoken")
        self.addCleanup(cache.delete, self.token.key)

    def test_every_write_changes_the_token_at_once(self) -> None:
        seen = {self.token.current()}
        with self.captureOnCommitCallbacks():
            for _ in range(3):
                self.token.bump()
                seen.add(self.token.current())
        self.assertEqual(len(seen), 4)

    def test_many_writes_in_one_transaction_make_one_more_token_at_commit(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            for _ in range(500):
                self.token.bump()
        self.assertEqual(len(callbacks), 1)
        before = self.token.current()
        callbacks[0]()
        self.assertNotEqual(self.token.current(), before)

    def test_a_write_after_a_rolled_back_savepoint_still_changes_the_token_at_commit(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            try:
                with transaction.atomic():
                    self.token.bump()  # its callback goes with the savepoint
                    raise RuntimeError
            except RuntimeError:
                pass
            self.token.bump()
        self.assertEqual(len(callbacks), 1)
        before = self.token.current()
        callbacks[0]()
        self.assertNotEqual(self.token.current(), before)
