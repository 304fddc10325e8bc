"""Console pages of the appraisal line, mounted at /console/appraisal/ (namespace ``appraisal``), and the public
list of institutions by category at /appraisal/ (namespace ``appraisal_public``). Every URL is declared in
fawang/appraisal/tests/matrix.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fawang.lib.errors import put_errors
from fawang.matters.access import get_matter_for_user
from fawang.orgs.access import get_unit_for_user
from fawang.orgs.authority import has_matter_capability
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import actions
from .forms import CategoriesForm, EntrustForm
from .models import CLASSES, Category
from .routing import licensed_institutions


def _categories(unit: Unit) -> list[str]:
    return list(unit.appraisal_categories.values_list("category", flat=True))


@staff_required
@require_GET
def institutions(request: HttpRequest) -> HttpResponse:
    """The appraisal institutions the user reaches, with their licensed categories."""
    user = staff_user(request)
    rows = (
        Unit.objects.visible_to(user)
        .filter(kind=Unit.Kind.APPRAISAL)
        .select_related("region")
        .prefetch_related("appraisal_categories")
        .order_by("region_id", "name")
    )
    return render(request, "appraisal/institutions.html", {"rows": rows})


def _institution_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One institution's licensed categories (业务范围) and each appraiser's (执业类别), recorded by the 司法局."""
    user = staff_user(request)
    unit = get_unit_for_user(user, pk)
    if unit.kind != Unit.Kind.APPRAISAL:
        raise Http404
    appraisers = list(
        Practitioner.objects.filter(unit=unit, kind=Practitioner.Kind.APPRAISER)
        .prefetch_related("appraisal_categories")
        .order_by("name", "pk")
    )
    may = actions.may_license(user, unit)
    data = request.POST if request.method == "POST" else None
    form = CategoriesForm(data, initial={"categories": _categories(unit)}, prefix="unit")
    people = [
        (
            person,
            CategoriesForm(
                data,
                initial={"categories": [c.category for c in person.appraisal_categories.all()]},
                prefix=f"p{person.pk}",
            ),
        )
        for person in appraisers
    ]
    if request.method == "POST":
        if not may:
            raise PermissionDenied(_("鉴定业务范围由主管司法行政机关登记。"))
        if form.is_valid() and all(f.is_valid() for _p, f in people):
            try:
                with transaction.atomic():
                    actions.set_institution_categories(unit.pk, form.cleaned_data["categories"], actor=user)
                    for person, person_form in people:
                        actions.set_appraiser_categories(
                            person.pk, person_form.cleaned_data["categories"], actor=user
                        )
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已保存鉴定业务范围。"))
                return redirect("appraisal:institution", unit.pk)
    context: dict[str, Any] = {"unit": unit, "form": form, "people": people, "may": may}
    return render(request, "appraisal/institution.html", context, status=400 if form.errors else 200)


@staff_required
@require_GET
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    return _institution_page(request, pk)


@staff_required
@require_POST
def institution_save(request: HttpRequest, pk: int) -> HttpResponse:
    return _institution_page(request, pk)


@staff_required
@require_POST
def entrust(request: HttpRequest, pk: int) -> HttpResponse:
    """委托 a 司法鉴定 request to a licensed institution (the panel on the matter page)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    if not has_matter_capability(user, "matters.handle", matter.unit, matter.intake_unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = EntrustForm(request.POST, city=matter.region_id[:4], prefix="entrust")
    if form.is_valid():
        try:
            done = actions.do_entrust(
                matter.pk, actor=user, unit=form.cleaned_data["unit"], category=form.cleaned_data["category"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已委托%(unit)s。") % {"unit": done.entrusted_to})
            if done.entrusted_to_id != matter.unit_id:
                # Transferred: the matter may now lie outside the user's reach.
                return redirect("matters:unit_queue")
    else:
        messages.error(request, "；".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("matters:detail", matter.pk)


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """司法鉴定机构及业务范围, for the public: which institutions of a city may take a category."""
    category = request.GET.get("category", "")
    if category and category not in Category.values:
        category = ""
    code = request.GET.get("region", "")
    region = Region.objects.filter(code=code).first() if code else None
    units = (
        Unit.objects.active()
        .filter(kind=Unit.Kind.APPRAISAL)
        .select_related("region")
        .prefetch_related("appraisal_categories")
        .order_by("region_id", "name")
    )
    if category and region is not None:
        rows: Any = licensed_institutions(category, region)
    elif category:
        rows = units.filter(appraisal_categories__category=category).distinct()
    else:
        rows = units
    rows = list(rows)
    # The institutions' public appraisers with their licensed categories (信用信息公开's public fields only).
    appraisers: dict[int, list[Practitioner]] = {}
    for person in (
        Practitioner.objects.public()
        .filter(unit__in=rows, kind=Practitioner.Kind.APPRAISER)
        .only("id", "name", "licence_no", "licence_status", "unit_id", "kind")
        .prefetch_related("appraisal_categories")
        .order_by("name", "pk")
    ):
        appraisers.setdefault(person.unit_id or 0, []).append(person)
    for unit in rows:
        unit.public_appraisers = appraisers.get(unit.pk, [])
    return render(
        request,
        "appraisal/public_list.html",
        {"rows": rows, "category": category, "categories": Category.choices, "classes": CLASSES},
    )
