"""Writing the audit trail: ``record`` (one row, inside the writer's transaction) and the helpers that make
its before/after: ``snapshot`` (field values of a row, as JSON) and ``changes`` (only the keys that differ).

A writer looks like this::

    @transaction.atomic
    def set_window_active(window_id, *, actor, active):
        window = ...lock...
        before = audit.snapshot(window, ["is_active"])
        window.is_active = active
        window.save(update_fields=["is_active"])
        audit.record("orgs.set_window_active", actor=actor, target=window, unit=window.unit,
                     diff=audit.changes(before, audit.snapshot(window, ["is_active"])))

Values are stored as a person reads them later: choice fields by their code (the console shows the label),
foreign keys and many-to-many fields by the related rows' names, dates and times as text. Secrets never go
in: a key naming a password, a TOTP secret or an ID number is refused outright.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from . import codes
from .models import AuditEvent

# Field names whose values must never reach the trail (passwords and their hashes, second-factor secrets, ID
# numbers and their look-up hashes). ``record`` checks every key of before/after against these.
SECRET_FIELDS = frozenset(
    {
        "password",
        "totp_secret",
        "totp_last_step",
        "id_number",
        "id_number_hash",
        "applicant_id_number",
        "secret",
        "token",
        "key_hash",
    }
)

# The client address of the request being served, set by AuditMiddleware, so actions need not be handed it.
client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)

Changes = tuple[dict[str, Any], dict[str, Any]]


class SecretInAudit(ValueError):
    """A before/after key names a secret field."""


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` of ``instance`` as JSON: foreign keys as the related row's name (or None),
    many-to-many fields as the sorted names of the related rows (the instance must be saved), choice fields
    by code, everything else as text, numbers or booleans. Names are taken in the site's language."""
    out: dict[str, Any] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for name in fields:
            _check_key(name)
            field = instance._meta.get_field(name)
            if field.many_to_many:
                out[name] = sorted(str(row) for row in getattr(instance, name).all())
            elif field.is_relation:
                related = getattr(instance, name)
                out[name] = str(related) if related is not None else None
            else:
                out[name] = _jsonable(field.value_from_object(instance))  # type: ignore[union-attr]
    return out


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The keys whose values differ, as (before, after); a key missing on one side counts as None."""
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def created(values: Mapping[str, Any]) -> Changes:
    """(before, after) of a new row: nothing before, its non-empty values after."""
    return {}, {k: v for k, v in values.items() if v not in (None, "", [], {})}


def removed(values: Mapping[str, Any]) -> Changes:
    """(before, after) of a removed row."""
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}, {}


def _check_key(name: str) -> None:
    if name in SECRET_FIELDS:
        raise SecretInAudit(f"审计记录不能包含 {name}")


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model,
    diff: Changes = ({}, {}),
    unit: Any = None,
    person: Any = None,
    region: Any = None,
    target_name: str | None = None,
    note: str = "",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Write one audit row. Call it inside the writer's transaction, after the change, so that the row and
    the change are committed or rolled back together.

    ``actor`` is the user who made the change (None or an anonymous user: the system). ``target`` is the row
    changed (saved, so it has a primary key). ``unit`` (a Unit or its id), ``person`` (a User or id) and
    ``region`` (a Region or code) say whom the change concerns: the console shows a row to those who reach its
    unit (or, without one, its person or region). ``changes`` is (before, after), see ``changes``/``created``.
    ``ip`` defaults to the address of the request being served.
    """
    assert transaction.get_connection().in_atomic_block, (
        "audit.record() must run inside the writer's transaction"
    )
    entry = codes.CODES.get(action)
    if entry is None:
        raise ValueError(f"未登记的审计操作代码：{action}")
    before, after = diff
    for key in (*before, *after):
        _check_key(key)
    if target.pk is None:
        raise ValueError("审计对象须已保存")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with translation.override(settings.LANGUAGE_CODE):
        name = target_name if target_name is not None else str(target)
        label = str(entry.label)
    return AuditEvent.objects.create(
        created_at=now or timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        label=label[:64],
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_name=name[:200],
        unit_id=_pk(unit),
        person_id=_pk(person),
        region_id=_pk(region),
        before=_jsonable(dict(before)),
        after=_jsonable(dict(after)),
        ip=ip if ip is not None else client_ip.get(),
        note=note[:500],
    )
