"""The organisation pages of the staff console: the directory of regions, units (with windows and credit
records), practitioners, village legal advisors and staff (accounts and roles). Mounted under the console's
namespace (``console:unit_list`` ...) by fawang/console/urls.py; the console itself is the shell (home, unit
switcher, menu).

Every page is scoped to what the signed-in user's units reach (docs/authority.md, fawang/orgs/authority.py):
lists start from ``visible_to(user)`` and single rows come from the access helpers in fawang/orgs/access.py
(the same 404 for "missing" and "not yours"). What a user may change is a role capability where the same
membership reaches the unit (403). Writes go through fawang/orgs/actions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.lib import codes
from fawang.regions.models import Region

from . import actions, authority
from .access import (
    get_membership_for_user,
    get_practitioner_for_user,
    get_region_for_user,
    get_staff_for_user,
    get_unit_for_user,
)
from .auditing import recent_audit
from .figures import CURRENT, coverage
from .forms import (
    AdvisorFilterForm,
    AppointAdvisorForm,
    CreditRecordForm,
    GrantRoleForm,
    PractitionerFilterForm,
    StaffCreateForm,
    StaffFilterForm,
    UnitEditForm,
    UnitFilterForm,
    WindowForm,
)
from .models import AdvisorAssignment, Membership, Practitioner, Unit
from .roles import has_capability, require_capability, require_capability_in_region
from .web import staff_required, staff_user

PER_PAGE = 50


def _paginate(request: HttpRequest, queryset: Any) -> tuple[Page, str]:
    """The requested page (out-of-range numbers give the last page) and the query string without ``page``."""
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _sees_region(user: User, code: str) -> bool:
    return Region.objects.visible_to(user).filter(code=code).exists()


def _error_text(error: ValidationError) -> str:
    return "".join(error.messages)


# --- regions ----------------------------------------------------------------------------------------------


@staff_required
def region_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    q = request.GET.get("q", "").strip()[:40]
    visible = Region.objects.visible_to(user)
    page = None
    qs = ""
    roots: list[tuple[Region, int]] = []  # (region, its number of units)
    if q:
        if q.isdigit():
            found = visible.filter(codes.under("code", q))
        else:
            found = visible.filter(Q(name__icontains=q) | Q(full_name__icontains=q))
        page, qs = _paginate(request, found.order_by("code"))
    else:
        codes_ = authority.region_roots(user)
        tops = (
            visible.filter(level=Region.Level.PROVINCE) if codes_ is None else visible.filter(code__in=codes_)
        )
        units = Unit.objects.visible_to(user)
        # Few roots (one per unit a user works for), so one count each is cheap.
        roots = [
            (root, units.filter(codes.under("region_id", root.code)).count())
            for root in tops.annotate(child_count=Count("children")).order_by("code")
        ]
    return render(request, "console/region_list.html", {"q": q, "page_obj": page, "qs": qs, "roots": roots})


@dataclass(slots=True)
class ChildRegionRow:
    """One line of a region's 下级区划 table."""

    region: Region
    unit_count: int  # units anywhere under the child region
    village_count: int  # villages (communities) under it
    coverage: int | None  # per cent of those villages with a current legal adviser; None without villages


@staff_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    region = get_region_for_user(user, code)
    ancestor_codes = [c for c in region.ancestor_codes() if c != region.code]
    ancestors = list(Region.objects.visible_to(user).filter(code__in=ancestor_codes).order_by("level"))
    children = list(region.children.order_by("code"))
    child_rows: list[ChildRegionRow] = []
    if children:
        width = len(children[0].code)
        unit_counts = dict(
            Unit.objects.filter(codes.under("region_id", region.code))
            .exclude(region_id=region.code)
            .annotate(child=Substr("region_id", 1, width))
            .order_by()
            .values_list("child")
            .annotate(n=Count("id"))
        )
        village_rows = (
            Region.objects.filter(codes.under("code", region.code), level=Region.Level.VILLAGE)
            .annotate(child=Substr("code", 1, width))
            .order_by()
            .values("child")
            .annotate(
                total=Count("code", distinct=True), covered=Count("advisor_assignments", filter=CURRENT)
            )
        )
        villages = {row["child"]: row for row in village_rows}
        for child in children:
            row = villages.get(child.code, {"total": 0, "covered": 0})
            child_rows.append(
                ChildRegionRow(
                    region=child,
                    unit_count=unit_counts.get(child.code, 0),
                    village_count=row["total"],
                    coverage=coverage(row["total"], row["covered"]),
                )
            )
    units = list(Unit.objects.visible_to(user).filter(region=region).order_by("kind", "name")[:200])
    advisor = None
    if region.level == Region.Level.VILLAGE:
        advisor = (
            AdvisorAssignment.objects.current()
            .filter(region=region)
            .select_related("practitioner__unit")
            .first()
        )
    return render(
        request,
        "console/region_detail.html",
        {
            "region": region,
            "ancestors": ancestors,
            "children": child_rows,
            "units": units,
            "advisor": advisor,
            "is_village": region.level == Region.Level.VILLAGE,
        },
    )


