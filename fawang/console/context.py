from __future__ import annotations

from django.http import HttpRequest

from fawang.orgs.web import current_unit, memberships

from .nav import build_nav


def console(request: HttpRequest) -> dict[str, object]:
    if not request.path.startswith("/console/") or not request.user.is_authenticated:
        return {}
    return {
        "console_nav": build_nav(request),
        "current_unit": current_unit(request),
        "user_memberships": memberships(request),
    }
