"""Legal aid's console pages: hardship standards, the roster, the cases (the firm's own list: only what was
assigned to it), decision and assignment notices, objections and subsidies. Every list goes through access.py;
every write through actions.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.lib import xlsx
from fawang.matters import pdf
from fawang.matters.access import get_matter_for_user
from fawang.orgs.authority import has_capability, reaches, regions_filter, units_filter
from fawang.orgs.models import Unit
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import access, actions, documents, standards, stats
from .actions import StandardData
from .forms import (
    AdvanceForm,
    AssignForm,
    CheckForm,
    CloseForm,
    DutyLogForm,
    LogForm,
    NotificationForm,
    ObjectionDecideForm,
    ObjectionForm,
    QualityForm,
    ReferenceForm,
    RosterForm,
    ShiftForm,
    StandardForm,
    StationForm,
)
from .models import Assignment, DutyLog, HardshipStandard, ReferenceFigure, Subsidy


def _errors(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _reached_region(user: Any, code: str) -> Region:
    region = Region.objects.filter(regions_filter(user, "code"), code=code.strip()).first()
    if region is None:
        raise Http404
    return region


def _near(user: Any) -> Q:
    """Standards of the regions the user reaches and of every region above them (what applies to them)."""
    roots = [
        r for r in (Region.objects.filter(regions_filter(user, "code")).values_list("code", flat=True)[:200])
    ]
    above = {c for code in roots for c in standards.chain(code)}
    return regions_filter(user, "region_id") | Q(region_id__in=above)


@never_cache
@require_GET
@staff_required
def standard_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    near = _near(user)
    return render(
        request,
        "legalaid/standards.html",
        {
            "standards": HardshipStandard.objects.filter(near).select_related("region")[:200],
            "references": ReferenceFigure.objects.filter(near).select_related("region")[:200],
            "form": StandardForm(),
            "reference_form": ReferenceForm(auto_id="ref_%s"),
            "may_set": has_capability(user, actions.STANDARDS) and actions.may_set_standards_anywhere(user),
        },
    )


@require_POST
@staff_required
def standard_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    region = _reached_region(user, request.POST.get("region", ""))
    if not actions.may_set_standards(user, region.code):
        raise PermissionDenied(_("您的岗位无权调整该区划的经济困难标准。"))
    form = StandardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("经济困难标准未保存：%(e)s") % {"e": form.errors.as_text()})
        return redirect("legalaid:standards")
    d = form.cleaned_data
    try:
        actions.do_set_standard(
            StandardData(
                region=region,
                basis=d["basis"],
                effective_from=d["effective_from"],
                document=d["document"],
                amount=d["amount"],
                reference_kind=d["reference_kind"],
                multiple=d["multiple"],
            ),
            actor=user,
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已录入%(r)s的经济困难标准。") % {"r": region.name})
    return redirect("legalaid:standards")


@require_POST
@staff_required
def reference_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    region = _reached_region(user, request.POST.get("region", ""))
    if not actions.may_set_standards(user, region.code):
        raise PermissionDenied(_("您的岗位无权调整该区划的参照标准。"))
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("参照标准未保存：%(e)s") % {"e": form.errors.as_text()})
        return redirect("legalaid:standards")
    d = form.cleaned_data
    try:
        actions.do_set_reference(
            actor=user,
            region=region,
            kind=d["kind"],
            amount=d["amount"],
            effective_from=d["effective_from"],
            document=d["document"],
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已录入%(r)s的参照标准。") % {"r": region.name})
    return redirect("legalaid:standards")


# --------------------------------------------------------------------------------------------------- roster


@never_cache
@require_GET
@staff_required
def roster(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = access.roster_for(user).select_related("centre", "practitioner", "practitioner__unit")
    # The centres whose roster the user keeps: reached (one query), and their role may decide there.
    centres = _centres(user)
    loads = {
        r["lawyer_id"]: r["n"]
        for r in Assignment.objects.filter(lawyer__in=rows, status__in=["assigned", "accepted", "returned"])
        .values("lawyer_id")
        .annotate(n=Count("pk"))
    }
    return render(
        request,
        "legalaid/roster.html",
        {
            "rows": [(r, loads.get(r.pk, 0)) for r in rows[:300]],
            "centres": [(c, RosterForm(auto_id=f"centre{c.pk}_%s")) for c in centres],
        },
    )


@require_POST
@staff_required
def roster_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    centre = Unit.objects.filter(pk=pk).first()
    if centre is None or not reaches(user, centre):
        raise Http404
    if not has_capability(user, actions.DECIDE, centre):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = RosterForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("legalaid:roster")
    try:
        row = actions.do_add_to_roster(actor=user, centre=centre, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("%(name)s已列入法律援助人员名册。") % {"name": row.practitioner.name})
    return redirect("legalaid:roster")


# ------------------------------------------------------------------------------------- assignment (指派)


def _matter_post(request: HttpRequest, pk: int, form_class: Any, prefix: str, run: Any) -> HttpResponse:
    """指派 or 先行提供 from the legal-aid panel of the matter page (the matter fetched as that page does)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = form_class(request.POST, matter=matter, user=user, prefix=prefix)
    try:
        if not has_capability(user, actions.DECIDE, matter.unit):
            raise PermissionDenied(_("您的岗位无权执行此操作。"))
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        message = run(user, matter, form.cleaned_data)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, message)
    return redirect("matters:detail", pk=matter.pk)


