"""Searching the console's matter lists by ID number or phone without putting either into a URL.

The filter form is posted. A tracking number and the other filters go on into the list's address as before
(so paging and bookmarks work), but an ID number or phone number is kept in the session under a random
token and the address carries only ``s=<token>``: access logs, browser history and the Referer header never
see the personal data.
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect

from .models import PERSON_PHONE_RE, normalize_person_phone

SESSION_KEY = "matter_searches"
SEARCH_PARAM = "s"
KEEP = 20


def is_personal(q: str) -> bool:
    """An ID number (18 characters) or a phone number, the way ``listing.search_matters`` reads them."""
    compact = re.sub(r"[\s-]", "", q).upper()
    if re.fullmatch(r"\d{17}[\dX]", compact):
        return True
    return bool(PERSON_PHONE_RE.match(normalize_person_phone(q)))


def redirect_without_personal_data(request: HttpRequest, list_url: str) -> HttpResponse:
    data = request.POST.copy()
    data.pop("csrfmiddlewaretoken", None)
    data.pop(SEARCH_PARAM, None)
    q = data.get("q", "").strip()
    if q and is_personal(q):
        token = secrets.token_urlsafe(9)
        kept = dict(request.session.get(SESSION_KEY, {}))
        kept[token] = q
        request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
        data.pop("q")
        data[SEARCH_PARAM] = token
    query = data.urlencode()
    return redirect(f"{list_url}?{query}" if query else list_url)


def query_data(request: HttpRequest) -> tuple[QueryDict, bool]:
    """The list's filters, with a search kept in the session put back; True when the token is unknown (the
    session ended): the list then shows nothing and asks for the search again."""
    data = request.GET.copy()
    token = data.pop(SEARCH_PARAM, [""])[-1]
    if not token:
        return data, False
    q = request.session.get(SESSION_KEY, {}).get(token)
    if not q:
        return data, True
    data["q"] = q
    return data, False
