"""Showing an audit row's before → after in words: each key by its field's Chinese name, choice codes by
their labels, booleans as 是/否. Field names come from the models' own metadata (found by label through the
app registry), so this needs no import of the apps whose rows are audited and runs no query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from . import codes
from .models import AuditEvent


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    added: bool  # nothing before: a value set on a new row
    removed: bool  # nothing after: a value of a removed row


def _models(event: AuditEvent) -> list[type[Model]]:
    labels = [event.target_type]
    entry = codes.CODES.get(event.action)
    if entry is not None:
        labels.extend(entry.also)
    found = []
    for label in labels:
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return found


def _field(models: list[type[Model]], name: str) -> Field[Any, Any] | None:
    for model in models:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, Field):
            return field
    return None


def text(value: Any, field: Field[Any, Any] | None = None) -> str:
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(text(v, field) for v in value)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def change_rows(event: AuditEvent) -> list[Change]:
    models = _models(event)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        field = _field(models, key)
        rows.append(
            Change(
                field=str(field.verbose_name) if field is not None else key,
                before=text(before.get(key), field),
                after=text(after.get(key), field),
                added=key not in before,
                removed=key not in after,
            )
        )
    return rows
