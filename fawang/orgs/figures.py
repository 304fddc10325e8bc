"""Figures the console's home and the region pages both show: villages with a legal advisor appointed now
(一村一法律顾问) and the coverage they make. Not a view module, so the console shell and fawang/orgs/views.py
share it."""

from __future__ import annotations

from django.db.models import Q

# A village's advisor appointment that has not ended (on a Region, through its assignments).
CURRENT = Q(advisor_assignments__ended_on__isnull=True)


def coverage(villages: int, covered: int) -> int | None:
    """Per cent of villages covered, rounded; None when there are no villages."""
    return round(covered * 100 / villages) if villages else None
