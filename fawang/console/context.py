from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fawang.orgs.web import current_unit, memberships

from .nav import build_nav


def console(request: HttpRequest) -> dict[str, object]:
    """The console shell's menu, current unit and memberships, each worked out only when a template reads it: the
    403 and 404 pages, the htmx fragments and the PDFs under /console/ render without them (they were 5-9% of
    the role matrix's requests, most of which end on such a page)."""
    if not request.path.startswith("/console/") or not request.user.is_authenticated:
        return {}
    return {
        "console_nav": SimpleLazyObject(lambda: build_nav(request)),
        "current_unit": SimpleLazyObject(lambda: current_unit(request)),
        "user_memberships": SimpleLazyObject(lambda: memberships(request)),
    }