# --- units ------------------------------------------------------------------------------------------------


@staff_required
def unit_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    form = UnitFilterForm(request.GET)
    units = Unit.objects.visible_to(user).select_related("region").prefetch_related("functions")
    region = None
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            units = units.filter(
                Q(name__icontains=data["q"])
                | Q(short_name__icontains=data["q"])
                | Q(address__icontains=data["q"])
            )
        if data["kind"]:
            units = units.filter(kind=data["kind"])
        if data["level"]:
            units = units.filter(region__level=int(data["level"]))
        if data["function"]:
            units = units.filter(functions=data["function"])
        if data["region"]:
            units = units.filter(codes.under("region_id", data["region"]))
            region = Region.objects.visible_to(user).filter(code=data["region"]).first()
    page, qs = _paginate(request, units.order_by("region_id", "kind", "name"))
    return render(
        request, "console/unit_list.html", {"form": form, "page_obj": page, "qs": qs, "region": region}
    )


def _may_record_credit(user: User, unit: Unit | None) -> bool:
    try:
        actions.require_credit_authority(user, unit)
    except PermissionDenied:
        return False
    return True


@staff_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    unit = get_unit_for_user(user, pk)
    return _unit_page(request, unit)


def _unit_page(
    request: HttpRequest, unit: Unit, credit_form: BaseForm | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    if credit_form is None and unit.has_credit_file and _may_record_credit(user, unit):
        credit_form = CreditRecordForm(initial={"decided_on": timezone.localdate()})
    subordinates = (
        Unit.objects.visible_to(user)
        .filter(parent=unit)
        .select_related("region")
        .order_by("region_id", "name")
    )
    return render(
        request,
        "console/unit_detail.html",
        {
            "unit": unit,
            "parent_visible": bool(unit.parent and _sees_region(user, unit.parent.region_id)),
            "ancestors": list(
                Region.objects.visible_to(user)
                .filter(code__in=unit.region.ancestor_codes())
                .order_by("level")
            ),
            "functions": list(unit.functions.all()),
            "windows": list(unit.windows.all()),
            "practitioners": list(
                Practitioner.objects.visible_to(user).filter(unit=unit).prefetch_related("specialities")[:200]
            ),
            "staff": list(
                Membership.objects.visible_to(user)
                .current()
                .filter(unit=unit)
                .select_related("user")
                .order_by("-is_active", "role", "user__username")
            ),
            "subordinates": list(subordinates[:100]),
            "subordinate_count": subordinates.count(),
            "can_edit": has_capability(user, "orgs.edit_unit", unit),
            "can_manage_staff": has_capability(user, "orgs.manage_staff", unit),
            "credit_records": list(unit.credit_records.select_related("recorded_by"))
            if unit.has_credit_file
            else [],
            "credit_form": credit_form,
            "audit_events": recent_audit(user, unit=unit)
            if has_capability(user, "audit.view", unit)
            else None,
        },
        status=status,
    )


@require_POST
@staff_required
def unit_credit_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_unit_for_user(user, pk)
    actions.require_credit_authority(user, unit)
    form = CreditRecordForm(request.POST)
    if form.is_valid():
        try:
            actions.record_unit_credit(unit.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已为%(name)s添加信用记录。") % {"name": unit.name})
            return redirect("console:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, form, status=400)


def _unit_edit_page(
    request: HttpRequest, unit: Unit, form: BaseForm, window_form: BaseForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "console/unit_edit.html",
        {"unit": unit, "form": form, "window_form": window_form, "windows": list(unit.windows.all())},
        status=status,
    )


@staff_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_unit_for_user(user, pk)
    require_capability(user, "orgs.edit_unit", unit)
    form = UnitEditForm(request.POST or None, instance=unit)
    next_number = max((w.number for w in unit.windows.all()), default=0) + 1
    window_form = WindowForm(initial={"number": next_number})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_unit(unit.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存%(unit)s的信息。") % {"unit": unit.name})
            return redirect("console:unit_detail", pk=unit.pk)
    return _unit_edit_page(request, unit, form, window_form)


@require_POST
@staff_required
def unit_window_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_unit_for_user(user, pk)
    require_capability(user, "orgs.edit_unit", unit)
    window_form = WindowForm(request.POST)
    if window_form.is_valid():
        try:
            window = actions.add_window(unit.pk, actor=user, **window_form.cleaned_data)
        except ValidationError as error:
            window_form.add_error(None, error)
        else:
            messages.success(request, _("已添加%(window)s。") % {"window": window})
            return redirect("console:unit_edit", pk=unit.pk)
    return _unit_edit_page(request, unit, UnitEditForm(instance=unit), window_form, status=400)


@require_POST
@staff_required
def window_set_active(request: HttpRequest, window_id: int) -> HttpResponse:
    user = staff_user(request)
    active = request.POST.get("active") == "1"
    window = actions.set_window_active(window_id, actor=user, active=active)
    if active:
        messages.success(request, _("%(window)s已启用。") % {"window": window})
    else:
        messages.success(request, _("%(window)s已停用。") % {"window": window})
    return redirect("console:unit_edit", pk=window.unit_id)


# --- practitioners ----------------------------------------------------------------------------------------


@staff_required
def practitioner_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    visible = Practitioner.objects.visible_to(user)
    employers = (
        Unit.objects.visible_to(user).filter(pk__in=visible.values("unit_id")).order_by("region_id", "name")
    )
    form = PractitionerFilterForm(request.GET, units=employers)
    rows = (
        visible.select_related("unit")
        .prefetch_related("specialities")
        .annotate(credit_count=Count("credit_records"))
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(name__icontains=data["q"]) | Q(licence_no__icontains=data["q"]))
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["status"]:
            rows = rows.filter(licence_status=data["status"])
        if data["speciality"]:
            rows = rows.filter(specialities=data["speciality"])
        if data["unit"]:
            rows = rows.filter(unit=data["unit"])
    page, qs = _paginate(request, rows.order_by("kind", "name", "pk"))
    return render(request, "console/practitioner_list.html", {"form": form, "page_obj": page, "qs": qs})


def _practitioner_page(
    request: HttpRequest, practitioner: Practitioner, credit_form: BaseForm | None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "console/practitioner_detail.html",
        {
            "p": practitioner,
            "specialities": list(practitioner.specialities.all()),
            "credit_records": list(practitioner.credit_records.select_related("recorded_by")),
            "assignments": list(
                AdvisorAssignment.objects.visible_to(user)
                .filter(practitioner=practitioner)
                .select_related("region__parent")
                .order_by("ended_on", "region_id")
            ),
            "credit_form": credit_form,
        },
        status=status,
    )


@staff_required
def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    practitioner = get_practitioner_for_user(user, pk)
    can_record = _may_record_credit(user, practitioner.unit)
    form = CreditRecordForm(initial={"decided_on": timezone.localdate()}) if can_record else None
    return _practitioner_page(request, practitioner, form)


@require_POST
@staff_required
def practitioner_credit_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    practitioner = get_practitioner_for_user(user, pk)
    actions.require_credit_authority(user, practitioner.unit)
    form = CreditRecordForm(request.POST)
    if form.is_valid():
        try:
            actions.record_credit(practitioner.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已为%(name)s添加信用记录。") % {"name": practitioner.name})
            return redirect("console:practitioner_detail", pk=practitioner.pk)
    return _practitioner_page(request, practitioner, form, status=400)


# --- village legal advisors -------------------------------------------------------------------------------


@staff_required
def advisor_list(request: HttpRequest) -> HttpResponse:
    """一村一法律顾问 coverage by town; with ``town``, that town's villages and their advisors."""
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    villages = Region.objects.visible_to(user).filter(level=Region.Level.VILLAGE)
    town_code = request.GET.get("town", "").strip()
    if town_code:
        return _advisor_town(request, user, villages, town_code)
    counties = Region.objects.filter(
        code__in=villages.annotate(county=Substr("code", 1, 6)).order_by().values("county").distinct()
    ).order_by("code")
    form = AdvisorFilterForm(request.GET, counties=counties)
    totals = villages.aggregate(
        total=Count("code", distinct=True), covered=Count("advisor_assignments", filter=CURRENT)
    )
    towns = (
        villages.order_by()
        .values("parent_id", "parent__name", "parent__parent__name")
        .annotate(total=Count("code", distinct=True), covered=Count("advisor_assignments", filter=CURRENT))
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["county"]:
            towns = towns.filter(codes.under("code", data["county"].code))
        if data["q"]:
            towns = towns.filter(parent__name__icontains=data["q"])
        if data["uncovered"]:
            towns = towns.filter(covered__lt=F("total"))
    page, qs = _paginate(request, towns.order_by("parent_id"))
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row["uncovered"] = row["total"] - row["covered"]
        row["coverage"] = coverage(row["total"], row["covered"])
    return render(
        request,
        "console/advisor_list.html",
        {
            "form": form,
            "page_obj": page,
            "qs": qs,
            "totals": {**totals, "coverage": coverage(totals["total"], totals["covered"])},
            "can_appoint": has_capability(user, "orgs.manage_advisors"),
        },
    )


def _advisor_town(
    request: HttpRequest, user: User, villages: QuerySet[Region], town_code: str
) -> HttpResponse:
    if not town_code.isdigit() or len(town_code) != 9:
        raise Http404
    rows = villages.filter(parent_id=town_code)
    uncovered = request.GET.get("uncovered") == "on"
    if uncovered:
        rows = rows.exclude(advisor_assignments__ended_on__isnull=True)
    rows = rows.prefetch_related(
        Prefetch(
            "advisor_assignments",
            queryset=AdvisorAssignment.objects.current().select_related("practitioner__unit", "room"),
            to_attr="current",
        )
    ).order_by("code")
    page, qs = _paginate(request, rows)
    page.object_list = list(page.object_list)
    town = Region.objects.select_related("parent").filter(code=town_code).first()
    if town is None or not villages.filter(parent_id=town_code).exists():
        raise Http404
    for village in page.object_list:
        village.advisor = village.current[0] if village.current else None
    return render(
        request,
        "console/advisor_town.html",
        {
            "town": town,
            "town_visible": _sees_region(user, town.code),
            "page_obj": page,
            "qs": qs,
            "uncovered": uncovered,
            "can_appoint": authority.has_capability_in_region(user, "orgs.manage_advisors", town.code),
        },
    )


@staff_required
def advisor_appoint(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    village = get_region_for_user(user, code)
    if village.level != Region.Level.VILLAGE:
        raise Http404
    require_capability_in_region(user, "orgs.manage_advisors", village.code)
    form = AppointAdvisorForm(
        request.POST or None,
        practitioners=Practitioner.objects.visible_to(user),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.appoint_advisor(
                village.code,
                data["practitioner"].pk,
                actor=user,
                started_on=data["started_on"],
                schedule=data["schedule"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已聘任%(name)s为%(village)s的法律顾问。")
                % {"name": data["practitioner"].name, "village": village.name},
            )
            return redirect(f"{reverse('console:advisor_list')}?town={village.parent_id}")
    history = list(
        AdvisorAssignment.objects.filter(region=village)
        .select_related("practitioner__unit")
        .order_by("-started_on", "-pk")
    )
    return render(
        request,
        "console/advisor_appoint.html",
        {
            "village": village,
            "town": village.parent,
            "current": next((a for a in history if a.ended_on is None), None),
            "history": history,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- staff ------------------------------------------------------------------------------------------------


def _managed_units(user: User) -> QuerySet[Unit]:
    """Active units in which ``user`` may create staff or grant roles (docs/authority.md: an admin's own unit;
    a 司法局 admin's, every unit the bureau reaches)."""
    return (
        Unit.objects.active()
        .filter(authority.managed_units_filter(user))
        .select_related("region")
        .order_by("region_id", "name")
    )


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    visible = Membership.objects.visible_to(user)
    units = (
        Unit.objects.visible_to(user).filter(pk__in=visible.values("unit_id")).order_by("region_id", "name")
    )
    form = StaffFilterForm(request.GET, units=units)
    shown = visible
    if form.is_valid():
        data = form.cleaned_data
        if not data["inactive"]:
            shown = shown.filter(is_active=True)
        if data["role"]:
            shown = shown.filter(role=data["role"])
        if data["unit"]:
            shown = shown.filter(unit=data["unit"])
        people = User.objects.filter(pk__in=shown.values("user_id"))
        if data["q"]:
            people = people.filter(Q(username__icontains=data["q"]) | Q(display_name__icontains=data["q"]))
    else:
        shown = shown.filter(is_active=True)
        people = User.objects.filter(pk__in=shown.values("user_id"))
    people = people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=shown.select_related("unit").order_by("unit__region_id", "role"),
            to_attr="shown",
        )
    )
    page, qs = _paginate(request, people.order_by("username"))
    return render(
        request,
        "console/staff_list.html",
        {"form": form, "page_obj": page, "qs": qs, "can_create": has_capability(user, "orgs.manage_staff")},
    )


def _staff_page(
    request: HttpRequest, staff: User, grant_form: BaseForm | None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    rows = list(
        Membership.objects.visible_to(user)
        .filter(user=staff)
        .select_related("unit__region", "ended_by")
        # Current roles first, then paused, then the ended ones (history), latest first.
        .order_by(F("ended_at").desc(nulls_first=True), "-is_active", "unit__region_id", "role")
    )
    # (membership, whether this user may pause or revoke it here)
    memberships = [
        (
            m,
            m.ended_at is None
            and authority.may_change_membership(user, m)
            and m.role != Membership.Role.SYSTEM_ADMIN,
        )
        for m in rows
    ]
    return render(
        request,
        "console/staff_detail.html",
        {
            "staff": staff,
            "memberships": memberships,
            "grant_form": grant_form,
            "is_self": staff.pk == user.pk,
            "audit_events": recent_audit(user, person=staff) if has_capability(user, "audit.view") else None,
        },
        status=status,
    )


@staff_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.view_directory")
    staff = get_staff_for_user(user, pk)
    # Nobody grants themselves a role (docs/authority.md): no grant form on one's own page.
    may_grant = has_capability(user, "orgs.manage_staff") and staff.pk != user.pk
    form = GrantRoleForm(units=_managed_units(user)) if may_grant else None
    return _staff_page(request, staff, form)


@require_POST
@staff_required
def staff_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    staff = get_staff_for_user(user, pk)
    require_capability(user, "orgs.manage_staff")
    # Only the units the actor manages are offered or accepted; grant_role checks again in its transaction.
    form = GrantRoleForm(request.POST, units=_managed_units(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            m = actions.grant_role(staff.pk, data["unit"].pk, data["role"], actor=user, title=data["title"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已授予%(name)s在%(unit)s的“%(role)s”角色。")
                % {"name": staff, "unit": m.unit.name, "role": m.get_role_display()},
            )
            return redirect("console:staff_detail", pk=staff.pk)
    return _staff_page(request, staff, form, status=400)


@require_POST
@staff_required
def membership_revoke(request: HttpRequest, membership_id: int) -> HttpResponse:
    user = staff_user(request)
    membership = get_membership_for_user(user, membership_id)
    try:
        actions.revoke_role(membership.pk, actor=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("已撤销%(name)s在%(unit)s的“%(role)s”角色。")
            % {"name": membership.user, "unit": membership.unit.name, "role": membership.get_role_display()},
        )
    return redirect("console:staff_detail", pk=membership.user_id)


@require_POST
@staff_required
def membership_set_active(request: HttpRequest, membership_id: int) -> HttpResponse:
    user = staff_user(request)
    membership = get_membership_for_user(user, membership_id)
    active = request.POST.get("active") == "1"
    try:
        actions.set_membership_active(membership.pk, actor=user, active=active)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if active:
            messages.success(request, _("已恢复该任职。"))
        else:
            messages.success(request, _("已停用该任职，对应角色暂不能使用。"))
    return redirect("console:staff_detail", pk=membership.user_id)


@sensitive_post_parameters("password")
@never_cache
@staff_required
def staff_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "orgs.manage_staff")
    units = _managed_units(user)
    initial = {}
    if (wanted := request.GET.get("unit", "")).isdigit():
        initial["unit"] = int(wanted)
    form = StaffCreateForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = actions.create_staff(
                data["unit"].pk,
                actor=user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                password=data["password"],
                role=data["role"],
                title=data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the initial password is shown this once and is kept nowhere else.
            return render(
                request,
                "console/staff_created.html",
                {
                    "staff": staff,
                    "password": data["password"],
                    "unit": data["unit"],
                    "role": Membership.Role(data["role"]).label,
                },
            )
    return render(request, "console/staff_create.html", {"form": form}, status=400 if form.errors else 200)
