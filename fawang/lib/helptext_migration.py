"""One migration operation that sets the help_text (and, where it changed with it, the label) of many fields at once.

help_text lives only in Python: it never reaches a table, so changing it changes the migration state and nothing
in the database. Django writes one ``AlterField`` per field for it, and each one re-renders the model and, for a
relation, every model related to it, recursively: the ~1,000 AlterFields that described every field of fawang
(issue 23) made a fresh ``migrate`` spend most of its time there (once per test database and per end-to-end
server). ``DescribeFields`` does the same state change for all the fields of an app and re-renders each touched
model once.

A new field or a changed help_text still gets Django's own ``AlterField`` from ``makemigrations``; this operation is
for the bulk migrations only. ``makemigrations --check`` in ``make check`` proves the state it leaves equals the
models.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState


class DescribeFields(Operation):
    """``help_texts``: model name (lower case) → field name → its help_text; ``verbose_names`` the same for the
    fields whose label changed in the same step (also Python-only)."""

    reversible = True
    reduces_to_sql = False

    def __init__(
        self, help_texts: dict[str, dict[str, str]], verbose_names: dict[str, dict[str, str]] | None = None
    ) -> None:
        self.help_texts = help_texts
        self.verbose_names = verbose_names or {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        unknown = set(self.verbose_names) - set(self.help_texts)
        assert not unknown, f"verbose_names for models without help_texts: {unknown}"
        # The state's index of relations (built once something asked for it) points at field objects; a replaced
        # relation field is taken out of it and the new one put in, as Django's own AlterField does. (The stubs do
        # not declare the private attribute.)
        index_built = getattr(state, "_relations", None) is not None
        for model_name, texts in self.help_texts.items():
            model_key = (app_label, model_name)
            fields = state.models[model_key].fields
            for name, text in texts.items():
                old = fields.pop(name)
                # A state shares field objects with the state it was cloned from, so the field is rebuilt from its
                # deconstruction (as Field.clone does), never changed in place.
                _, _, args, kwargs = old.deconstruct()
                kwargs["help_text"] = text
                if name in self.verbose_names.get(model_name, {}):
                    kwargs["verbose_name"] = self.verbose_names[model_name][name]
                new = old.__class__(*args, **kwargs)
                if index_built and old.is_relation:
                    state.resolve_model_field_relations(model_key, name, old)
                fields[name] = new
                if index_built and new.is_relation:
                    state.resolve_model_field_relations(model_key, name, new)
        # Only Python attributes changed, no relation: each model is re-rendered once, with its direct relations.
        state.reload_models([(app_label, model_name) for model_name in self.help_texts], delay=True)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        """Nothing: help_text has no column, constraint or comment in the database."""

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        """Nothing, as forwards."""

    def describe(self) -> str:
        count = sum(len(texts) for texts in self.help_texts.values())
        return f"Set help_text on {count} fields of {len(self.help_texts)} models"

    @property
    def migration_name_fragment(self) -> str:
        return "field_help_text"
