from __future__ import annotations

from django.http import HttpRequest

ELDER_COOKIE = "elder"


def portal(request: HttpRequest) -> dict[str, object]:
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}
