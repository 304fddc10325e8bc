"""Typed access to the fields a form narrows after it is built (a queryset for the user's units, choices for one
matter). ``form.fields`` holds plain ``Field`` objects for the type checker; these say which kind of field the
name refers to, and fail at once when it is not."""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The named ModelChoiceField (or ModelMultipleChoiceField) of ``form``."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ModelChoiceField")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named ChoiceField (or one of its subclasses) of ``form``."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ChoiceField")
    return field


def choices_of(form: forms.BaseForm, name: str) -> list[tuple[Any, Any]]:
    """The named choice field's (value, label) pairs, as Django normalised them when they were set (the stubs
    type the ``choices`` property by what it accepts, not by what it returns)."""
    choices: Any = choice_field(form, name).choices
    return list(choices)
