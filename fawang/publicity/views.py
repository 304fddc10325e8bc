"""Console pages of legal publicity (/console/publicity/, namespace ``publicity``): the sites register with the
per-town count against "two or more per town", a site's photos and display schedule, activities ("法律六进") with
photos and the cases used, village surveys (入户率、知晓率) and the public's talk bookings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.lib.errors import put_errors as _put_errors
from fawang.orgs.authority import region_roots
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import actions, figures
from .access import get_activity_for_user, get_booking_for_user, get_site_for_user
from .forms import (
    ActivityForm,
    DecideForm,
    DisplayItemForm,
    PhotoForm,
    RecordForm,
    SiteForm,
    SurveyForm,
)
from .models import SITES_PER_TOWN, Activity, Site, TalkBooking, VillageSurvey

MANAGE = actions.MANAGE


def _units(user: Any) -> QuerySet[Unit]:
    ids = [
        u.pk
        for u in Unit.objects.visible_to(user)
        .filter(kind__in=actions.UNIT_KINDS)
        .order_by("region_id", "kind")[:300]
        if has_capability(user, MANAGE, u)
    ]
    return Unit.objects.filter(pk__in=ids).order_by("region_id", "kind", "name")


def _counties(user: Any) -> list[Region]:
    from fawang.lib import codes

    roots = region_roots(user)
    qs = Region.objects.filter(level=Region.Level.COUNTY)
    if roots is not None:
        qs = qs.filter(
            codes.under_any("code", roots) | codes.under_any("code", [r[:6] for r in roots if len(r) > 6])
        )
    return list(qs.order_by("code")[:200])


# --- sites ------------------------------------------------------------------------------------------------


@staff_required
def sites(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    counties = _counties(user)
    code = request.GET.get("county", "")
    county = next((c for c in counties if c.code == code), counties[0] if counties else None)
    towns = figures.sites_per_town(county.code) if county else []
    rows = list(
        Site.objects.visible_to(user).select_related("town", "unit").order_by("town_id", "kind", "name")[:500]
    )
    return render(
        request,
        "publicity/sites.html",
        {
            "counties": counties,
            "county": county,
            "towns": towns,
            "missing": [t for t in towns if not t.meets],
            "rows": rows,
            "per_town": SITES_PER_TOWN,
        },
    )


@staff_required
def site_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    units = _units(user)
    form = SiteForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            site = actions.register_site(
                d["unit"].pk,
                actions.SiteData(
                    kind=d["kind"],
                    name=d["name"],
                    town=d["town"],
                    address=d["address"],
                    form=d["form"],
                    village=d["village"],
                ),
                actor=user,
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已登记普法阵地。"))
            return redirect("publicity:site", pk=site.pk)
    return render(request, "publicity/site_new.html", {"form": form}, status=400 if form.errors else 200)


def _site_page(request: HttpRequest, site: Site, status: int = 200, **forms: Any) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "publicity/site.html",
        {
            "site": site,
            "photos": list(site.photos.all()),
            "items": list(site.display_items.order_by("starts_on")),
            "can_manage": has_capability(user, MANAGE, site.unit),
            "photo_form": forms.get("photo_form") or PhotoForm(),
            "item_form": forms.get("item_form") or DisplayItemForm(),
        },
        status=status,
    )


@staff_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _site_page(request, get_site_for_user(staff_user(request), pk))


def _upload_photo(
    request: HttpRequest, owner: Site | Activity, page: Callable[..., HttpResponse], url: str
) -> HttpResponse:
    """A photo for a site or an activity: back to its page (``url``), or its page again with the form's errors."""
    user = staff_user(request)
    require_capability(user, MANAGE, owner.unit)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_photo(
                actor=user,
                stream=form.cleaned_data["photo"],
                site=owner if isinstance(owner, Site) else None,
                activity=owner if isinstance(owner, Activity) else None,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error("photo", error.messages)
        else:
            messages.success(request, _("已上传照片。"))
            return redirect(url, pk=owner.pk)
    return page(request, owner, status=400, photo_form=form)


@require_POST
@staff_required
def site_photo(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_photo(request, get_site_for_user(staff_user(request), pk), _site_page, "publicity:site")


@require_POST
@staff_required
def display_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    site = get_site_for_user(user, pk)
    require_capability(user, MANAGE, site.unit)
    form = DisplayItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_display_item(site.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已加入展示安排。"))
            return redirect("publicity:site", pk=site.pk)
    return _site_page(request, site, status=400, item_form=form)


# --- activities -------------------------------------------------------------------------------------------


@staff_required
def activities(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    rows = list(Activity.objects.visible_to(user).select_related("town", "unit").order_by("-starts_at")[:300])
    return render(request, "publicity/activities.html", {"rows": rows})


@staff_required
def activity_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    form = ActivityForm(request.POST or None, units=_units(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = d.pop("unit")
        try:
            data = actions.ActivityData(
                title=d["title"],
                target=d["target"],
                town=d["town"],
                place=d["place"],
                starts_at=d["starts_at"],
                audience=d["audience"],
                organiser=d["organiser"],
                village=d["village"],
                cases=list(d["cases"]),
            )
            activity = actions.plan_activity(unit.pk, data, actor=user)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已登记普法活动。"))
            return redirect("publicity:activity", pk=activity.pk)
    return render(request, "publicity/activity_new.html", {"form": form}, status=400 if form.errors else 200)


def _activity_page(request: HttpRequest, activity: Activity, status: int = 200, **forms: Any) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "publicity/activity.html",
        {
            "a": activity,
            "photos": list(activity.photos.all()),
            "cases": list(activity.cases.all()),
            "can_manage": has_capability(user, MANAGE, activity.unit),
            "started": activity.starts_at <= timezone.now(),
            "photo_form": forms.get("photo_form") or PhotoForm(),
            "record_form": forms.get("record_form")
            or RecordForm(
                initial={
                    "reached": activity.reached or None,
                    "summary": activity.summary,
                    "cases": list(activity.cases.all()),
                }
            ),
        },
        status=status,
    )


@staff_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, get_activity_for_user(staff_user(request), pk))


@require_POST
@staff_required
def activity_photo(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(staff_user(request), pk)
    return _upload_photo(request, activity, _activity_page, "publicity:activity")


@require_POST
@staff_required
def activity_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    activity = get_activity_for_user(user, pk)
    require_capability(user, MANAGE, activity.unit)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            actions.record_activity(
                activity.pk,
                actor=user,
                reached=form.cleaned_data["reached"],
                summary=form.cleaned_data["summary"],
                cases=list(form.cleaned_data["cases"]),
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已登记开展情况。"))
            return redirect("publicity:activity", pk=activity.pk)
    return _activity_page(request, activity, status=400, record_form=form)


# --- surveys ----------------------------------------------------------------------------------------------


def _surveys_page(request: HttpRequest, form: SurveyForm, status: int = 200) -> HttpResponse:
    user = staff_user(request)
    rows = list(
        VillageSurvey.objects.visible_to(user)
        .select_related("village__parent")
        .order_by("-year", "village_id")[:500]
    )
    return render(request, "publicity/surveys.html", {"rows": rows, "form": form}, status=status)


@staff_required
def surveys(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    today = timezone.localdate()
    return _surveys_page(request, SurveyForm(initial={"year": today.year, "surveyed_on": today}))


@require_POST
@staff_required
def survey_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    form = SurveyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        village = d.pop("village")
        try:
            actions.save_survey(village.code, actor=user, **d)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("publicity:surveys")
    return _surveys_page(request, form, status=400)


# --- bookings ---------------------------------------------------------------------------------------------


@staff_required
def bookings(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    rows = list(
        TalkBooking.objects.visible_to(user)
        .select_related("town", "unit")
        .order_by("status", "-created_at")[:300]
    )
    return render(request, "publicity/bookings.html", {"rows": rows, "form": DecideForm()})


@require_POST
@staff_required
def booking_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    booking = get_booking_for_user(user, pk)
    if not has_capability(user, MANAGE, booking.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.decide_booking(
                booking.pk,
                actor=user,
                accept=d["decision"] == "accept",
                reply=d["reply"],
                starts_at=d["starts_at"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("publicity:bookings")
        messages.success(request, _("已处理预约 %(no)s。") % {"no": booking.number})
        return redirect("publicity:bookings")
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect("publicity:bookings")
