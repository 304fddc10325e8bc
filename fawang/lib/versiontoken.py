"""A version token in the shared cache (settings.CACHES: Redis, or a table of the database) that tells every
process whether its own copy of some rarely changed rows is still current.

A write to the rows puts a new token there (``bump``: at once, and again when the transaction commits, so a
process that loaded the old rows in between does not keep them under the new token); a reader compares the token
its copy was loaded under with ``current()``. A token the shared cache has lost (evicted, cleared) is a change
too. Inside a request the token is read once (request_started opens the slot, request_finished clears it);
outside requests it is read every time. Used by the catalogue's copy (fawang/catalog/cache.py) and the
memberships' copy (fawang/orgs/scoping.py).
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

# The tokens read in requests (connect), read together at the first read of any of them in a request.
_CONNECTED: list[VersionToken] = []


class VersionToken:
    def __init__(self, key: str) -> None:
        self.key = key
        # "" in a request before the first read, the token once read, None outside requests.
        self._request = threading.local()

    def current(self) -> str:
        token = getattr(self._request, "token", None)
        if token:
            return str(token)
        token = self._read_with_others() if token == "" else cache.get(self.key)
        if token is None:
            # Lost or never set: a new token, so every process loads afresh (add: one of two racing readers wins).
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            token = cache.get(self.key) or ""
        if getattr(self._request, "token", None) == "":
            self._request.token = token
        return str(token)

    def _read_with_others(self) -> Any:
        """This token, read for the first time in a request, with every other connected token not yet read in it:
        one read of the shared cache (one query where it is a database table) for all (an intake POST reads both
        the memberships' and the catalogue's)."""
        others = [t for t in _CONNECTED if t is not self and getattr(t._request, "token", None) == ""]
        if not others:
            return cache.get(self.key)
        found = cache.get_many([self.key, *(t.key for t in others)])
        for other in others:
            if found.get(other.key):
                other._request.token = found[other.key]
        return found.get(self.key)

    def bump(self) -> None:
        """The rows changed: every process reloads at its next read, this request included."""
        self._request.token = None if getattr(self._request, "token", None) is None else ""
        self._set_new()
        # One new token when the transaction commits, however many writes it made (the demo's load saves thousands
        # of units and memberships in one): a bump already waiting for this commit is enough. A savepoint rolled
        # back drops the callbacks registered in it (Django's run_on_commit), so a later bump registers again.
        connection = transaction.get_connection()
        if connection.in_atomic_block and any(f == self._set_new for _s, f, _r in connection.run_on_commit):
            return
        transaction.on_commit(self._set_new)

    def _set_new(self) -> None:
        """A new token in the cache: at the write, and again when its transaction commits."""
        cache.set(self.key, uuid.uuid4().hex, timeout=None)

    def connect(self, *models: type[Any]) -> None:
        """Bump on every save and delete of ``models``, and read the token once per request. The callers write
        these models only through save() and delete() (a queryset update sends no signal: bump by hand then)."""
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        if self not in _CONNECTED:
            _CONNECTED.append(self)

        request_started.connect(self._request_started, weak=False, dispatch_uid=f"{self.key}:request_started")
        request_finished.connect(
            self._request_finished, weak=False, dispatch_uid=f"{self.key}:request_finished"
        )
        for model in models:
            name = model.__name__
            post_save.connect(self._changed, sender=model, weak=False, dispatch_uid=f"{self.key}:save:{name}")
            post_delete.connect(
                self._changed, sender=model, weak=False, dispatch_uid=f"{self.key}:delete:{name}"
            )

    def _changed(self, **_kwargs: Any) -> None:
        self.bump()

    def _request_started(self, **_kwargs: Any) -> None:
        self._request.token = ""

    def _request_finished(self, **_kwargs: Any) -> None:
        self._request.token = None
