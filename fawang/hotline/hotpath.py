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

On PostgreSQL (client-side binding, Django's default for psycopg) statements that follow each other go to the
server together, in one round trip: the lock and the events read, then the event insert and the call update. The
server still runs them one after the other, each with its own snapshot (so the events read sees what committed
while the lock waited). SQLite's driver takes one statement per call: there they run one by one, the same SQL.
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
EVENT_FIRST = [f for f in EVENT_INSERT if f.attname != "call_id"]


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
        # The event's columns but its call's come from the call's RETURNING (PostgreSQL only: single_statement_insert).
        "insert_call_with_event": (
            f"WITH made AS (INSERT INTO {call} ({_cols(CALL_INSERT)}) VALUES ({call_marks}) "  # noqa: S608
            f"ON CONFLICT ({system}, {call_id}) DO NOTHING RETURNING {pk}) "
            f"INSERT INTO {event} ({event_call}, {_cols(EVENT_FIRST)}) "
            f"SELECT {pk}, {', '.join(['%s'] * len(EVENT_FIRST))} FROM made RETURNING {event_call}"
        ),
        "events_of_call": (
            f"SELECT {_cols(EVENT_READ)} FROM {event} WHERE {event_call} = "  # noqa: S608
            f"(SELECT {pk} FROM {call} WHERE {system} = %s AND {call_id} = %s)"
        ),
        "insert_event": f"INSERT INTO {event} ({_cols(EVENT_INSERT)}) VALUES ({event_marks})",  # noqa: S608
    }


@functools.cache
def _update_statement(vendor: str, attnames: tuple[str, ...]) -> tuple[str, list[Field[Any, Any]]]:
    fields = [_field(Call, name) for name in attnames]
    sets = ", ".join(f"{_q(f.column)} = %s" for f in fields)
    pk = _q(Call._meta.get_field("id").column)
    return f"UPDATE {_q(Call._meta.db_table)} SET {sets} WHERE {pk} = %s", fields  # noqa: S608


def together() -> bool:
    """Whether this connection takes several statements in one execute: psycopg with client-side binding."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("server_side_binding") is not True
    )


def _run(*statements: tuple[str, list[Any]]) -> list[list[tuple[Any, ...]]]:
    """Run ``statements`` in order, in one round trip where the backend allows it; each one's rows ([] for a
    statement that returns none)."""
    results: list[list[tuple[Any, ...]]] = []
    with connection.cursor() as cursor:
        if together() and len(statements) > 1:
            cursor.execute(
                "; ".join(sql for sql, _params in statements), [p for _sql, ps in statements for p in ps]
            )
            for i in range(len(statements)):
                results.append(list(cursor.fetchall()) if cursor.description else [])
                if i < len(statements) - 1:
                    cursor.nextset()
            return results
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(list(cursor.fetchall()) if cursor.description else [])
    return results


def _events(call_pk: int, rows: list[tuple[Any, ...]]) -> dict[str, CallEvent]:
    events = {}
    for row in rows:
        kind, occurred_at, payload = _read(EVENT_READ, row)
        events[kind] = CallEvent(call_id=call_pk, kind=kind, occurred_at=occurred_at, payload=payload)
    return events


def lock_call(system_id: int, call_id: str) -> tuple[Call, dict[str, CallEvent]] | None:
    """The call ``call_id`` of the system, its row locked until the transaction ends, and its events by kind
    (each kind at most once: the table's unique constraint); None when there is no such call."""
    sql = _statements(connection.vendor)
    # The events by the call's system and callId (its id is not known before the lock returns it).
    call_rows, event_rows = _run(
        (sql["lock_call"], [system_id, call_id]), (sql["events_of_call"], [system_id, call_id])
    )
    if not call_rows:
        return None
    call = Call.from_db(connection.alias, [f.attname for f in CALL_READ], _read(CALL_READ, call_rows[0]))
    return call, _events(call.pk, event_rows)


def single_statement_insert() -> bool:
    """Whether a new call and its first event are one statement (PostgreSQL: an INSERT in a WITH clause)."""
    return connection.vendor == "postgresql"


def insert_call(call: Call, first: CallEvent) -> bool:
    """Insert the new ``call`` and its ``first`` event and set their call's pk, unless the system already has a
    call of that callId: False then, and nothing written (another event of the same call made it first).

    PostgreSQL: one statement (the event inserted from the call's RETURNING, so with no call inserted no event is
    either), atomic without a transaction around it. SQLite, which has no INSERT in a WITH clause: the call, then
    the event, inside the caller's transaction."""
    sql = _statements(connection.vendor)
    call_values = [_db_value(f, call, add=True) for f in CALL_INSERT]
    if single_statement_insert():
        first_values = [_db_value(f, first, add=True) for f in EVENT_FIRST]
        rows = _run((sql["insert_call_with_event"], [*call_values, *first_values]))[0]
    else:
        assert not connection.get_autocommit(), "the call and its event are written in one transaction"
        rows = _run((sql["insert_call"], call_values))[0]
    if not rows:
        return False
    call.pk = rows[0][0]
    call._state.adding = False
    call._state.db = connection.alias
    first.call = call
    if not single_statement_insert():
        insert_event(first)
    return True


def insert_event(event: CallEvent) -> None:
    """Insert ``event`` (its call set); its id is not read back, nothing on the hot path needs it."""
    _run(
        (
            _statements(connection.vendor)["insert_event"],
            [_db_value(f, event, add=True) for f in EVENT_INSERT],
        )
    )


def insert_event_and_update(event: CallEvent, call: Call, attnames: Sequence[str]) -> None:
    """Insert ``event`` and write the columns ``attnames`` of its (locked) call, in one round trip where the
    backend allows it (no UPDATE when nothing changed)."""
    statements = [
        (
            _statements(connection.vendor)["insert_event"],
            [_db_value(f, event, add=True) for f in EVENT_INSERT],
        )
    ]
    if attnames:
        sql, fields = _update_statement(connection.vendor, tuple(attnames))
        statements.append((sql, [*(_db_value(f, call, add=False) for f in fields), call.pk]))
    _run(*statements)
