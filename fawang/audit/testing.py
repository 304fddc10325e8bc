"""Test helper: the audit rows a block of code writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Max

from .models import AuditEvent


@contextmanager
def new_audit_rows() -> Iterator[list[AuditEvent]]:
    """``with new_audit_rows() as rows: ...`` — afterwards ``rows`` holds the rows written inside, oldest first."""
    mark = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    rows: list[AuditEvent] = []
    yield rows
    rows.extend(AuditEvent.objects.filter(id__gt=mark).order_by("id"))
