"""What the workbench's views share: htmx detection, an action's errors onto a form, safe "next" addresses, the
region picker's root and the receipt link."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fawang.accounts.models import User
from fawang.lib import codes
from fawang.lib.errors import messages_of
from fawang.orgs.authority import region_roots

from ..models import (
    Matter,
)
from ..routing import NoRoute

PER_PAGE = 50


# --------------------------------------------------------------------------------------------- helpers


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _messages_of(exc: ValidationError | PermissionDenied | NoRoute) -> list[str]:
    return messages_of(exc, _("您的岗位无权执行此操作。"))


def _quiet(*forms_: forms.Form) -> None:
    """Show bound forms again without validating them (a "再加一项" or "下一级" press is not a submission)."""
    for form in forms_:
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        form.cleaned_data = {}


def _safe_next(request: HttpRequest, fallback: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


def _region_root(user: User) -> str | None:
    """Where the filter's region picker starts: the user's one area, or the whole country."""
    roots = region_roots(user)
    if roots is None or len(roots) != 1:
        return None
    code = roots[0]
    # The picker's root must lie above its last level (a village advisor starts from their town).
    return codes.parent_code(code) if codes.level_of(code) >= 5 else code


def _receipt_pdf_url(matter: Matter) -> str | None:
    """Link the printable receipt only once the PDF view exists (another part of the project builds it)."""
    for name in ("matters_pdf:receipt", "matters:receipt_pdf"):
        try:
            return reverse(name, kwargs={"pk": matter.pk})
        except NoReverseMatch:
            continue
    return None
