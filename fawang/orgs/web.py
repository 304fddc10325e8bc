"""Staff requests: the ``staff_required`` decorator, the staff user of a request, and the unit a staff member
working for several units is acting for (the console's unit switcher keeps it in the session).

Not a view module, and below every app with staff pages (matters, frontdesk, knowledge, notify, applications,
console), so each of them reads "who is this staff member and for which unit" the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from fawang.accounts.models import User

from .models import Membership, Unit
from .roles import is_staff_user
from .scoping import active_memberships

View = Callable[..., HttpResponse]

SESSION_KEY = "current_unit"


class _Request(Protocol):
    """A Django request or a DRF one: both carry the signed-in ``user``."""

    @property
    def user(self) -> Any: ...


def staff_required(view: View) -> View:
    """Signed in, with at least one active unit membership; a public account gets a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(request.user):
            # A public account learns nothing about the console.
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_user(request: _Request) -> User:
    """The signed-in staff user of a request that ``staff_required`` (or the API's IsStaff) has let through."""
    user = request.user
    assert isinstance(user, User)  # staff_required / IsStaff has run
    return user


def memberships(request: HttpRequest) -> list[Membership]:
    return active_memberships(request.user)


def current_membership(request: HttpRequest) -> Membership | None:
    rows = memberships(request)
    if not rows:
        return None
    wanted = request.session.get(SESSION_KEY)
    return next((m for m in rows if m.unit_id == wanted), rows[0])


def current_unit(request: HttpRequest) -> Unit | None:
    m = current_membership(request)
    return m.unit if m else None
