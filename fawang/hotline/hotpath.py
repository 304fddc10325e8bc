"""SQL written by hand for the CTI endpoint's hot path (``actions.ingest``; bench/bench_hotline.py), and nowhere else.

Why by hand: a PBX posts every event of every call, and the ORM spent more time building each query than the
database spent answering it (compiling a queryset, cloning it, resolving its look-ups, once per statement). Here
each statement's text is made once per process from the models' own metadata (table and column names), and the
values go through the fields' own conversions (``get_db_prep_save`` on the way in: the caller's number encrypted,
the payload as JSON, datetimes as the backend wants them; the backend's and the field's converters on the way
out), so a renamed column or a new field cannot silently go missing. The statements are the ones the ORM would
send, in plain SQL that SQLite (3.35 or later, for RETURNING) and PostgreSQL both take:

- the call locked (``FOR UPDATE`` where the backend has it; SQLite has one writer at a time anyway),
- a new call inserted with ``ON CONFLICT (system, callId) DO NOTHING RETURNING id``: no savepoint needed for the
  race with the call's other events (the loser's insert waits for the winner's transaction, then inserts
  nothing, and the loser locks the winner's row),
- the call's events read, an event inserted, the call's changed columns updated.

The call's events are read in a statement of their own after the lock, never joined to it: under READ
COMMITTED a row lock that waited returns the locked row's newest version but the joined rows as the statement's
snapshot saw them before the wait, without the event the other transaction just committed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from .models import Call, CallEvent

Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _converters(vendor: str, field: Field[Any, Any]) -> list[Converter]:
    """What the ORM applies to a value read from ``field``'s column: the backend's converters (SQLite's text to
    datetime, for one), then the field's own (decryption, JSON)."""
    col = field.cached_col
    return [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]


def _read(fields: Sequence[Field[Any, Any]], row: Sequence[Any]) -> list[Any]:
    values = list(row)
    for i, field in enumerate(fields):
        for convert in _converters(connection.vendor, field):
            values[i] = convert(values[i], field.cached_col, connection)
    return values


def _db_value(field: Field[Any, Any], obj: Model, *, add: bool) -> Any:
    # As Model.save() does it: pre_save (auto_now_add), then the field's conversion for the database.
    return field.get_db_prep_save(field.pre_save(obj, add), connection)


def _q(name: str | None) -> str:
    assert name  # a concrete field's column, a model's table
    return connection.ops.quote_name(name)


def attname(model: type[Model], name: str) -> str:
    """The attribute a field's value is kept under (``agent_id`` for ``agent``)."""
    return _field(model, name).attname


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, Field)
    return found


def _cols(fields: Sequence[Field[Any, Any]]) -> str:
    return ", ".join(_q(f.column) for f in fields)


# The call as the hot path reads it: every column but the caller's number (its keyed hash says whether it is
# known; decrypting it would cost a Fernet token on every event), in model order.
CALL_READ = [f for f in Call._meta.concrete_fields if f.attname != "caller"]
CALL_INSERT = [f for f in Call._meta.concrete_fields if not f.primary_key]
EVENT_READ = [_field(CallEvent, name) for name in ("kind", "occurred_at", "payload")]
EVENT_INSERT = [f for f in CallEvent._meta.concrete_fields if not f.primary_key]


@functools.cache
def _statements(vendor: str) -> dict[str, str]:
    """The statements' text, made once per process (and backend). Only the models' own table and column names
    are put into it (S608); every value is a parameter."""
    call, event = _q(Call._meta.db_table), _q(CallEvent._meta.db_table)
    system, call_id = _q(Call._meta.get_field("system").column), _q(Call._meta.get_field("call_id").column)
    pk, event_call = _q(Call._meta.get_field("id").column), _q(CallEvent._meta.get_field("call").column)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    call_marks = ", ".join(["%s"] * len(CALL_INSERT))
    event_marks = ", ".join(["%s"] * len(EVENT_INSERT))
    return {
        "lock_call": f"SELECT {_cols(CALL_READ)} FROM {call} WHERE {system} = %s AND {call_id} = %s{lock}",  # noqa: S608
        "insert_call": (
            f"INSERT INTO {call} ({_cols(CALL_INSERT)}) VALUES ({call_marks}) "  # noqa: S608
            f"ON CONFLICT ({system}, {call_id}) DO NOTHING RETURNING {pk}"
        ),
        "call_events": f"SELECT {_cols(EVENT_READ)} FROM {event} WHERE {event_call} = %s",  # noqa: S608
        "insert_event": f"INSERT INTO {event} ({_cols(EVENT_INSERT)}) VALUES ({event_marks})",  # noqa: S608
    }


@functools.cache
def _update_statement(vendor: str, attnames: tuple[str, ...]) -> tuple[str, list[Field[Any, Any]]]:
    fields = [_field(Call, name) for name in attnames]
    sets = ", ".join(f"{_q(f.column)} = %s" for f in fields)
    pk = _q(Call._meta.get_field("id").column)
    return f"UPDATE {_q(Call._meta.db_table)} SET {sets} WHERE {pk} = %s", fields  # noqa: S608


def lock_call(system_id: int, call_id: str) -> Call | None:
    """The call ``call_id`` of the system, its row locked until the transaction ends; None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)["lock_call"], [system_id, call_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return Call.from_db(connection.alias, [f.attname for f in CALL_READ], _read(CALL_READ, row))


def insert_call(call: Call) -> bool:
    """Insert the new ``call`` and set its pk, unless its system already has a call of that callId: False then,
    and nothing written (another event of the same call made it first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _statements(connection.vendor)["insert_call"], [_db_value(f, call, add=True) for f in CALL_INSERT]
        )
        row = cursor.fetchone()
    if row is None:
        return False
    call.pk = row[0]
    call._state.adding = False
    call._state.db = connection.alias
    return True


def call_events(call_pk: int) -> dict[str, CallEvent]:
    """The call's events by kind (each kind at most once: the table's unique constraint)."""
    with connection.cursor() as cursor:
        cursor.execute(_statements(connection.vendor)["call_events"], [call_pk])
        rows = cursor.fetchall()
    events = {}
    for row in rows:
        kind, occurred_at, payload = _read(EVENT_READ, row)
        events[kind] = CallEvent(call_id=call_pk, kind=kind, occurred_at=occurred_at, payload=payload)
    return events


def insert_event(event: CallEvent) -> None:
    """Insert ``event`` (its call set); its id is not read back, nothing on the hot path needs it."""
    with connection.cursor() as cursor:
        cursor.execute(
            _statements(connection.vendor)["insert_event"],
            [_db_value(f, event, add=True) for f in EVENT_INSERT],
        )


def update_call(call: Call, attnames: Sequence[str]) -> None:
    """Write the columns ``attnames`` of the (locked) call."""
    sql, fields = _update_statement(connection.vendor, tuple(attnames))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(_db_value(f, call, add=False) for f in fields), call.pk])
