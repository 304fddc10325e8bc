"""Who sees which figures and warnings: the supervisors of a 司法局 see their region's subtree (a district supervisor
only their district), through ``authority.has_capability_in_region``; a region or warning outside answers 404, a
role without the capability 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from fawang.orgs import authority
from fawang.orgs.roles import has_capability
from fawang.regions.models import Region

from .models import Warning

VIEW = "insights.view"


def require_viewer(user: Any) -> None:
    if not has_capability(user, VIEW):
        raise PermissionDenied(_("您的岗位无权查看监督统计。"))


def get_region_for_user(user: Any, code: str) -> Region:
    require_viewer(user)
    region = get_object_or_404(Region, code=code)
    if not authority.has_capability_in_region(user, VIEW, region.code):
        raise Http404
    return region


def default_region(user: Any) -> str:
    """Where the dashboard opens: the region of the user's (first) 司法局, or 福建省 for the whole system."""
    roots = authority.region_roots(user)
    for code in roots or []:
        if authority.has_capability_in_region(user, VIEW, code):
            return code
    return "35"


def warnings_for_user(user: Any) -> QuerySet[Warning]:
    require_viewer(user)
    return Warning.objects.filter(authority.regions_filter(user, "region_id"))


def get_warning_for_user(user: Any, pk: int) -> Warning:
    warning = get_object_or_404(warnings_for_user(user).select_related("region", "topic"), pk=pk)
    if not authority.has_capability_in_region(user, VIEW, warning.region_id):
        raise Http404
    return warning
