"""A new row inserted with a statement made once per process for its model: the INSERT of the intake's hot path.

``Model.save()`` builds its INSERT afresh on every call: an insert query, its compiler, a placeholder, a
``pre_save`` and a conversion per field, names quoted again — for a matter's 45 columns, more time than the
database takes to insert the row (bench/bench_matters.py). ``insert(obj)`` sends the statement ``save()`` would
send, its text made once per model and backend from the model's own metadata (table and column names only; every
value is a parameter), each value converted as ``save()`` converts it: the field's ``pre_save`` (``auto_now_add``),
then ``get_db_prep_save`` (encryption, JSON, datetimes as the backend wants them).

It stands in for ``save(force_insert=True)`` only where that does nothing more: a model with an automatic
primary key, no parent model, no value made by the database but the key, no ``pre_save``/``post_save`` receiver,
and no ``save()`` of its own unless the caller says it did what that save() does first (``prepared``). Anything
else is refused with a TypeError, so an override or a receiver added later cannot be skipped without a test
noticing.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_save, pre_save


@functools.cache
def _statement(model: type[Model], vendor: str) -> tuple[str, list[Field[Any, Any]], str | None]:
    """The INSERT for ``model`` on ``vendor``'s backend, the fields whose values it takes, in order, and the key's
    column when the statement does not return the new key (the backend's last insert id is read instead)."""
    meta = model._meta
    pk = meta.pk
    if (
        meta.parents
        or not isinstance(pk, AutoField | BigAutoField | SmallAutoField)
        or any(f.db_default is not NOT_PROVIDED for f in meta.concrete_fields)
        or any(f.db_returning and f is not pk for f in meta.concrete_fields)
    ):
        raise TypeError(f"{meta.label}: insert() cannot stand in for save(); use save()")
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f is not pk]
    columns = ", ".join(quote(_column(f)) for f in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    if connection.features.can_return_columns_from_insert:
        return f"{sql} RETURNING {quote(_column(pk))}", fields, None
    return sql, fields, _column(pk)


def _column(field: Field[Any, Any]) -> str:
    assert field.column  # a concrete field's
    return field.column


def insert(obj: Model, *, prepared: bool = False) -> None:
    """Insert ``obj`` (not saved yet) as ``obj.save(force_insert=True)`` would, and set its primary key.

    ``prepared``: the model has a save() of its own, and the caller has done what it does before saving (by the
    model's own method for it, e.g. ``Person.prepare_for_save``); refused otherwise."""
    model = type(obj)
    own_save = model.save is not Model.save
    if (
        own_save is not prepared
        or obj.pk is not None
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    ):
        raise TypeError(f"{model._meta.label}: insert() cannot stand in for save(); use save()")
    connection = connections[DEFAULT_DB_ALIAS]
    sql, fields, pk_column = _statement(model, connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    # As save() does: an error inside an atomic block marks it for rollback even if a caller catches it.
    with transaction.mark_for_rollback_on_error(DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        cursor.execute(sql, values)
        if pk_column is None:
            row = cursor.fetchone()
            assert row is not None
            new_pk = row[0]
        else:
            new_pk = connection.ops.last_insert_id(cursor, model._meta.db_table, pk_column)
    obj.pk = new_pk
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
