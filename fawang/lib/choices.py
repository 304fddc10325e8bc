"""Model choice fields whose options come from one plain query.

Django's ModelChoiceIterator reads the options through ``QuerySet.iterator()``, which on PostgreSQL opens a
server-side cursor (DECLARE ... WITH HOLD outside a transaction, then FETCH and CLOSE): four round trips and a
materialised cursor for a list of a dozen service items. Selects on forms list a few dozen rows at most, so one
ordinary SELECT is both cheaper and simpler.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg,unused-ignore]
    iterator = ListedChoiceIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg,unused-ignore]
    iterator = ListedChoiceIterator
