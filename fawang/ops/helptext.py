"""Which model fields lack a help_text: the domain's vocabulary belongs on the field, where a newcomer reads it.

`manage.py check_help_text` (run by `make lint`) walks every concrete field of every fawang model and names the
ones whose help_text is empty, except the self-evident ones below.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models

# The reviewed allow-list, in one place. Names that explain themselves on any model; keep it short: a field with
# a rule, a unit, a legal basis or a workflow meaning gets a help_text instead. Also self-evident (see
# `is_self_evident`): a relation named after the model it points to (`matter` -> Matter, `service_item` ->
# ServiceItem), and the fields a model inherits unchanged from Django's own abstract models (AbstractUser's
# `password`, `email` ...), which Django documents and we could describe only by redefining them.
SELF_EVIDENT_NAMES = frozenset({"id", "name", "title", "created_at", "updated_at"})

Field = models.Field


def from_django(model: type[models.Model], field: Field) -> bool:
    """Whether the field comes unchanged from an abstract model outside fawang."""
    for base in model.__mro__[1:]:
        meta = getattr(base, "_meta", None)
        if meta is None or not meta.abstract or base.__module__.startswith("fawang."):
            continue
        for inherited in meta.local_fields:
            if inherited.name == field.name and inherited.creation_counter == field.creation_counter:
                return True
    return False


def is_self_evident(field: Field) -> bool:
    if field.name in SELF_EVIDENT_NAMES:
        return True
    related = field.related_model
    return isinstance(related, type) and field.name.replace("_", "") == related._meta.model_name


def concrete_fields(model: type[models.Model]) -> Iterable[Field]:
    """The model's own stored fields and many-to-many fields: not a parent's, not Django's, not a generic key."""
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field) or field.auto_created:
            continue
        if not (field.concrete or field.many_to_many):  # a GenericForeignKey: its two columns are checked
            continue
        if field.model is not model or from_django(model, field):
            continue
        yield field


def fawang_models(app_labels: Iterable[str] = ()) -> list[type[models.Model]]:
    """Every concrete model of a fawang app (all of them, or those of the given app labels)."""
    wanted = set(app_labels)
    found: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("fawang.") or (wanted and config.label not in wanted):
            continue
        for model in config.get_models():
            meta = model._meta
            if not (meta.abstract or meta.proxy or meta.auto_created):
                found.append(model)
    return found


def fields_missing_help_text(models_: Iterable[type[models.Model]]) -> list[str]:
    """`app.Model.field` for every field without help_text that is not self-evident."""
    return [
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in models_
        for field in concrete_fields(model)
        if not str(field.help_text).strip() and not is_self_evident(field)
    ]


def coverage(models_: Iterable[type[models.Model]]) -> tuple[int, int]:
    """(fields with help_text, fields) over the given models, for reports."""
    counted = [bool(str(field.help_text).strip()) for model in models_ for field in concrete_fields(model)]
    return sum(counted), len(counted)
