"""Console pages of the village legal advisors' work (/console/advisors/, namespace ``advisors``): the advisor's
own page (schedule, the one-minute work log), an appointment's page (schedule, committee contact, logs, missed
days), the month's figures with the subsidy and its export, missed days, subsidy rules and the talent pool.

Rows come only through access.py and the scoped querysets; every write is one action call whose Chinese messages
are shown on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.lib import codes, xlsx
from fawang.lib.errors import put_errors as _put_errors
from fawang.orgs.access import get_practitioner_for_user, get_region_for_user
from fawang.orgs.authority import has_capability_in_region, region_roots
from fawang.orgs.models import AdvisorAssignment, Practitioner
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import actions, board, figures, talent
from .access import (
    get_assignment_for_user,
    get_log_for_user,
    get_service_day_for_user,
    own_assignments,
)
from .forms import (
    BoardProfileForm,
    ContactForm,
    MonthForm,
    RecommendForm,
    ServiceDayForm,
    SubsidyRuleForm,
    TalentForm,
    WorkLogForm,
)
from .models import (
    CommitteeContact,
    MissedDay,
    PetitionDuty,
    ServiceDay,
    SubsidyRule,
    TalentProfile,
    WorkLog,
    years_of_practice,
)

MANAGE = actions.MANAGE


# --- the advisor ------------------------------------------------------------------------------------------


def _my_page(
    request: HttpRequest, forms: dict[int, WorkLogForm] | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    assignments = own_assignments(user)
    days: dict[int, list[ServiceDay]] = {}
    for d in ServiceDay.objects.filter(assignment__in=assignments).order_by("kind", "weekday", "date"):
        days.setdefault(d.assignment_id, []).append(d)
    cards = []
    for a in assignments:
        mine = days.get(a.pk, [])
        upcoming = sorted(actions.expected_days(a, mine, today, today + dt.timedelta(days=14)).items())
        kind = dict(upcoming).get(today, mine[0].kind if mine else "fixed")
        form = (forms or {}).get(a.pk) or WorkLogForm(
            initial={"date": today, "kind": kind, "hours": "2.0"}, prefix=f"a{a.pk}"
        )
        cards.append(
            {
                "assignment": a,
                "days": mine,
                "upcoming": upcoming[:6],
                "form": form,
                "logs": list(WorkLog.objects.filter(assignment=a).order_by("-date")[:8]),
                "missed": list(MissedDay.objects.filter(assignment=a).order_by("-date")[:5]),
                "contact": CommitteeContact.objects.filter(region_id=a.region_id).first(),
            }
        )
    # 律师参与信访接待: the signed-in lawyer's own turns on duty, recent and coming, each with its log.
    duties = list(
        PetitionDuty.objects.filter(practitioner__user_id=user.pk, date__gte=today - dt.timedelta(days=30))
        .select_related("post", "log")
        .order_by("date", "start_time")[:20]
    )
    return render(
        request, "advisors/my_work.html", {"cards": cards, "today": today, "duties": duties}, status=status
    )


@staff_required
def my_work(request: HttpRequest) -> HttpResponse:
    require_capability(staff_user(request), "advisors.log_work")
    return _my_page(request)


@require_POST
@staff_required
def log_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_assignment_for_user(user, pk)
    if assignment.practitioner.user_id != user.pk:
        raise PermissionDenied(_("只有该村（社区）的法律顾问本人可以填报工作日志。"))
    form = WorkLogForm(request.POST, prefix=f"a{assignment.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            log = actions.log_work(
                assignment.pk,
                actions.WorkLogData(
                    date=d["date"],
                    kind=d["kind"],
                    hours=d["hours"],
                    consultations=d["consultations"],
                    disputes_mediated=d["disputes_mediated"],
                    documents_reviewed=d["documents_reviewed"],
                    talks=d["talks"],
                    audience=d["audience"],
                    summary=d["summary"],
                    tracking_nos=d["tracking_nos"],
                ),
                actor=user,
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            if log.codes.exists():
                messages.success(request, _("已提交。确认码已发送给村委会联系人，请提醒其确认。"))
            else:
                messages.warning(
                    request, _("已提交。该村尚未登记村委会确认联系人，请联系司法所登记后重发确认码。")
                )
            return redirect("advisors:log", pk=log.pk)
    return _my_page(request, {assignment.pk: form}, status=400)


@staff_required
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    log = get_log_for_user(user, pk)
    return render(
        request,
        "advisors/log.html",
        {
            "log": log,
            "matters": list(log.matters.all()),
            "mine": log.assignment.practitioner.user_id == user.pk,
            "code_sent": log.codes.exists(),
        },
    )


@require_POST
@staff_required
def log_resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    log = get_log_for_user(user, pk)
    if log.assignment.practitioner.user_id != user.pk:
        raise PermissionDenied(_("只有填报人可以重发确认码。"))
    try:
        actions.resend_code(log.pk, actor=user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("advisors:log", pk=log.pk)
    messages.success(request, _("确认码已重新发送给村委会联系人。"))
    return redirect("advisors:log", pk=log.pk)


def _require_manage(user: Any, assignment: AdvisorAssignment) -> None:
    """The role is checked before the body is read: a persona without it gets 403 whatever it posts."""
    if assignment.room is None or not has_capability(user, MANAGE, assignment.room):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))


# --- an appointment ---------------------------------------------------------------------------------------


def _assignment_page(
    request: HttpRequest, assignment: AdvisorAssignment, status: int = 200, **forms: Any
) -> HttpResponse:
    user = staff_user(request)
    can_manage = assignment.room is not None and has_capability(user, MANAGE, assignment.room)
    contact = CommitteeContact.objects.filter(region_id=assignment.region_id).first()
    profile = board.profile_of(assignment)
    context = {
        "a": assignment,
        "profile": profile,
        "can_edit_board": actions.may_edit_board(user, assignment),
        "board_form": forms.get("board_form")
        or BoardProfileForm(
            initial={
                "photo_consent": profile is not None and profile.photo_consent_at is not None,
                "phone_consent": profile is not None and profile.phone_consent_at is not None,
            }
        ),
        "days": list(assignment.service_days.all()),
        "logs": list(WorkLog.objects.filter(assignment=assignment).order_by("-date")[:30]),
        "missed": list(MissedDay.objects.filter(assignment=assignment).order_by("-date")[:30]),
        "contact": contact,
        "can_manage": can_manage,
        "day_form": forms.get("day_form")
        or ServiceDayForm(initial={"kind": "fixed", "start_time": "09:00", "end_time": "11:30"}),
        "contact_form": forms.get("contact_form")
        or ContactForm(
            initial={"name": contact.name, "title": contact.title, "phone": contact.phone}
            if contact
            else None
        ),
    }
    return render(request, "advisors/assignment.html", context, status=status)


@staff_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assignment_page(request, get_assignment_for_user(staff_user(request), pk))


@require_POST
@staff_required
def service_day_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_assignment_for_user(user, pk)
    _require_manage(user, assignment)
    form = ServiceDayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_service_day(
                assignment.pk,
                actions.ServiceDayData(
                    kind=d["kind"],
                    start_time=d["start_time"],
                    end_time=d["end_time"],
                    weekday=d["weekday"],
                    date=d["date"],
                    place=d["place"],
                ),
                actor=user,
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已加入服务安排。"))
            return redirect("advisors:assignment", pk=assignment.pk)
    return _assignment_page(request, assignment, status=400, day_form=form)


@require_POST
@staff_required
def service_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    day = get_service_day_for_user(user, pk)
    _require_manage(user, day.assignment)
    actions.remove_service_day(day.pk, actor=user)
    messages.success(request, _("已删除该服务安排。"))
    return redirect("advisors:assignment", pk=day.assignment_id)


@require_POST
@staff_required
def contact_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_assignment_for_user(user, pk)
    _require_manage(user, assignment)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.set_committee_contact(assignment.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已登记村委会确认联系人。"))
            return redirect("advisors:assignment", pk=assignment.pk)
    return _assignment_page(request, assignment, status=400, contact_form=form)


@require_POST
@staff_required
def board_set(request: HttpRequest, pk: int) -> HttpResponse:
    """公示信息: the photo and the consents, by the advisor or the bureau (actions.set_board_profile)."""
    user = staff_user(request)
    assignment = get_assignment_for_user(user, pk)
    if not actions.may_edit_board(user, assignment):
        raise PermissionDenied(_("只有法律顾问本人或司法局管理人员可以设置公示信息。"))
    form = BoardProfileForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.set_board_profile(
                assignment.pk,
                actor=user,
                photo_consent=d["photo_consent"],
                phone_consent=d["phone_consent"],
                photo=d["photo"] or None,
                remove_photo=d["remove_photo"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已保存公示信息。"))
            return redirect("advisors:assignment", pk=assignment.pk)
    return _assignment_page(request, assignment, status=400, board_form=form)


# --- supervision ------------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> tuple[int, int, str]:
    form = MonthForm(request.GET)
    year, month = form.year_month()
    region = form.cleaned_data.get("region", "") if form.is_valid() else ""
    return year, month, region if region.isdigit() else ""


@staff_required
def monthly(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    year, month, region = _month(request)
    rows = figures.monthly(user, year, month, region=region)
    total = sum((r.subsidy for r in rows), figures.ZERO)
    return render(
        request,
        "advisors/monthly.html",
        {
            "rows": rows,
            "year": year,
            "month": month,
            "region": region,
            "total": total,
            "month_value": f"{year}-{month:02d}",
        },
    )


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    year, month, region = _month(request)
    data = figures.export_xlsx(figures.monthly(user, year, month, region=region), year, month)
    return xlsx.download(data, f"advisor-subsidy-{year}-{month:02d}.xlsx")


@staff_required
def missed(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    rows = list(
        MissedDay.objects.visible_to(user)
        .select_related("assignment__practitioner", "assignment__region__parent")
        .order_by("-date", "pk")[:300]
    )
    return render(request, "advisors/missed.html", {"rows": rows})


def _county_choices(user: Any) -> list[Region]:
    roots = region_roots(user)
    qs = Region.objects.filter(level=Region.Level.COUNTY)
    if roots is not None:
        qs = qs.filter(codes.under_any("code", roots))
    return list(qs.order_by("code")[:200])


@staff_required
def coverage(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    counties = _county_choices(user)
    code = request.GET.get("county", "")
    county = next((c for c in counties if c.code == code), counties[0] if counties else None)
    towns = figures.advisor_coverage(county.code) if county else []
    ratios = figures.staff_per_10k(county.parent_id or county.code) if county else []
    return render(
        request,
        "advisors/coverage.html",
        {
            "counties": counties,
            "county": county,
            "towns": towns,
            "ratios": ratios,
            "target": figures.STAFF_TARGET,
        },
    )


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    return _rules_page(request, SubsidyRuleForm(initial={"title": "法律服务工作补助办法"}))


def _rules_page(request: HttpRequest, form: SubsidyRuleForm, status: int = 200) -> HttpResponse:
    user = staff_user(request)
    roots = region_roots(user)
    qs = SubsidyRule.objects.select_related("region")
    if roots is not None:
        # A rule of the city applies in its districts: show the rules of one's regions and of those above them.
        prefixes = {r[:n] for r in roots for n in (2, 4, 6) if len(r) >= n}
        qs = qs.filter(codes.under_any("region_id", roots) | Q(region_id__in=prefixes))
    return render(request, "advisors/rules.html", {"rules": list(qs[:100]), "form": form}, status=status)


@require_POST
@staff_required
def rule_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    form = SubsidyRuleForm(request.POST)
    if form.is_valid():
        try:
            actions.add_subsidy_rule(actions.SubsidyRuleData(**form.cleaned_data), actor=user)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已录入补助办法。"))
            return redirect("advisors:rules")
    return _rules_page(request, form, status=400)


# --- the talent pool --------------------------------------------------------------------------------------


@staff_required
def talent_pool(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, MANAGE)
    counties = _county_choices(user)
    code = request.GET.get("county", "")
    county = next((c for c in counties if c.code == code), counties[0] if counties else None)
    people = []
    vacant: list[Region] = []
    reserves: dict[str, list[TalentProfile]] = {}
    towns: list[Region] = []
    if county is not None:
        people = list(
            Practitioner.objects.visible_to(user)
            .filter(kind__in=talent.ADVISOR_KINDS, licence_status=Practitioner.LicenceStatus.PRACTISING)
            .filter(codes.under("unit__region_id", county.code))
            .select_related("unit", "talent")
            .prefetch_related("specialities")
            .order_by("unit__name", "name")[:300]
        )
        vacant = talent.vacancies(county.code)
        reserves = talent.reserve_lists(county.code)
        towns = list(Region.objects.filter(parent=county, level=Region.Level.TOWN).order_by("code"))
    today = timezone.localdate()
    rows = [
        {"p": p, "years": years_of_practice(p, today), "profile": getattr(p, "talent", None)} for p in people
    ]
    return render(
        request,
        "advisors/talent.html",
        {
            "counties": counties,
            "county": county,
            "rows": rows,
            "vacant": vacant,
            "reserve_rows": [(t, reserves.get(t.code, [])) for t in towns],
        },
    )


def _talent_page(request: HttpRequest, p: Practitioner, form: TalentForm, status: int = 200) -> HttpResponse:
    return render(request, "advisors/talent_edit.html", {"p": p, "form": form}, status=status)


@staff_required
def talent_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    p = get_practitioner_for_user(user, pk)
    if p.unit is None:
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    require_capability(user, MANAGE, p.unit)
    county = p.unit.region_id[:6]
    profile = TalentProfile.objects.filter(practitioner=p).first()
    if request.method == "POST":
        form = TalentForm(request.POST, county=county)
        if form.is_valid():
            try:
                actions.save_talent_profile(p.pk, actions.TalentData(**form.cleaned_data), actor=user)
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("已更新人才信息。"))
                return redirect("advisors:talent_edit", pk=p.pk)
        return _talent_page(request, p, form, status=400)
    initial = (
        {
            "languages": profile.languages,
            "available": profile.available,
            "max_villages": profile.max_villages,
            "reserve_towns": list(profile.reserve_towns.all()),
            "note": profile.note,
        }
        if profile
        else {"available": True, "max_villages": 3}
    )
    return _talent_page(request, p, TalentForm(initial=initial, county=county))


@staff_required
def recommend(request: HttpRequest, code: str) -> HttpResponse:
    """The ranked candidates for a village's advisor post (vacant, or about to be)."""
    user = staff_user(request)
    village = get_region_for_user(user, code)
    if village.level != Region.Level.VILLAGE:
        raise Http404
    if not has_capability_in_region(user, MANAGE, village.code):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = RecommendForm(request.GET or None)
    specs = list(form.cleaned_data["speciality"]) if form.is_valid() else []
    langs = (
        [form.cleaned_data["language"].strip()] if form.is_valid() and form.cleaned_data["language"] else []
    )
    ranked, excluded = talent.recommend(village, specialities=specs, languages=langs)
    current = (
        AdvisorAssignment.objects.current().filter(region=village).select_related("practitioner").first()
    )
    return render(
        request,
        "advisors/recommend.html",
        {"village": village, "form": form, "ranked": ranked, "excluded": excluded, "current": current},
    )
