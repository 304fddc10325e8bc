"""Public (citizen) requests: the ``public_required`` decorator, the public account of a request, and the links of
a signed-in person's own pages.

Not a view module, and in accounts (where public accounts are), below every app that serves a person's pages:
the account pages at /me/ (citizens), appointments (frontdesk), online applications, the inbox (notify), the
tracking pages (matters) and the citizens' API all read "who is this person" the same way. The account's links
(``account_nav``) live here for the same reason: they span pages of several apps (citizens' matters and
consultations, frontdesk's appointments), so no one of those apps can own them without the others importing it;
they name URLs, never import views.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from .models import User

View = Callable[..., HttpResponse]

# The "kind" filter of /me/matters/ that lists the person's consultations (fawang.citizens.my_matters).
CONSULTATIONS = "consultations"

# The links under the portal's navigation on a person's own pages (在线咨询 and 我的 are in the portal's own
# navigation, templates/portal/base.html): (label, URL name, query).
ACCOUNT_NAV: tuple[tuple[Any, str, dict[str, str]], ...] = (
    (gettext_lazy("我的事项"), "me:matters", {}),
    (gettext_lazy("我的咨询"), "me:matters", {"kind": CONSULTATIONS}),
    (gettext_lazy("我的预约"), "appoint:list", {}),
    (gettext_lazy("我的消息"), "notify_inbox:inbox", {}),
)


class _Request(Protocol):
    """A Django request or a DRF one: both carry the signed-in ``user``."""

    @property
    def user(self) -> Any: ...


def public_user(request: _Request) -> User | None:
    """The signed-in public account (``User.Kind.PUBLIC``), or None (anonymous, or a staff session)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.kind == User.Kind.PUBLIC:
        return user
    return None


def citizen_user(request: _Request) -> User:
    """The public account of a request that ``public_required`` (or the API's IsPublicUser) has let through."""
    user = request.user
    assert isinstance(user, User)  # public_required / IsPublicUser has run
    return user


def public_required(view: View) -> View:
    """Signed in with a public account; anyone else (anonymous, or a staff session) goes to the sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if public_user(request) is None:
            return redirect(reverse("me:login") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapper


def account_nav(request: HttpRequest) -> list[dict[str, Any]]:
    """ACCOUNT_NAV for a template's ``portal_nav``, the link of this page marked active."""
    here = request.get_full_path()
    out = []
    for label, name, query in ACCOUNT_NAV:
        url = reverse(name) + ("?" + urlencode(query) if query else "")
        out.append({"label": label, "url": url, "active": here == url})
    return out
