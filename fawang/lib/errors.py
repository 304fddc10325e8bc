"""Refusals an action explains in Chinese that are not about one input (a ValidationError is): pages show the
message, the API answers 400 with the refusal's ``code`` (fawang.apikit.errors), so the API needs to know no app's
exceptions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class Refused(Exception):
    """Subclass it with a stable ``code`` (e.g. ``no_route``) and a ``default_message`` for an empty one."""

    code = "refused"
    default_message: Any = ""  # a str or a lazy translation


def put_errors(form: Any, error: Exception) -> None:
    """An action's ValidationError onto ``form``: keyed messages on their field when the form has it, the rest (and
    an error without keys, or another refusal: ``messages_of``) as the form's own."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, messages_of(error))


def messages_of(error: Exception, default: str = "") -> list[str]:
    """What a refused action says, for a page: a ValidationError's messages, else the refusal's text (``default``
    when it has none)."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or default]
