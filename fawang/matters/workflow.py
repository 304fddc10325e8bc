"""The shared workflow helpers every writer of a record with a status uses: the matters' actions, the front desk's
appointments, and the business lines' own records.

- ``now(now)``: the time of the action (tests pass one in);
- ``is_public(actor)``: a signed-in member of the public (not staff, not the system);
- ``lock(queryset, pk, message, code)``: the row, locked for this transaction (``select_for_update``), or a
  ValidationError in Chinese when it is gone;
- ``transitions_of(moves)`` and ``check_move(...)``: one table of allowed moves per action (``{action: {from:
  {to, ...}}}``) and the check every action makes against it under the row lock, raising ``InvalidTransition``
  with the same Chinese sentence everywhere ("该事项当前状态为“已办结”，不能受理。");
- ``event_actor(actor)``: who an event row, or any row's author field, names (None for the system and for
  anonymous sessions).

No models of its own and nothing above ``fawang.orgs`` is imported here, so any app from ``matters`` up may use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.orgs.roles import is_staff_user

M = TypeVar("M", bound=models.Model)

Moves = Mapping[str, Mapping[str, Iterable[str]]]


class InvalidTransition(ValidationError):
    """A move the record's status does not allow."""


def now(value: dt.datetime | None = None) -> dt.datetime:
    return value or timezone.now()


def is_public(actor: Any) -> bool:
    """A signed-in member of the public acting on their own record (not staff, not the system's ``None``)."""
    return actor is not None and actor.is_authenticated and not is_staff_user(actor)


def event_actor(actor: Any) -> Any:
    """The user an event row names (and any row a writer records as its author: created_by, decided_by ...): None
    for the system and for a session without an account."""
    return actor if actor is not None and actor.is_authenticated else None


def lock(queryset: models.QuerySet[M], pk: int, message: str, code: str) -> M:
    """``queryset``'s row ``pk``, locked for this transaction (a PostgreSQL row lock; SQLite serialises writers
    anyway). Only the row itself is locked, not the rows joined in by ``select_related``."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise ValidationError(message, code=code)
    return row


def transitions_of(moves: Moves) -> dict[str, frozenset[str]]:
    """Every status -> the statuses some action may move it to."""
    out: dict[str, set[str]] = {}
    for rows in moves.values():
        for old, targets in rows.items():
            out.setdefault(old, set()).update(targets)
    return {old: frozenset(targets) for old, targets in out.items()}


def refuse(status_label: Any, verb: str, *, message: str | None = None) -> InvalidTransition:
    """The error for an action the status does not allow. ``message``: the sentence for another kind of record
    (with ``%(status)s`` and ``%(verb)s``), already translated; a matter's by default."""
    template = message or _("该事项当前状态为“%(status)s”，不能%(verb)s。")
    return InvalidTransition(template % {"status": status_label, "verb": verb}, code="invalid_transition")


def check_move(
    moves: Moves,
    action: str,
    status: str,
    new_status: str | None,
    *,
    verb: str,
    status_label: Any,
    message: str | None = None,
) -> str:
    """``status`` (the old one) if ``action`` may start from it and, when ``new_status`` is given, move to it;
    ``InvalidTransition`` otherwise. ``new_status`` None: an action that leaves the status as it is."""
    rows = moves.get(action)
    if rows is None:
        raise KeyError(f"no moves declared for action {action!r}")
    targets = rows.get(status)
    if targets is None or (new_status is not None and new_status not in targets):
        raise refuse(status_label, verb, message=message)
    return status


def check_table(
    transitions: Mapping[str, Iterable[str]],
    status: str,
    new_status: str,
    *,
    verb: str,
    status_label: Any,
    message: str | None = None,
) -> str:
    """The same check against a plain table of moves (status -> statuses), for records whose actions do not
    need a row each (the front desk's appointments)."""
    if new_status not in transitions.get(status, ()):
        raise refuse(status_label, verb, message=message)
    return status


def staff_actor(actor: Any) -> Any:
    """The actor if they act as staff (first responder, recorded by ...), None for the public and the system."""
    return actor if actor is not None and actor.is_authenticated and not is_public(actor) else None
