"""Helpers for Django admin classes whose saves go through an action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


class ActionErrorsAsMessages(admin.ModelAdmin):
    """A ModelAdmin whose ``save_model`` calls an action: a ValidationError the action raises (a rule the form
    cannot know, such as "nobody grants a role to themselves") is shown as the error message of the page, and
    the action's own transaction has rolled back, instead of a server error."""

    def _changeform_view(
        self, request: HttpRequest, object_id: Any, form_url: Any, extra_context: Any
    ) -> HttpResponse:
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except ValidationError as error:
            self.message_user(request, "".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
