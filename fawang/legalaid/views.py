"""Legal aid's console pages: hardship standards, the roster, the cases (the firm's own list: only what was
assigned to it), decision and assignment notices, objections and subsidies. Every list goes through access.py;
every write through actions.py."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.matters import pdf
from fawang.orgs.authority import has_capability, reaches, regions_filter
from fawang.orgs.models import Unit
from fawang.orgs.web import staff_required, staff_user
from fawang.regions.models import Region

from . import access, actions, documents, standards
from .actions import StandardData
from .forms import (
    CheckForm,
    CloseForm,
    LogForm,
    ObjectionDecideForm,
    ObjectionForm,
    ReferenceForm,
    RosterForm,
    StandardForm,
)
from .models import Assignment, HardshipStandard, ReferenceFigure, Subsidy


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
            "reference_form": ReferenceForm(),
            "may_set": has_capability(user, actions.STANDARDS),
        },
    )


@require_POST
@staff_required
def standard_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    region = _reached_region(user, request.POST.get("region", ""))
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
    centres = Unit.objects.filter(kind=Unit.Kind.LEGAL_AID).filter(
        pk__in=[
            u.pk
            for u in Unit.objects.filter(kind=Unit.Kind.LEGAL_AID)
            if has_capability(user, actions.DECIDE, u)
        ]
    )
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
            "centres": centres[:20],
            "form": RosterForm(),
        },
    )


@require_POST
@staff_required
def roster_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    centre = Unit.objects.filter(pk=pk).first()
    if centre is None or not reaches(user, centre):
        raise Http404
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
            "may_work": has_capability(user, actions.CASEWORK, a.firm),
            "may_check": has_capability(user, actions.DECIDE, a.matter.unit),
            "log_form": LogForm(),
            "close_form": CloseForm(),
            "check_form": CheckForm(),
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
        actions.require_capability(user, actions.CASEWORK, a.firm)
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
        actions.require_capability(user, actions.CASEWORK, a.firm)
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
    return render(request, "legalaid/objections.html", {"rows": rows, "form": ObjectionDecideForm()})


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
    from openpyxl import Workbook

    user = staff_user(request)
    rows = (
        access.subsidies_for(user)
        .filter(status=Subsidy.Status.APPROVED)
        .select_related("assignment", "assignment__lawyer__practitioner", "assignment__firm")
        .order_by("assignment__firm__name", "pk")
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("发放清单")
    sheet.append(
        [
            _("指派通知书编号"),
            _("承办人"),
            _("执业证号"),
            _("所在机构"),
            _("案件类别"),
            _("结案日期"),
            _("补贴金额（元）"),
        ]
    )
    for s in rows[:5000]:
        a = s.assignment
        sheet.append(
            [
                a.number,
                a.lawyer.practitioner.name,
                a.lawyer.practitioner.licence_no,
                a.firm.name,
                a.get_case_type_display(),
                a.closed_at.date().isoformat() if a.closed_at else "",
                float(s.amount),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="legal-aid-subsidies.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


# ------------------------------------------------------------------------------------- the person's own notice


@require_GET
def my_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), login_url="/me/login/")
    d = access.own_decision(request.user, pk)
    return pdf.pdf_response(documents.decision_pdf(d, request), f"decision-{d.pk}.pdf")