@require_POST
@staff_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, matter: Any, d: dict[str, Any]) -> str:
        a = actions.do_assign(
            matter.pk,
            actor=user,
            lawyer=d["lawyer"],
            case_type=d["case_type"],
            serious=d["serious"],
            note=d["note"],
        )
        return _("已指派%(firm)s%(name)s承办（%(why)s），指派通知书已发送承办机构。") % {
            "firm": a.firm.name,
            "name": a.lawyer.practitioner.name,
            "why": a.rotation_note,
        }

    return _matter_post(request, pk, AssignForm, "assign", run)


@require_POST
@staff_required
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    def run(user: Any, matter: Any, d: dict[str, Any]) -> str:
        a = actions.do_advance(
            matter.pk,
            actor=user,
            reason=d["reason"],
            materials_owed=d["materials_owed"],
            lawyer=d["lawyer"],
            case_type=d["case_type"],
        )
        return _("已先行指派%(name)s提供法律援助，审查后补作决定。") % {"name": a.lawyer.practitioner.name}

    return _matter_post(request, pk, AdvanceForm, "advance", run)


# ---------------------------------------------------------------------------------------------------- cases


@never_cache
@require_GET
@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = access.assignments_for(user).select_related(
        "matter", "matter__person", "lawyer__practitioner", "firm"
    )
    status = request.GET.get("status", "")
    if status in Assignment.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "legalaid/cases.html",
        {"rows": rows[:200], "statuses": Assignment.Status.choices, "status": status},
    )


def _case(request: HttpRequest, pk: int) -> Assignment:
    return access.get_or_404(
        access.assignments_for(staff_user(request)).select_related(
            "matter", "matter__unit", "matter__person", "matter__service_item", "lawyer__practitioner", "firm"
        ),
        pk,
    )


@never_cache
@require_GET
@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    a = _case(request, pk)
    return render(
        request,
        "legalaid/case.html",
        {
            "a": a,
            "logs": list(a.logs.all()),
            "may_work": actions.may_work(user, a),
            "may_check": has_capability(user, actions.DECIDE, a.matter.unit),
            # Distinct ids: the forms share field names (note) on one page.
            "log_form": LogForm(auto_id="log_%s"),
            "quality": list(a.quality_records.all()),
            "quality_mean": actions.quality_mean(a),
            "quality_form": QualityForm(auto_id="quality_%s"),
            "close_form": CloseForm(auto_id="close_%s"),
            "check_form": CheckForm(auto_id="check_%s"),
        },
    )


