"""A new row inserted with a statement made once per process for its model: the INSERT of the intake's hot path.

``Model.save()`` builds its INSERT afresh on every call: an insert query, its compiler, a placeholder, a
``pre_save`` and a conversion per field, names quoted again — for a matter's 45 columns, more time than the
database takes to insert the row (bench/bench_matters.py). ``insert(obj)`` sends the statement ``save()`` would
send, its text made once per model and backend from the model's own metadata (table and column names only; every
value is a parameter), each value converted as ``save()`` converts it: the field's ``pre_save`` (``auto_now_add``),
then ``get_db_prep_save`` (encryption, JSON, datetimes as the backend wants them). Where that conversion is known
to hand the value back unchanged — a ``str`` in a plain CharField or TextField, an ``int`` in an integer field or a
foreign key to one, a ``bool`` in a BooleanField, None in any of them — the value is taken as it is, without the
four calls per field it takes to find that out (``_plan``; an aware datetime goes straight to the backend's own
adaptation); any other value, and every other kind of field, takes the field's own conversion.

It stands in for ``save(force_insert=True)`` only where that does nothing more: a model with an automatic
primary key, no parent model, no value made by the database but the key, no ``pre_save``/``post_save`` receiver,
and no ``save()`` of its own unless the caller says it did what that save() does first (``prepared``). Anything
else is refused with a TypeError, so an override or a receiver added later cannot be skipped without a test
noticing.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_save, pre_save

# Field classes (exactly these, not subclasses, which may convert) whose get_db_prep_save returns a value of these
# types, and None, unchanged (Django's CharField.to_python, IntegerField.get_prep_value, BooleanField.to_python).
_UNCHANGED: dict[type[Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.EmailField: (str,),
    models.FloatField: (float,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.SmallAutoField: (int,),
    models.BooleanField: (bool,),
}
# How a field's value is made ready: by its own pre_save and get_db_prep_save; taken as it is when of one of the
# types (a foreign key's: not an empty string); or, an aware datetime or None, adapted by the backend as
# DateTimeField.get_db_prep_value does.
_FULL, _AS_IS, _KEY_AS_IS, _DATETIME = 0, 1, 2, 3


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


@functools.cache
def _plan(model: type[Model], vendor: str) -> list[tuple[Field[Any, Any], str, int, tuple[type, ...]]]:
    """For each field of ``_statement``: (field, attname, how its value is made ready, the types taken as they
    are). Only a field that reads its value as it is (Field.pre_save: no auto_now) is taken as it is, a foreign key
    as its target field would be. An empty string for a foreign key (which ForeignKey.get_db_prep_save may turn
    into NULL) and a key the backend checks (validate_autopk_value: MySQL refuses 0) go the full way."""
    ops = connections[DEFAULT_DB_ALIAS].ops
    checks_keys = type(ops).validate_autopk_value is not BaseDatabaseOperations.validate_autopk_value
    plan = []
    for field in _statement(model, vendor)[1]:
        target: Field[Any, Any] = field.target_field if type(field) is models.ForeignKey else field
        types = _UNCHANGED.get(type(target), ())
        if checks_keys and isinstance(target, AutoField | BigAutoField | SmallAutoField):
            types = ()
        how = _FULL
        if types and type(field).pre_save is Field.pre_save:
            how = _KEY_AS_IS if type(field) is models.ForeignKey else _AS_IS
        elif type(field) is models.DateTimeField:
            how = _DATETIME
        plan.append((field, field.attname, how, types))
    return plan


def _values(obj: Model, model: type[Model], connection: Any) -> list[Any]:
    """``[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]``, with the shortcuts of _plan."""
    values = []
    adapt_datetime = connection.ops.adapt_datetimefield_value
    for field, attname, how, types in _plan(model, connection.vendor):
        if how in (_AS_IS, _KEY_AS_IS):
            value = getattr(obj, attname)
            if value is None or (type(value) in types and (how == _AS_IS or value != "")):
                values.append(value)
                continue
        elif how == _DATETIME:
            value = field.pre_save(obj, True)
            if value is None or (type(value) is dt.datetime and value.utcoffset() is not None):
                values.append(adapt_datetime(value))
            else:
                values.append(field.get_db_prep_save(value, connection))
            continue
        values.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    return values


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
    sql, _fields, pk_column = _statement(model, connection.vendor)
    values = _values(obj, model, connection)
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
