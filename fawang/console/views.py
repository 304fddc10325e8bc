"""The staff console's shell: home (the user's units, the work waiting, the figures of what they reach) and the
unit switcher. The organisation pages (regions, units, practitioners, advisors, staff) are fawang/orgs/views.py,
mounted under this namespace by urls.py; each business line mounts its own pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.orgs import authority
from fawang.orgs.figures import CURRENT, coverage
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import (
    SESSION_KEY,
    current_membership,
    current_unit,
    memberships,
    staff_required,
    staff_user,
)
from fawang.regions.models import Region

from .work import work_tiles

# --- home and unit switcher -------------------------------------------------------------------------------


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    roots = authority.region_roots(user)
    units = Unit.objects.visible_to(user).active()
    by_kind = dict(units.service_points().order_by().values_list("kind").annotate(n=Count("id")))
    villages = (
        Region.objects.visible_to(user)
        .filter(level=Region.Level.VILLAGE)
        .aggregate(total=Count("code", distinct=True), covered=Count("advisor_assignments", filter=CURRENT))
    )
    scope_regions: list[Region] = [] if roots is None else list(Region.objects.filter(code__in=roots))
    kpis = {
        "centres": by_kind.get(Unit.Kind.CENTRE, 0),
        "stations": by_kind.get(Unit.Kind.STATION, 0),
        "rooms": by_kind.get(Unit.Kind.ROOM, 0),
        "practitioners": Practitioner.objects.visible_to(user).count(),
        "villages": villages["total"],
        "covered": villages["covered"],
        "coverage": coverage(villages["total"], villages["covered"]),
    }
    mine = memberships(request)
    return render(
        request,
        "console/home.html",
        {
            "kpis": kpis,
            "scope_all": roots is None,
            "scope_regions": scope_regions,
            "memberships": mine,
            "current": current_membership(request),
            "can_manage_staff": has_capability(user, "orgs.manage_staff"),
            "can_manage_advisors": has_capability(user, "orgs.manage_advisors"),
            "work": work_tiles(user, current_unit(request)),
        },
    )


@require_POST
@staff_required
def switch_unit(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("unit", "")
    mine = {m.unit_id: m for m in memberships(request)}
    if not wanted.isdigit() or int(wanted) not in mine:
        messages.error(request, _("只能切换到您任职的机构。"))
    else:
        request.session[SESSION_KEY] = int(wanted)
        messages.success(request, _("已切换到：%(unit)s") % {"unit": mine[int(wanted)].unit.name})
    back = request.POST.get("next") or request.headers.get("Referer") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "console:home"
    return redirect(back)