def _case_post(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    a = _case(request, pk)
    try:
        run(a)
    except ValidationError as e:
        messages.error(request, _errors(e))
        return redirect("legalaid:case", pk=a.pk)
    messages.success(request, done)
    return redirect("legalaid:case", pk=a.pk)


@require_POST
@staff_required
def case_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    return _case_post(request, pk, lambda a: actions.do_accept_case(a.pk, actor=user), _("已接受指派。"))


@require_POST
@staff_required
def case_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    form = LogForm(request.POST)

    def run(a: Assignment) -> None:
        if not actions.may_work(user, a):
            raise PermissionDenied(_("只有承办机构可以办理该案件。"))
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_log(a.pk, actor=user, **form.cleaned_data)

    return _case_post(request, pk, run, _("已记录。"))


@require_POST
@staff_required
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    form = CloseForm(request.POST, request.FILES)

    def run(a: Assignment) -> None:
        if not actions.may_work(user, a):
            raise PermissionDenied(_("只有承办机构可以办理该案件。"))
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        d = form.cleaned_data
        actions.do_close_case(
            a.pk, actor=user, outcome=d["outcome"], note=d["note"], case_file=d["case_file"]
        )

    return _case_post(request, pk, run, _("已提交结案，等待法律援助中心审查。"))


@require_POST
@staff_required
def case_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    form = CheckForm(request.POST)

    def run(a: Assignment) -> None:
        actions.require_capability(user, actions.DECIDE, a.matter.unit)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        d = form.cleaned_data
        actions.do_check_case(a.pk, actor=user, passed=d["passed"], note=d["note"], score=d["score"])

    return _case_post(request, pk, run, _("已审查。"))


@require_POST
@staff_required
def case_quality(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    form = QualityForm(request.POST)

    def run(assignment: Assignment) -> None:
        actions.require_capability(user, actions.DECIDE, assignment.matter.unit)
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_add_quality(assignment.pk, actor=user, **form.cleaned_data)

    return _case_post(request, pk, run, _("已记录质量监督情况。"))


@require_GET
@staff_required
def case_notice(request: HttpRequest, pk: int) -> HttpResponse:
    a = _case(request, pk)
    return pdf.pdf_response(documents.assignment_pdf(a, request), f"assignment-{a.pk}.pdf")


@require_GET
@staff_required
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    a = _case(request, pk)
    if not a.case_file:
        raise Http404
    response = HttpResponse(a.case_file.open("rb").read(), content_type="application/octet-stream")
    extension = (a.case_file.name or "").rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="case-{a.pk}.{extension}"'
    response["Cache-Control"] = "no-store, private"
    return response


# ------------------------------------------------------------------------------------------- decisions


@require_GET
@staff_required
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    d = access.get_or_404(access.decisions_for(staff_user(request)).select_related("matter"), pk)
    return pdf.pdf_response(documents.decision_pdf(d, request), f"decision-{d.pk}.pdf")


@require_POST
@staff_required
def objection_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    d = access.get_or_404(access.decisions_for(user).select_related("matter"), pk)
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_file_objection(d.pk, actor=user, reasons=form.cleaned_data["reasons"])
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已登记异议，转司法行政部门审查。"))
    return redirect("matters:detail", pk=d.matter_id)


@never_cache
@require_GET
@staff_required
def objection_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = access.objections_for(user).select_related("decision", "decision__matter", "unit")[:200]
    forms = [(o, ObjectionDecideForm(auto_id=f"objection{o.pk}_%s")) for o in rows]
    return render(request, "legalaid/objections.html", {"rows": forms})


@require_POST
@staff_required
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    row = access.get_or_404(access.objections_for(user), pk)
    form = ObjectionDecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_decide_objection(
            row.pk,
            actor=user,
            correct=form.cleaned_data["outcome"] == "correct",
            note=form.cleaned_data["note"],
        )
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已作出异议审查决定。"))
    return redirect("legalaid:objections")


# ------------------------------------------------------------------------------------------------- subsidies


@never_cache
@require_GET
@staff_required
def subsidy_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = access.subsidies_for(user).select_related(
        "assignment", "assignment__lawyer__practitioner", "assignment__firm", "rate"
    )
    return render(request, "legalaid/subsidies.html", {"rows": rows[:300]})


@require_POST
@staff_required
def subsidy_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    row = access.get_or_404(access.subsidies_for(user), pk)
    try:
        actions.do_approve_subsidy(row.pk, actor=user)
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, _("已审批。"))
    return redirect("legalaid:subsidies")


@require_GET
@staff_required
def payment_list(request: HttpRequest) -> HttpResponse:
    """发放清单: the approved subsidies the user sees, as an Excel workbook."""
    user = staff_user(request)
    rows = (
        access.subsidies_for(user)
        .filter(status=Subsidy.Status.APPROVED)
        .select_related("assignment", "assignment__lawyer__practitioner", "assignment__firm")
        .order_by("assignment__firm__name", "pk")
    )
    head = [
        _("指派通知书编号"),
        _("承办人"),
        _("执业证号"),
        _("所在机构"),
        _("案件类别"),
        _("结案日期"),
        _("补贴金额（元）"),
    ]
    lines = [
        [
            s.assignment.number,
            s.assignment.lawyer.practitioner.name,
            s.assignment.lawyer.practitioner.licence_no,
            s.assignment.firm.name,
            s.assignment.get_case_type_display(),
            s.assignment.closed_at.date().isoformat() if s.assignment.closed_at else "",
            float(s.amount),
        ]
        for s in rows[:5000]
    ]
    response = xlsx.download(
        xlsx.workbook([xlsx.Sheet(_("发放清单"), [head, *lines])]), "legal-aid-subsidies.xlsx"
    )
    response["Cache-Control"] = "no-store, private"
    return response


# ------------------------------------------------------------------------------------------------ statistics


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start, end = today.replace(day=1), today
    try:
        if request.GET.get("start"):
            start = dt.date.fromisoformat(request.GET["start"])
        if request.GET.get("end"):
            end = dt.date.fromisoformat(request.GET["end"])
    except ValueError:
        messages.error(request, _("日期格式不正确，已按本月统计。"))
        start, end = today.replace(day=1), today
    if end < start:
        start, end = end, start
    return start, end


def _stats_region(request: HttpRequest) -> Region | None:
    """The region asked for (``region``: a code), when the user reaches it; else everything the user sees."""
    code = request.GET.get("region", "").strip()
    if not code:
        return None
    region = Region.objects.filter(regions_filter(staff_user(request), "code"), code=code).first()
    if region is None:
        messages.error(request, _("没有该区划或不在您的辖区内，已按可见范围统计。"))
    return region


@never_cache
@require_GET
@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    s = stats.compute(staff_user(request), start, end, _stats_region(request))
    return render(request, "legalaid/stats.html", {"s": s, "rows": stats.rows(s)})


@require_GET
@staff_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    s = stats.compute(staff_user(request), start, end, _stats_region(request))
    data = xlsx.workbook(
        [
            xlsx.Sheet(_("法律援助统计"), [[_("项目"), _("数值")], *stats.rows(s)]),
            xlsx.Sheet(_("案件类别"), [[_("案件类别"), _("件数")], *s.by_type]),
            xlsx.Sheet(_("承办人"), [[_("承办人"), _("所在机构"), _("件数")], *s.by_lawyer]),
            xlsx.Sheet(_("不予理由"), [[_("理由"), _("件数")], *s.refusal_reasons]),
        ]
    )
    response = xlsx.download(data, f"legal-aid-{start}-{end}.xlsx")
    response["Cache-Control"] = "no-store, private"
    return response


# ------------------------------------------------------------------------------- notified defence (通知辩护)


def _centres(user: Any) -> list[Unit]:
    """The legal-aid centres the user reaches and may act for (one query for the reach, then the role)."""
    reached = Unit.objects.filter(units_filter(user), kind=Unit.Kind.LEGAL_AID).order_by("pk")[:20]
    return [unit for unit in reached if has_capability(user, actions.DECIDE, unit)]


def _centre(request: HttpRequest, pk: int) -> Unit:
    user = staff_user(request)
    centre = Unit.objects.filter(pk=pk).first()
    if centre is None or not reaches(user, centre):
        raise Http404
    if not has_capability(user, actions.DECIDE, centre):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    return centre


@never_cache
@require_GET
@staff_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = access.notifications_for(user).select_related("matter", "matter__person", "centre")[:200]
    assigned = {
        assignment.matter_id: assignment
        for assignment in Assignment.objects.filter(matter__in=[row.matter_id for row in rows])
        .exclude(status=Assignment.Status.TERMINATED)
        .select_related("lawyer__practitioner", "firm")
    }
    return render(
        request,
        "legalaid/notifications.html",
        {
            "rows": [(row, assigned.get(row.matter_id)) for row in rows],
            "now": timezone.now(),
            "centres": [(unit, NotificationForm(auto_id=f"notify{unit.pk}_%s")) for unit in _centres(user)],
        },
    )


@require_POST
@staff_required
def notification_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    centre = _centre(request, pk)
    form = NotificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("通知未登记：%(e)s") % {"e": form.errors.as_text()})
        return redirect("legalaid:notifications")
    try:
        row, created = actions.do_receive_notification(
            actions.NotificationData(**form.cleaned_data), centre=centre, actor=user
        )
    except ValidationError as e:
        messages.error(request, _("通知未登记：%(e)s") % {"e": _errors(e)})
        return redirect("legalaid:notifications")
    if created:
        messages.success(request, _("已登记通知，请于三日内指派律师（法律援助法 第三十六条）。"))
    else:
        messages.info(request, _("该通知已登记过。"))
    return redirect("matters:detail", pk=row.matter_id)


