"""Staff pages of people's mediation, mounted at /console/mediation/ (namespace ``mediation``). Rows come only through
``visible_to`` and the helpers of access.py (the same 404 for "missing" and "not yours"); every write is one action
call. A POST with bad input shows the page again with the form's Chinese errors (400), nothing typed lost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fawang.lib import xlsx
from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.paging import CappedPaginator
from fawang.matters.access import get_matter_for_user
from fawang.matters.pdf import pdf_response
from fawang.orgs.models import Practitioner, Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import staff_required, staff_user

from . import actions, stats
from .access import (
    get_agreement_for_user,
    get_case_for_user,
    get_committee_for_user,
    get_follow_up_for_user,
    get_mediator_for_user,
    get_meeting_for_user,
    get_screening_for_user,
    get_warning_for_user,
)
from .choices import CaseSource, PartyRole
from .forms import (
    AgreementForm,
    AssignForm,
    CommitteeForm,
    ConfirmationForm,
    ConsentForm,
    FollowUpForm,
    LowerForm,
    MediatorForm,
    MeetingForm,
    OpenCaseForm,
    OpenFromMatterForm,
    RaiseWarningForm,
    RecuseForm,
    ScreeningCaseForm,
    ScreeningForm,
    SessionForm,
    SignedForm,
    TerminateForm,
    TrainingForm,
    WarningCaseForm,
    WarningCheckForm,
    WithdrawForm,
)
from .models import (
    Agreement,
    Case,
    CommitteeProfile,
    MediatorProfile,
    Referral,
    RiskWarning,
    Screening,
    TrainingRecord,
)
from .tasks import retry_due_at

HANDLE = "mediation.handle"


# ------------------------------------------------------------------------------------------------ cases


@never_cache
@staff_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    qs = Case.objects.visible_to(user).select_related("unit").order_by("-opened_at", "-pk")
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "mediation/cases.html",
        {
            "page": page,
            "status": status,
            "statuses": Case.Status.choices,
            "today": timezone.localdate(),
            "may_open": has_capability(user, HANDLE),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, HANDLE)
    form = OpenCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = None
        if d["source"] == CaseSource.REFERRAL:
            referral = actions.ReferralData(d["referrer_kind"], d["referrer"], d["reference_no"])
        try:
            case = actions.open_case(
                actor=user,
                unit=d["unit"],
                source=d["source"],
                dispute_type=d["dispute_type"],
                summary=d["summary"],
                place=d["place"],
                amount=d["amount"],
                parties=form.parties(),
                referral=referral,
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已立案，请征询各方当事人是否同意调解。"))
            return redirect("mediation:case", case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/case_new.html", {"form": form}, status=status)


def case_forms(case: Case, **bound: Any) -> dict[str, Any]:
    forms = {
        "consent_form": ConsentForm(prefix="consent", case=case),
        "assign_form": AssignForm(prefix="assign", case=case),
        "session_form": SessionForm(
            prefix="session", initial={"held_on": timezone.localdate(), "place": case.unit.name}
        ),
        "agreement_form": AgreementForm(prefix="agreement", initial={"agreed_on": timezone.localdate()}),
        "terminate_form": TerminateForm(prefix="terminate"),
        "withdraw_form": WithdrawForm(prefix="withdraw"),
        "signed_form": SignedForm(prefix="signed", initial={"signed_on": timezone.localdate()}),
        "confirmation_form": ConfirmationForm(prefix="confirmation", initial={"on": timezone.localdate()}),
    }
    forms.update(bound)
    return forms


def _case_page(request: HttpRequest, case: Case, status: int = 200, **bound: Any) -> HttpResponse:
    user = staff_user(request)
    agreement = Agreement.objects.filter(case=case).first()
    referral = Referral.objects.filter(case=case).select_related("partner").first()
    today = timezone.localdate()
    context = {
        "case": case,
        "parties": list(case.parties.all()),
        "mediators": list(case.mediators.select_related("mediator")),
        "sessions": list(case.sessions.all()),
        "agreement": agreement,
        "follow_ups": list(agreement.follow_ups.all()) if agreement else [],
        "days_left": agreement.days_left(today) if agreement else None,
        "referral": referral,
        "report_retry_at": retry_due_at(referral) if referral is not None else None,
        "warnings": list(case.warnings.all()),
        "may_handle": has_capability(user, HANDLE, case.unit),
        "today": today,
        "follow_up_form": FollowUpForm(prefix="follow"),
        **case_forms(case, **bound),
    }
    return render(request, "mediation/case.html", context, status=status)


@never_cache
@staff_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, get_case_for_user(staff_user(request), pk))


def _case_post(
    request: HttpRequest,
    pk: int,
    form_class: Callable[..., Any],
    prefix: str,
    do: Callable[[Case, Any, dict[str, Any]], str],
    *,
    with_case: bool = False,
    files: bool = False,
) -> HttpResponse:
    user = staff_user(request)
    case = get_case_for_user(user, pk)
    require_capability(user, HANDLE, case.unit)
    kwargs: dict[str, Any] = {"prefix": prefix}
    if with_case:
        kwargs["case"] = case
    form = form_class(request.POST, request.FILES if files else None, **kwargs)
    if form.is_valid():
        try:
            message = do(case, user, form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, message)
            return redirect("mediation:case", case.pk)
    return _case_page(request, case, 400, **{f"{prefix}_form": form})


@staff_required
@require_POST
def case_consent(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        done = actions.record_consent(
            case.pk, actor=user, party_id=d["party"], consent=d["consent"], note=d["note"]
        )
        if done.status == Case.Status.REFUSED:
            return _("当事人明确拒绝调解，案件已终结（人民调解法 第十七条）。")
        return _("已登记当事人意见。")

    return _case_post(request, pk, ConsentForm, "consent", do, with_case=True)


@staff_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        row = actions.assign_mediator(case.pk, actor=user, mediator_id=d["mediator"].pk, is_lead=d["is_lead"])
        return _("已指定调解员%(name)s。") % {"name": row.mediator.name}

    return _case_post(request, pk, AssignForm, "assign", do, with_case=True)


@staff_required
@require_POST
def case_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        actions.recuse(case.pk, actor=user, mediator_id=d["mediator"], reason=d["reason"])
        return _("该调解员已回避。")

    return _case_post(request, pk, RecuseForm, "recuse", do)


@staff_required
@require_POST
def case_session(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        actions.log_session(case.pk, actor=user, **d)
        return _("调解记录已保存。")

    return _case_post(request, pk, SessionForm, "session", do)


@staff_required
@require_POST
def case_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        actions.record_agreement(case.pk, actor=user, **d)
        return _("已登记调解协议。书面协议请打印协议书，签名（按指印）盖章后上传。")

    return _case_post(request, pk, AgreementForm, "agreement", do)


@staff_required
@require_POST
def case_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        actions.terminate(case.pk, actor=user, reason=d["reason"], routes=d["routes"])
        return _("已终止调解，并记录告知当事人的其他途径。")

    return _case_post(request, pk, TerminateForm, "terminate", do)


@staff_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def do(case: Case, user: Any, d: dict[str, Any]) -> str:
        actions.withdraw(case.pk, actor=user, reason=d["reason"])
        return _("已登记当事人撤回。")

    return _case_post(request, pk, WithdrawForm, "withdraw", do)


@staff_required
@require_POST
def open_from_matter(request: HttpRequest, pk: int) -> HttpResponse:
    """立案调解 from a 人民调解申请 (the panel on the matter page)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    require_capability(user, HANDLE, matter.unit)
    form = OpenFromMatterForm(request.POST, prefix="med")
    if form.is_valid():
        d = form.cleaned_data
        person = matter.person
        try:
            case = actions.open_case(
                actor=user,
                unit=matter.unit,
                source=CaseSource.APPLICATION,
                dispute_type=d["dispute_type"],
                summary=matter.description or matter.service_item.name,
                place=d["place"],
                matter=matter,
                parties=sorted(
                    [
                        actions.PartyData(PartyRole.APPLICANT, person.name, person.phone),
                        actions.PartyData(PartyRole.RESPONDENT, d["respondent_name"], d["respondent_phone"]),
                        *form.more_parties(),
                    ],
                    key=lambda party: party.role != PartyRole.APPLICANT,
                ),
            )
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, _("已立案调解。"))
            return redirect("mediation:case", case.pk)
    else:
        messages.error(request, "；".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("matters:detail", matter.pk)


# ------------------------------------------------------------------------------------------ agreements


@staff_required
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from .pdf import agreement_pdf as render_pdf

    agreement = get_agreement_for_user(staff_user(request), pk)
    if agreement.form != Agreement.Form.WRITTEN:
        raise Http404
    return pdf_response(render_pdf(agreement, request), f"mediation-agreement-{agreement.pk}.pdf")


@never_cache
@staff_required
@require_GET
def agreement_copy(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(staff_user(request), pk)
    if not agreement.signed_copy:
        raise Http404
    with agreement.signed_copy.open("rb") as f:
        data = f.read()
    response = HttpResponse(data, content_type=agreement.signed_copy_type)
    response["Cache-Control"] = "no-store, private"
    return response


def _agreement_post(
    request: HttpRequest, pk: int, form_class: Any, prefix: str, do: Callable[[Agreement, Any, Any], str]
) -> HttpResponse:
    user = staff_user(request)
    agreement = get_agreement_for_user(user, pk)
    require_capability(user, HANDLE, agreement.case.unit)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        try:
            message = do(agreement, user, form)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, message)
            return redirect("mediation:case", agreement.case_id)
    return _case_page(request, agreement.case, 400, **{f"{prefix}_form": form})


@staff_required
@require_POST
def agreement_signed(request: HttpRequest, pk: int) -> HttpResponse:
    def do(agreement: Agreement, user: Any, form: Any) -> str:
        d = form.cleaned_data
        actions.upload_signed(agreement.pk, actor=user, stream=d["file"], signed_on=d["signed_on"])
        return _("签字盖章的协议书已上传，协议自签署之日起生效；司法确认申请期限开始计算。")

    return _agreement_post(request, pk, SignedForm, "signed", do)


@staff_required
@require_POST
def agreement_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    def do(agreement: Agreement, user: Any, form: Any) -> str:
        d = form.cleaned_data
        actions.record_confirmation(
            agreement.pk, actor=user, decision=d["decision"], court=d["court"], on=d["on"], note=d["note"]
        )
        return _("已登记司法确认情况。")

    return _agreement_post(request, pk, ConfirmationForm, "confirmation", do)


@staff_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = get_follow_up_for_user(user, pk)
    case = item.agreement.case
    require_capability(user, HANDLE, case.unit)
    form = FollowUpForm(request.POST, prefix="follow")
    if form.is_valid():
        try:
            actions.do_follow_up(item.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("履行回访已记录。"))
            return redirect("mediation:case", case.pk)
    return _case_page(request, case, 400, follow_up_form=form)


# ------------------------------------------------------------------------------- screening and warnings


@never_cache
@staff_required
@require_GET
def screenings(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    qs = Screening.objects.visible_to(user).select_related("unit")
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "mediation/screenings.html",
        {"page": page, "may_screen": has_capability(user, "mediation.screen")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "mediation.screen")
    form = ScreeningForm(request.POST or None, user=user, initial={"screened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            screening = actions.record_screening(actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            if screening.warnings.exists():
                messages.warning(request, _("已登记。该纠纷为高风险，已向司法所、司法局发出风险预警。"))
            else:
                messages.success(request, _("排查记录已登记。"))
            return redirect("mediation:screening", screening.pk)
    return render(
        request,
        "mediation/screening_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@staff_required
@require_GET
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    screening = get_screening_for_user(user, pk)
    return _screening_page(request, screening)


def _screening_page(
    request: HttpRequest, screening: Screening, form: Any = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "mediation/screening.html",
        {
            "screening": screening,
            "warnings": list(screening.warnings.all()),
            "cases": list(screening.cases.all()),
            "case_form": form or ScreeningCaseForm(prefix="case"),
            "may_open": screening.status == Screening.Status.OPEN
            and has_capability(user, HANDLE, screening.unit),
        },
        status=status,
    )


@staff_required
@require_POST
def screening_case(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    screening = get_screening_for_user(user, pk)
    require_capability(user, HANDLE, screening.unit)
    form = ScreeningCaseForm(request.POST, prefix="case")
    if form.is_valid():
        try:
            case = actions.open_case(
                actor=user,
                unit=screening.unit,
                source=CaseSource.SCREENING,
                dispute_type=screening.dispute_type,
                summary=screening.summary,
                place=screening.place,
                amount=screening.amount,
                screening=screening,
                parties=form.parties(),
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已转入调解，请征询各方当事人是否同意调解。"))
            return redirect("mediation:case", case.pk)
    return _screening_page(request, screening, form, 400)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "mediation.screen")
    form = MeetingForm(request.POST or None, user=user, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = actions.record_meeting(
                actor=user,
                unit=d["unit"],
                held_on=d["held_on"],
                attendees=d["attendees"],
                screening_ids=[s.pk for s in d["screenings"]],
                decisions=d["decisions"],
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("研判会记录已保存。"))
            return redirect("mediation:meeting", meeting.pk)
    return render(
        request, "mediation/meeting_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@never_cache
@staff_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(staff_user(request), pk)
    return render(
        request, "mediation/meeting.html", {"meeting": meeting, "screenings": meeting.screenings.all()}
    )


@never_cache
@staff_required
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    """Open (or all) warnings the user reaches, by region and age: the 司法所 sees its committees', the 司法局 its
    region's."""
    user = staff_user(request)
    show_all = request.GET.get("all") == "1"
    qs = RiskWarning.objects.visible_to(user).select_related("unit", "region", "case")
    if not show_all:
        qs = qs.filter(status=RiskWarning.Status.OPEN)
    rows = list(qs.order_by("region_id", "raised_at", "pk")[:500])
    today = timezone.localdate()
    by_region: dict[str, list[RiskWarning]] = {}
    for w in rows:
        by_region.setdefault(f"{w.region.name}", []).append(w)
    return render(
        request,
        "mediation/warnings.html",
        {
            "by_region": by_region,
            "today": today,
            "show_all": show_all,
            "count": len(rows),
            "may_raise": has_capability(user, "mediation.warn"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def warning_new(request: HttpRequest) -> HttpResponse:
    """发出风险预警 directly (a 司法所, a 司法局's supervisor, a committee), not from a screening finding."""
    user = staff_user(request)
    require_capability(user, "mediation.warn")
    form = RaiseWarningForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            warning = actions.raise_warning(actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.warning(request, _("风险预警已发出，请按期跟踪，直至风险降低。"))
            return redirect("mediation:warning", warning.pk)
    return render(
        request, "mediation/warning_new.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


def _warning_page(
    request: HttpRequest, warning: RiskWarning, status: int = 200, **forms: Any
) -> HttpResponse:
    user = staff_user(request)
    may_open_case = warning.case_id is None and has_capability(user, HANDLE, warning.unit)
    case_form = forms.get("case_form")
    if case_form is None and may_open_case:  # built only for those who may use it (it lists their committees)
        initial = {"dispute_type": warning.screening.dispute_type if warning.screening else None}
        case_form = WarningCaseForm(prefix="case", user=user, initial=initial)
    return render(
        request,
        "mediation/warning.html",
        {
            "warning": warning,
            "checks": list(warning.checks.select_related("checked_by")),
            "today": timezone.localdate(),
            "may_follow": warning.status == RiskWarning.Status.OPEN
            and has_capability(user, "mediation.warn", warning.unit),
            "check_form": forms.get("check_form") or WarningCheckForm(prefix="check"),
            "lower_form": forms.get("lower_form") or LowerForm(prefix="lower"),
            "may_open_case": may_open_case,
            "case_form": case_form,
        },
        status=status,
    )


@never_cache
@staff_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _warning_page(request, get_warning_for_user(staff_user(request), pk))


@staff_required
@require_POST
def warning_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    require_capability(user, "mediation.warn", warning.unit)
    form = WarningCheckForm(request.POST, prefix="check")
    if form.is_valid():
        try:
            actions.check_warning(warning.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("跟踪情况已记录。"))
            return redirect("mediation:warning", warning.pk)
    return _warning_page(request, warning, 400, check_form=form)


@staff_required
@require_POST
def warning_case(request: HttpRequest, pk: int) -> HttpResponse:
    """转入调解: a mediation case for the dispute behind the warning."""
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    require_capability(user, HANDLE, warning.unit)
    form = WarningCaseForm(request.POST, prefix="case", user=user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            case = actions.open_case_from_warning(
                warning.pk,
                actor=user,
                committee=d["committee"],
                dispute_type=d["dispute_type"],
                parties=form.parties(),
            )
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已转入调解，请征询各方当事人是否同意调解。"))
            return redirect("mediation:case", case.pk)
    return _warning_page(request, warning, 400, case_form=form)


@staff_required
@require_POST
def warning_lower(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    warning = get_warning_for_user(user, pk)
    require_capability(user, "mediation.warn", warning.unit)
    form = LowerForm(request.POST, prefix="lower")
    if form.is_valid():
        try:
            actions.lower_warning(warning.pk, actor=user, note=form.cleaned_data["note"])
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("预警已解除。"))
            return redirect("mediation:warning", warning.pk)
    return _warning_page(request, warning, 400, lower_form=form)


# ------------------------------------------------------------------------------ committees and statistics


@staff_required
@require_GET
def committees(request: HttpRequest) -> HttpResponse:
    """Committees the user reaches, with their kind, mediators (full/part-time, training) and cases."""
    user = staff_user(request)
    units = list(
        Unit.objects.visible_to(user)
        .filter(kind=Unit.Kind.MEDIATION)
        .select_related("region")
        .order_by("region_id", "pk")[:300]
    )
    ids = [u.pk for u in units]
    profiles = {p.unit_id: p for p in CommitteeProfile.objects.filter(unit_id__in=ids)}
    mediators = list(
        Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR, unit_id__in=ids).order_by(
            "unit_id", "name"
        )
    )
    mprofiles = {p.practitioner_id: p for p in MediatorProfile.objects.filter(practitioner__in=mediators)}
    case_counts = dict(
        Case.objects.filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    handled = dict(
        Case.objects.filter(unit_id__in=ids)
        .values("mediators__mediator_id")
        .annotate(n=Count("pk", filter=Q(mediators__recused_at__isnull=True)))
        .values_list("mediators__mediator_id", "n")
    )
    rows = []
    for u in units:
        mine = [m for m in mediators if m.unit_id == u.pk]
        full = sum(1 for m in mine if getattr(mprofiles.get(m.pk), "employment", "") == "full_time")
        rows.append(
            {
                "unit": u,
                "profile": profiles.get(u.pk),
                "mediators": [(m, mprofiles.get(m.pk), handled.get(m.pk, 0)) for m in mine],
                "full_time": full,
                "part_time": len(mine) - full,
                "cases": case_counts.get(u.pk, 0),
            }
        )
    return render(request, "mediation/committees.html", {"rows": rows})


MANAGE = "mediation.manage"


def staffing(unit: Unit) -> dict[str, Any]:
    """A committee's staffing figures: its mediators full- and part-time (from their profiles) against the members
    and full-time posts it is to have, and each mediator's cases handled."""
    mediators = list(Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR, unit=unit).order_by("name"))
    profiles = {p.practitioner_id: p for p in MediatorProfile.objects.filter(practitioner__in=mediators)}
    handled = actions.cases_handled(m.pk for m in mediators)
    full = sum(1 for m in mediators if getattr(profiles.get(m.pk), "employment", "") == "full_time")
    return {
        "mediators": [(m, profiles.get(m.pk), *handled.get(m.pk, (0, 0))) for m in mediators],
        "full_time": full,
        "part_time": len(mediators) - full,
        "total": len(mediators),
    }


def _committee_page(request: HttpRequest, unit: Unit, status: int = 200, **forms: Any) -> HttpResponse:
    user = staff_user(request)
    profile = CommitteeProfile.objects.filter(unit=unit).first()
    initial = {"time_limit_days": actions.DEFAULT_TIME_LIMIT_DAYS}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in actions.COMMITTEE_FIELDS}
    return render(
        request,
        "mediation/committee.html",
        {
            "unit": unit,
            "profile": profile,
            "cases": Case.objects.filter(unit=unit).count(),
            "may_manage": has_capability(user, MANAGE, unit),
            "committee_form": forms.get("committee_form")
            or CommitteeForm(prefix="committee", initial=initial),
            "mediator_form": forms.get("mediator_form") or MediatorForm(prefix="mediator"),
            **staffing(unit),
        },
        status=status,
    )


@never_cache
@staff_required
@require_GET
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _committee_page(request, get_committee_for_user(staff_user(request), pk))


@staff_required
@require_POST
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_committee_for_user(user, pk)
    require_capability(user, MANAGE, unit)
    form = CommitteeForm(request.POST, prefix="committee")
    if form.is_valid():
        try:
            actions.save_committee(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("调委会信息已保存。"))
            return redirect("mediation:committee", unit.pk)
    return _committee_page(request, unit, 400, committee_form=form)


@staff_required
@require_POST
def mediator_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_committee_for_user(user, pk)
    require_capability(user, MANAGE, unit)
    form = MediatorForm(request.POST, prefix="mediator")
    if form.is_valid():
        try:
            mediator = actions.add_mediator(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已登记人民调解员%(name)s。") % {"name": mediator.name})
            return redirect("mediation:mediator", mediator.pk)
    return _committee_page(request, unit, 400, mediator_form=form)


def _mediator_page(
    request: HttpRequest, mediator: Practitioner, status: int = 200, **forms: Any
) -> HttpResponse:
    user = staff_user(request)
    profile = MediatorProfile.objects.filter(practitioner=mediator).first()
    total, agreed = actions.cases_handled([mediator.pk]).get(mediator.pk, (0, 0))
    initial = {
        "name": mediator.name,
        "gender": mediator.gender,
        "phone": mediator.phone,
        "employment": profile.employment if profile else "",
    }
    return render(
        request,
        "mediation/mediator.html",
        {
            "mediator": mediator,
            "profile": profile,
            "trainings": list(TrainingRecord.objects.filter(practitioner=mediator)),
            "cases_total": total,
            "cases_agreed": agreed,
            "may_manage": mediator.unit is not None and has_capability(user, MANAGE, mediator.unit),
            "mediator_form": forms.get("mediator_form") or MediatorForm(prefix="mediator", initial=initial),
            "training_form": forms.get("training_form")
            or TrainingForm(prefix="training", initial={"trained_on": timezone.localdate()}),
        },
        status=status,
    )


@never_cache
@staff_required
@require_GET
def mediator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _mediator_page(request, get_mediator_for_user(staff_user(request), pk))


def _mediator_post(
    request: HttpRequest, pk: int, form_class: type[forms.Form], prefix: str, act: Any, done: str
) -> HttpResponse:
    """A manager's form on a mediator's page (particulars, a training record): the action, or the page again
    with the form's errors."""
    user = staff_user(request)
    mediator = get_mediator_for_user(user, pk)
    if mediator.unit is None:
        raise Http404
    require_capability(user, MANAGE, mediator.unit)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(mediator.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("mediation:mediator", mediator.pk)
    return _mediator_page(request, mediator, 400, **{f"{prefix}_form": form})


@staff_required
@require_POST
def mediator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _mediator_post(
        request, pk, MediatorForm, "mediator", actions.edit_mediator, _("人民调解员信息已保存。")
    )


@staff_required
@require_POST
def mediator_training(request: HttpRequest, pk: int) -> HttpResponse:
    return _mediator_post(request, pk, TrainingForm, "training", actions.add_training, _("培训记录已登记。"))


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, end


@staff_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "mediation.stats")
    start, end = _period(request)
    table = stats.compute(user, start, end)
    return render(request, "mediation/stats.html", {"table": table, "start": start, "end": end})


@staff_required
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "mediation.stats")
    start, end = _period(request)
    data = stats.to_excel(stats.compute(user, start, end), start, end)
    response = xlsx.download(data, f"mediation-{start}-{end}.xlsx")
    response["Cache-Control"] = "no-store, private"
    return response


def case_url(case: Case) -> str:
    return reverse("mediation:case", args=[case.pk])
