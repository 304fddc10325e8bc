"""Refusals an action explains in Chinese that are not about one input (a ValidationError is): pages show the
message, the API answers 400 with the refusal's ``code`` (fawang.apikit.errors), so the API needs to know no app's
exceptions."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Subclass it with a stable ``code`` (e.g. ``no_route``) and a ``default_message`` for an empty one."""

    code = "refused"
    default_message: Any = ""  # a str or a lazy translation


def put_errors(form: Any, error: Any) -> None:
    """An action's ValidationError onto ``form``: keyed messages on their field when the form has it, the rest (and
    an error without keys) as the form's own."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