@require_GET
@staff_required
def notification_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the notifying organ (第三十六条: 指派律师并通知人民法院、人民检察院、公安机关)."""
    notified = access.get_or_404(access.notifications_for(staff_user(request)).select_related("matter"), pk)
    assignment = (
        Assignment.objects.filter(matter_id=notified.matter_id)
        .exclude(status=Assignment.Status.TERMINATED)
        .select_related("lawyer__practitioner", "firm")
        .order_by("-assigned_at")
        .first()
    )
    if assignment is None:
        raise Http404
    return pdf.pdf_response(
        documents.notification_letter_pdf(notified, assignment, request), f"notification-{notified.pk}.pdf"
    )


# ------------------------------------------------------------------------------------ duty lawyers (值班律师)


@never_cache
@require_GET
@staff_required
def duty(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    stations = list(access.stations_for(user).select_related("centre")[:100])
    since = timezone.localdate() - dt.timedelta(days=30)
    shifts = list(
        access.shifts_for(user)
        .filter(on__gte=since)
        .select_related("station", "lawyer__practitioner", "lawyer__practitioner__unit")
        .order_by("on", "station__name")[:300]
    )
    logs = list(
        DutyLog.objects.filter(shift__in=access.shifts_for(user))
        .select_related("shift__station", "shift__lawyer__practitioner")
        .order_by("-created_at")[:100]
    )
    today = timezone.localdate()
    return render(
        request,
        "legalaid/duty.html",
        {
            "stations": [(station, ShiftForm(auto_id=f"shift{station.pk}_%s")) for station in stations],
            "shifts": [
                (shift, DutyLogForm(auto_id=f"duty{shift.pk}_%s") if shift.on <= today else None)
                for shift in shifts
            ],
            "logs": logs,
            "centres": [(unit, StationForm(auto_id=f"station{unit.pk}_%s")) for unit in _centres(user)],
        },
    )


def _duty_post(request: HttpRequest, run: Any, done: str) -> HttpResponse:
    try:
        run()
    except ValidationError as e:
        messages.error(request, _errors(e))
    else:
        messages.success(request, done)
    return redirect("legalaid:duty")


@require_POST
@staff_required
def station_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    centre = _centre(request, pk)
    form = StationForm(request.POST)

    def run() -> None:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_add_station(actor=user, centre=centre, **form.cleaned_data)

    return _duty_post(request, run, _("已设立工作站。"))


@require_POST
@staff_required
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    station = access.get_or_404(access.stations_for(user).select_related("centre"), pk)
    if not has_capability(user, actions.DECIDE, station.centre):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = ShiftForm(request.POST)

    def run() -> None:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_add_shift(actor=user, station=station, **form.cleaned_data)

    return _duty_post(request, run, _("已排班。"))


@require_POST
@staff_required
def duty_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    shift = access.get_or_404(access.shifts_for(user).select_related("station__centre"), pk)
    if not has_capability(user, actions.DECIDE, shift.station.centre):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    form = DutyLogForm(request.POST)

    def run() -> None:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        actions.do_log_duty(shift.pk, actor=user, **form.cleaned_data)

    return _duty_post(request, run, _("已记入值班律师工作台账。"))


# ------------------------------------------------------------------------------------- the person's own notice


@require_GET
def my_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), login_url="/me/login/")
    d = access.own_decision(request.user, pk)
    return pdf.pdf_response(documents.decision_pdf(d, request), f"decision-{d.pk}.pdf")
