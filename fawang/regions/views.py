"""Public, read-only region look-ups for the cascading picker."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from fawang.lib import codes

from .models import Region
from .widgets import RegionSelect, is_code

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


# Public: the citizen portal's picker calls it. Divisions change once a year (on re-import), so browsers may
# keep an answer for a day; it varies only with the language (labels) carried by the header or the cookie.
@require_GET
@cache_control(public=True, max_age=24 * 3600)
@vary_on_headers("Accept-Language", "Cookie")
def children(request: HttpRequest) -> HttpResponse:
    """The picker re-rendered for the submitted selects: the chosen region's direct children fill the next level.

    Parameters (sent by the widget's hx-vals and hx-include): ``picker`` the field's HTML name, ``id`` its
    element id, ``max_level`` 1-5, ``root`` the code the picker starts below (empty: the whole country), and
    the level selects ``<picker>_<level>``. Unknown or malformed values give 404, never 500.
    """
    params = request.GET
    name = params.get("picker", "")
    element_id = params.get("id") or f"id_{name}"
    max_level = params.get("max_level", "5")
    root = params.get("root", "")
    if not _NAME.match(name) or not _NAME.match(element_id) or max_level not in {"1", "2", "3", "4", "5"}:
        raise Http404
    if root and (not is_code(root) or codes.level_of(root) >= int(max_level)):
        raise Http404
    widget = RegionSelect(max_level=int(max_level), root=root or None)
    value = widget.value_from_datadict(params, {}, name)  # type: ignore[arg-type]
    wanted = [code for code in (root, value) if code]
    if value and (not is_code(value) or (root and not value.startswith(root))):
        raise Http404
    if wanted and Region.objects.filter(code__in=wanted).count() != len(set(wanted)):
        raise Http404
    return HttpResponse(widget.render(name, value, attrs={"id": element_id}))
