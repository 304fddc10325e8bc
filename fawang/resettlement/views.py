"""Staff pages of 安置帮教 at /console/resettlement/ (namespace ``resettlement``): release notices (the prison's
form and the 司法所's list), the 必接必送 hand-over, the 帮教 files, and the seeds' ratios."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fawang.corrections.access import may_see_minor
from fawang.lib.errors import put_errors as _put_errors
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import staff_required, staff_user

from . import access, actions, forms, stats
from .models import HelpFile, ReleaseNotice


def _require_view(request: HttpRequest) -> Any:
    user = staff_user(request)
    if not has_capability(user, access.VIEW):
        raise PermissionDenied(access.DENIED)
    return user


@staff_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    user = _require_view(request)
    rows = (
        ReleaseNotice.objects.filter(access.offices_q(user))
        .select_related("office", "prison")
        .order_by("status", "release_on")
    )
    return render(
        request, "resettlement/notices.html", {"notices": rows[:500], "today": timezone.localdate()}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if access.prison_of(user) is None:
        raise PermissionDenied(_("只有监狱、看守所的工作人员可以发送刑满释放通知。"))
    form = forms.NoticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice, created = actions.do_receive_notice(
                    actions.NoticeData(**form.cleaned_data), actor=user
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(
                    request,
                    (_("已通知%(office)s。") if created else _("该通知此前已发送，%(office)s 已收到。"))
                    % {"office": notice.office.name},
                )
                return redirect("resettlement:notice_new")
        status = 400
    return render(request, "resettlement/notice_new.html", {"form": form}, status=status)


def _notice_page(
    request: HttpRequest, notice: ReleaseNotice, form: forms.ConnectForm | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "resettlement/notice.html",
        {
            "notice": notice,
            "form": form
            or forms.ConnectForm(
                initial={"on": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)}
            ),
            "may_work": has_capability(user, access.WORK, notice.office),
        },
        status=status,
    )


@staff_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_page(request, access.get_notice_for_user(staff_user(request), pk))


@staff_required
@require_POST
def connect(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    notice = access.get_notice_for_user(user, pk)
    form = forms.ConnectForm(request.POST)
    if form.is_valid():
        try:
            actions.do_connect(notice.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已登记衔接，帮教档案已建立。"))
            return redirect("resettlement:notice", notice.pk)
    return _notice_page(request, notice, form, status=400)


@staff_required
@require_GET
def file_list(request: HttpRequest) -> HttpResponse:
    user = _require_view(request)
    rows = HelpFile.objects.filter(access.offices_q(user)).select_related("office")
    return render(request, "resettlement/files.html", {"files": rows[:500], "today": timezone.localdate()})


def _file_page(
    request: HttpRequest, file: HelpFile, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    ctx: dict[str, Any] = {
        "file": file,
        "records": file.records.all(),
        "help_form": forms.HelpForm(prefix="help"),
        "place_form": forms.PlaceForm(prefix="place", initial={"placement": file.placement}),
        "plan_form": forms.PlanForm(prefix="plan", initial={"plan": file.plan}),
        "reoffence_form": forms.ReoffenceForm(prefix="reoffence"),
        "may_work": has_capability(user, access.WORK, file.office),
    }
    ctx.update(bound or {})
    return render(request, "resettlement/file.html", ctx, status=status)


@staff_required
@require_GET
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, access.get_file_for_user(staff_user(request), pk))


def _file_post(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    prefix: str,
    action: Callable[..., object],
    done: str,
) -> HttpResponse:
    """A form posted on a file's page (its ``prefix``): ``action`` on the file with the form's data, then back to
    the file with ``done``; the page again with the form's errors otherwise (400)."""
    user = staff_user(request)
    file = access.get_file_for_user(user, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(file.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("resettlement:file", file.pk)
    return _file_page(request, file, {f"{prefix}_form": form}, 400)


@staff_required
@require_POST
def add_help(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_post(request, pk, forms.HelpForm, "help", actions.do_add_help, _("已登记帮教记录。"))


@staff_required
@require_POST
def place(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_post(request, pk, forms.PlaceForm, "place", actions.do_place, _("已登记安置情况。"))


@staff_required
@require_POST
def set_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_post(request, pk, forms.PlanForm, "plan", actions.do_set_plan, _("帮教计划已保存。"))


@staff_required
@require_POST
def record_reoffence(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_post(
        request, pk, forms.ReoffenceForm, "reoffence", actions.do_record_reoffence, _("已登记重新犯罪。")
    )


LEVELS = {"office": "司法所", "county": "区县", "city": "设区的市"}


@staff_required
@require_GET
def rates(request: HttpRequest) -> HttpResponse:
    user = _require_view(request)
    level = request.GET.get("level", "office")
    if level not in LEVELS:
        level = "office"
    offices = list(
        Unit.objects.filter(access.offices_q(user, "pk"), kind=Unit.Kind.JUDICIAL_OFFICE).order_by(
            "region_id"
        )
    )
    rows = stats.table(offices, level)
    total = stats.Counts()
    for row in rows:
        total.add(row.counts)
    persons = stats.shortfall_persons([o.pk for o in offices])
    missed = [
        (item, item.subject.is_minor and not may_see_minor(user, item.subject))
        for item in persons.pop("missed")
    ]
    # Corrections' persons: a minor's identity only for those who may see the minor's file (第七章).
    outcomes = {
        key: [
            (subject, subject.is_minor and not may_see_minor(user, subject)) for subject in persons.pop(key)
        ]
        for key in ("corrections_reoffended", "imprisoned")
    }
    return render(
        request,
        "resettlement/rates.html",
        {
            "rows": rows,
            "total": total,
            "level": level,
            "levels": LEVELS,
            "persons": persons,
            "missed": missed,
            "outcomes": outcomes,
            "targets": stats,
        },
    )
