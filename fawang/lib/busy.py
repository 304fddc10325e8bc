"""Whether a database error means "busy, try again" rather than "wrong".

SQLite answers "database is locked" when a write waited longer than its busy timeout for the one write lock;
PostgreSQL has lock timeouts, deadlocks and serialization failures. The work was rolled back in each case, and the
same work tried again a moment later succeeds. Read by the web's 503 answer (fawang/apikit/busy.py) and by the
outbox, which must not lose the record of a message already sent (fawang/notify/actions.py)."""

from __future__ import annotations

from django.db import OperationalError

# PostgreSQL: lock_not_available, deadlock_detected, serialization_failure.
BUSY_SQLSTATES = {"55P03", "40P01", "40001"}


def is_busy(exception: BaseException) -> bool:
    """True for an error that says "try again": the database was busy, not wrong."""
    if not isinstance(exception, OperationalError):
        return False
    text = str(exception).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = exception.__cause__
    return getattr(cause, "sqlstate", None) in BUSY_SQLSTATES
