from __future__ import annotations

from django import template

from fawang.audit.display import Change, change_rows
from fawang.audit.models import AuditEvent

register = template.Library()


@register.filter
def audit_changes(event: AuditEvent) -> list[Change]:
    """The row's before → after, one entry per field, in words."""
    return change_rows(event)
