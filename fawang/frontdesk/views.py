"""The staff side of appointments (工作台 · 预约服务): a point's appointments of a day by window and slot with
check-in (签到), no-show (爽约) and 受理 into a matter through the window intake; the review of remote visits;
the schedules (排班) a unit admin keeps.

Rows come only from ``visible_to(user)`` and the helpers in access.py (the same 404 for "missing" and "not
yours"); every write is one action call, whose Chinese messages are shown on the page. Names and phone numbers
are masked in lists; a visitor's full ID number only in the answer to a "查看完整信息" POST, which is logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.citizens.models import Profile
from fawang.lib.errors import messages_of as _messages_of
from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.http import client_ip
from fawang.lib.validators import mask_id_number, mask_name
from fawang.matters import actions as matter_actions
from fawang.matters.forms import IntakeForm, RequestForm, RevealForm
from fawang.matters.routing import NoRoute
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from . import actions
from .access import get_appointment_for_user, get_schedule_for_user, may_use_desk
from .forms import (
    DayForm,
    ExceptionForm,
    NewScheduleForm,
    ReviewForm,
    RuleForm,
    ScheduleForm,
    StaffCancelForm,
)
from .models import Appointment, RemoteVisit, Schedule, ScheduleException, Slot, WeeklyRule


def points_with_schedules(user: User) -> QuerySet[Unit]:
    """Service points in the user's regions that have (or had) an appointment schedule."""
    return (
        Unit.objects.visible_to(user)
        .filter(pk__in=Schedule.objects.values("unit_id"))
        .select_related("region")
        .order_by("region_id", "kind", "name")
    )


# --------------------------------------------------------------------------------------------- the day


@never_cache
@staff_required
def day(request: HttpRequest) -> HttpResponse:
    """今日预约: one point's appointments of one day, by window (schedule) and slot."""
    user = staff_user(request)
    if not may_use_desk(user):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    points = points_with_schedules(user)
    form = DayForm(request.GET or None, units=points)
    today = timezone.localdate()
    unit: Unit | None = None
    date = today
    if form.is_bound:
        if not form.is_valid():
            if "unit" in form.errors:
                raise Http404
        else:
            unit = form.cleaned_data["unit"]
            date = form.cleaned_data["date"] or today
    if unit is None:
        here = current_unit(request)
        unit = next((p for p in points if here is not None and p.pk == here.pk), None) or points.first()
    groups: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    if unit is not None:
        if not may_use_desk(user, unit):
            raise PermissionDenied(_("您的岗位无权执行此操作。"))
        groups, counts = _day_groups(unit, date)
    if unit is not None:
        # The bar shows the point and day on the page, also when the date was left empty.
        form = DayForm({"unit": unit.pk, "date": date.isoformat()}, units=points)
    return render(
        request,
        "frontdesk/day.html",
        {
            "form": form,
            "unit": unit,
            "date": date,
            "today": today,
            "prev_day": date - dt.timedelta(days=1),
            "next_day": date + dt.timedelta(days=1),
            "groups": groups,
            "counts": counts,
            "can_desk": unit is not None and has_capability(user, "frontdesk.desk", unit),
            "can_review": unit is not None and has_capability(user, "frontdesk.review", unit),
            "can_intake": unit is not None and has_capability(user, "matters.intake", unit),
        },
    )


def _day_groups(unit: Unit, date: dt.date) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Schedules → slots → appointments of ``unit`` on ``date``, in three queries whatever the numbers."""
    slots = list(
        Slot.objects.filter(unit=unit, date=date)
        .select_related("schedule__window")
        .order_by("schedule_id", "starts_at")
    )
    appointments = (
        Appointment.objects.filter(slot__in=[s.pk for s in slots])
        .select_related("service_item", "remote_visit__prison")
        .order_by("slot_id", "created_at", "pk")
    )
    by_slot: dict[int, list[Appointment]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for a in appointments:
        a.name_masked = mask_name(a.name)  # type: ignore[attr-defined]
        by_slot[a.slot_id].append(a)
        counts[a.status] += 1
    groups: dict[int, dict[str, Any]] = {}
    for slot in slots:
        group = groups.setdefault(slot.schedule_id, {"schedule": slot.schedule, "slots": []})
        slot.rows = by_slot.get(slot.pk, [])  # type: ignore[attr-defined]
        group["slots"].append(slot)
    ordered = sorted(
        groups.values(),
        key=lambda g: (g["schedule"].window.number if g["schedule"].window else 999, g["schedule"].pk),
    )
    return ordered, dict(counts)


# --------------------------------------------------------------------------------------------- one appointment


def _visit_of(appointment: Appointment) -> RemoteVisit | None:
    try:
        return appointment.remote_visit
    except RemoteVisit.DoesNotExist:
        return None


def _detail(
    request: HttpRequest, appointment: Appointment, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = staff_user(request)
    unit = appointment.unit
    context: dict[str, Any] = {
        "appointment": appointment,
        "visit": _visit_of(appointment),
        "events": appointment.events.select_related("actor", "old_slot", "new_slot").order_by(
            "created_at", "pk"
        ),
        "name_masked": mask_name(appointment.name),
        "can_desk": has_capability(user, "frontdesk.desk", unit),
        "can_review": has_capability(user, "frontdesk.review", unit),
        "can_intake": has_capability(user, "matters.intake", unit),
        "can_reveal": has_capability(user, "matters.view_personal_data", unit),
        "is_today": timezone.localtime(appointment.slot.starts_at).date() == timezone.localdate(),
        "slot_over": appointment.slot.ends_at <= timezone.now(),
        "review_form": ReviewForm(auto_id="review_%s"),
        "cancel_form": StaffCancelForm(auto_id="cancel_%s"),
        "reveal_form": RevealForm(auto_id="reveal_%s"),
    }
    context.update(extra)
    return render(request, "frontdesk/appointment.html", context, status=status)


@never_cache
@staff_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_appointment_for_user(staff_user(request), pk))


def _act(request: HttpRequest, pk: int, perform: Any, done: str) -> HttpResponse:
    user = staff_user(request)
    appointment = get_appointment_for_user(user, pk)
    try:
        perform(appointment, user)  # PermissionDenied goes on to Django's 403
    except ValidationError as error:
        return _detail(request, appointment, status=400, action_errors=_messages_of(error))
    messages.success(request, done)
    back = request.POST.get("next", "")
    if back == "day":
        day = timezone.localtime(appointment.slot.starts_at).date()
        return redirect(reverse("frontdesk:day") + f"?unit={appointment.unit_id}&date={day:%Y-%m-%d}")
    return redirect("frontdesk:appointment", pk=appointment.pk)


@require_POST
@staff_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: actions.do_check_in(a.pk, actor=u), _("已签到。"))


@require_POST
@staff_required
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: actions.do_mark_no_show(a.pk, actor=u), _("已标记爽约。"))


@require_POST
@staff_required
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = StaffCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda a, u: actions.do_cancel(a.pk, actor=u, reason=reason),
        _("预约已取消，已通知预约人。"),
    )


@require_POST
@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    appointment = get_appointment_for_user(user, pk)
    form = ReviewForm(request.POST, auto_id="review_%s")
    if not form.is_valid():
        require_capability(user, "frontdesk.review", appointment.unit)
        return _detail(request, appointment, status=400, review_form=form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.do_review(appointment.pk, actor=user, approve=approve, note=form.cleaned_data["note"])
    except ValidationError as error:
        _put_errors(form, error)
        return _detail(request, appointment, status=400, review_form=form)
    messages.success(request, _("审核通过，已通知预约人。") if approve else _("已退回，已通知预约人。"))
    return redirect("frontdesk:appointment", pk=appointment.pk)


@require_POST
@staff_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The visitor's full ID number, written to the access log (个人信息保护法)."""
    user = staff_user(request)
    appointment = get_appointment_for_user(user, pk)
    require_capability(user, "matters.view_personal_data", appointment.unit)
    visit = _visit_of(appointment)
    if visit is None:
        return _detail(
            request, appointment, status=400, action_errors=[_("该预约没有需要查看的身份证号码。")]
        )
    form = RevealForm(request.POST)
    matter_actions.log_access(
        actor=user,
        purpose=f"{form.purpose_text()}（预约 {appointment.number}）",
        fields=_("探视人身份证号码"),
        matter=appointment.matter,
        ip=client_ip(request),
    )
    response = _detail(request, appointment, revealed=visit.id_number)
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------------------------- intake


def _profile_id_number(appointment: Appointment) -> str:
    profile = Profile.objects.filter(user_id=appointment.user_id).first()
    return profile.id_number if profile else ""


@never_cache
@staff_required
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    """受理 a checked-in appointment: the window intake form, prefilled with the person, the item and the
    reason; the ID number of the person's real-name details is used unless the clerk types another."""
    user = staff_user(request)
    appointment = get_appointment_for_user(user, pk)
    unit = appointment.unit
    require_capability(user, "matters.intake", unit)
    if appointment.status == Appointment.Status.TAKEN_IN and appointment.matter_id:
        return redirect("matters:detail", pk=appointment.matter_id)
    on_file = _profile_id_number(appointment)
    root = unit.region_id[:4] if len(unit.region_id) >= 4 else unit.region_id
    if request.method != "POST" or appointment.status != Appointment.Status.CHECKED_IN:
        form = IntakeForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "channel": "window",
                "name": appointment.name,
                "phone": appointment.phone,
                "region": unit.region_id if len(unit.region_id) >= 6 else None,
            },
            region_root=root,
        )
        row = RequestForm(
            prefix="req",
            user=user,
            initial={"service_item": appointment.service_item_id, "description": appointment.reason},
        )
        return _render_intake(request, appointment, form, row, on_file)
    form = IntakeForm(request.POST, region_root=root)
    row = RequestForm(request.POST, prefix="req", user=user)
    link = request.POST.get("link_account") == "1"
    if form.cascading:
        return _render_intake(request, appointment, form, row, on_file, quiet=True)
    if not (form.is_valid() and row.is_valid()):
        return _render_intake(request, appointment, form, row, on_file, status=400)
    d = form.cleaned_data
    try:
        matter = actions.do_take_in(
            appointment.pk,
            actor=user,
            person=replace(form.person(), id_number=d["id_number"] or on_file),
            request=row.matter_request(d["region"]),
            link_account=link,
        )
    except ValidationError as error:
        _put_errors(form, error)
    except (NoRoute, PermissionDenied) as error:
        form.add_error(None, _messages_of(error))
    else:
        messages.success(request, _("已受理，受理编号 %(no)s。") % {"no": matter.tracking_no})
        return redirect("matters:detail", pk=matter.pk)
    return _render_intake(request, appointment, form, row, on_file, status=400)


def _render_intake(
    request: HttpRequest,
    appointment: Appointment,
    form: IntakeForm,
    row: RequestForm,
    on_file: str,
    *,
    status: int = 200,
    quiet: bool = False,
) -> HttpResponse:
    if quiet:
        # A "下一级" press of the region picker re-renders the form; it is not a submission.
        shown: list[Any] = [form, row]
        for f in shown:
            f._errors = ErrorDict()
            f.cleaned_data = {}
    return render(
        request,
        "frontdesk/intake.html",
        {
            "appointment": appointment,
            "form": form,
            "row": row,
            "on_file_masked": mask_id_number(on_file) if on_file else "",
            "ready": appointment.status == Appointment.Status.CHECKED_IN,
        },
        status=status,
    )


# --------------------------------------------------------------------------------------------- reviews


@never_cache
@staff_required
def reviews(request: HttpRequest) -> HttpResponse:
    """待审核的监所远程探视预约 of the user's regions, soonest first."""
    user = staff_user(request)
    if not has_capability(user, "frontdesk.review"):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    rows = list(
        Appointment.objects.visible_to(user)
        .filter(status=Appointment.Status.PENDING)
        .select_related("slot", "unit", "remote_visit__prison")
        .order_by("slot__starts_at", "pk")[:200]
    )
    for a in rows:
        a.name_masked = mask_name(a.name)  # type: ignore[attr-defined]
    return render(request, "frontdesk/reviews.html", {"rows": rows})


# --------------------------------------------------------------------------------------------- schedules


def _manageable_points(user: User) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(user)
        .service_points()
        .active()
        .select_related("region")
        .order_by("region_id", "kind", "name")
    )


@never_cache
@staff_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not may_use_desk(user):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    schedules = list(
        Schedule.objects.visible_to(user)
        .select_related("unit", "window")
        .annotate(rule_count=Count("rules", distinct=True))
        .order_by("unit__region_id", "unit__name", "name")[:500]
    )
    can_manage = has_capability(user, "frontdesk.manage_schedule")
    return render(
        request,
        "frontdesk/schedules.html",
        {
            "schedules": schedules,
            "can_manage": can_manage,
            "new_form": NewScheduleForm(units=_manageable_points(user)) if can_manage else None,
        },
    )


def _schedule_data(form: ScheduleForm) -> actions.ScheduleData:
    d = form.cleaned_data
    return actions.ScheduleData(
        name=d["name"],
        mode=d["mode"] or Schedule.Mode.ONSITE,
        service_items=list(d["service_items"]),
        window=d["window"],
        slot_minutes=d["slot_minutes"],
        capacity=d["capacity"],
        days_ahead=d["days_ahead"],
        min_notice_hours=d["min_notice_hours"],
        cancel_cutoff_hours=d["cancel_cutoff_hours"],
        makeup_weekday=d["makeup_weekday"],
        is_active=d["is_active"],
    )


@never_cache
@staff_required
def schedule_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, "frontdesk.manage_schedule"):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    raw = request.GET.get("unit") or request.POST.get("unit") or ""
    pick = NewScheduleForm({"unit": raw} if raw else None, units=_manageable_points(user))
    if not pick.is_bound or not pick.is_valid():
        return render(
            request, "frontdesk/schedule_new.html", {"pick": pick}, status=400 if pick.is_bound else 200
        )
    unit = pick.cleaned_data["unit"]
    require_capability(user, "frontdesk.manage_schedule", unit)
    form = ScheduleForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = actions.do_save_schedule(actor=user, unit=unit, data=_schedule_data(form))
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已新建排班“%(name)s”，请添加每周时段。") % {"name": schedule.name})
            return redirect("frontdesk:schedule", pk=schedule.pk)
    return render(
        request,
        "frontdesk/schedule_new.html",
        {"pick": pick, "unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _schedule_page(
    request: HttpRequest, schedule: Schedule, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    can_manage = has_capability(user, "frontdesk.manage_schedule", schedule.unit)
    form = forms_.get("form") or ScheduleForm(
        unit=schedule.unit,
        initial={
            "name": schedule.name,
            "mode": schedule.mode,
            "window": schedule.window_id,
            "service_items": list(schedule.service_items.values_list("pk", flat=True)),
            "slot_minutes": schedule.slot_minutes,
            "capacity": schedule.capacity,
            "days_ahead": schedule.days_ahead,
            "min_notice_hours": schedule.min_notice_hours,
            "cancel_cutoff_hours": schedule.cancel_cutoff_hours,
            "makeup_weekday": schedule.makeup_weekday,
            "is_active": schedule.is_active,
        },
    )
    booked = dict(
        Slot.objects.filter(schedule=schedule, date__gte=today)
        .values_list("date")
        .annotate(n=Count("appointments", filter=Q(appointments__status__in=Appointment.ACTIVE_STATUSES)))
    )
    upcoming = [
        {**row, "booked": booked.get(row["date"], 0)}
        for row in Slot.objects.filter(schedule=schedule, date__gte=today)
        .values("date")
        .annotate(slots=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
        .order_by("date")
    ]
    return render(
        request,
        "frontdesk/schedule.html",
        {
            "schedule": schedule,
            "can_manage": can_manage,
            "form": form,
            "rule_form": forms_.get("rule_form") or RuleForm(auto_id="rule_%s"),
            "exception_form": forms_.get("exception_form") or ExceptionForm(auto_id="exc_%s"),
            "rules": schedule.rules.all(),
            "exceptions": schedule.exceptions.filter(date__gte=today),
            "upcoming": upcoming,
            "items": schedule.service_items.all(),
        },
        status=status,
    )


@never_cache
@staff_required
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    schedule = get_schedule_for_user(user, pk)
    if not may_use_desk(user, schedule.unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    if request.method != "POST":
        return _schedule_page(request, schedule)
    require_capability(user, "frontdesk.manage_schedule", schedule.unit)
    form = ScheduleForm(request.POST, unit=schedule.unit)
    if form.is_valid():
        try:
            actions.do_save_schedule(
                actor=user, unit=schedule.unit, data=_schedule_data(form), schedule_id=schedule.pk
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("排班已保存，预约时段已按新设置更新。"))
            return redirect("frontdesk:schedule", pk=schedule.pk)
    return _schedule_page(request, schedule, status=400, form=form)


@require_POST
@staff_required
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    schedule = get_schedule_for_user(user, pk)
    require_capability(user, "frontdesk.manage_schedule", schedule.unit)
    form = RuleForm(request.POST, auto_id="rule_%s")
    if form.is_valid():
        try:
            actions.do_add_rule(schedule.pk, actor=user, **form.cleaned_data)
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已添加每周时段。"))
            return redirect("frontdesk:schedule", pk=schedule.pk)
    return _schedule_page(request, schedule, status=400, rule_form=form)


@require_POST
@staff_required
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    rule = get_object_or_404(WeeklyRule.objects.filter(schedule__in=Schedule.objects.visible_to(user)), pk=pk)
    schedule = get_schedule_for_user(user, rule.schedule_id)
    require_capability(user, "frontdesk.manage_schedule", schedule.unit)
    actions.do_delete_rule(rule.pk, actor=user)
    messages.success(request, _("已删除每周时段；已有的预约不受影响。"))
    return redirect("frontdesk:schedule", pk=schedule.pk)


@require_POST
@staff_required
def exception_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    schedule = get_schedule_for_user(user, pk)
    require_capability(user, "frontdesk.manage_schedule", schedule.unit)
    form = ExceptionForm(request.POST, auto_id="exc_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_exception(
                schedule.pk,
                actor=user,
                date=d["date"],
                kind=d["kind"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                note=d["note"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已设置%(date)s的排班例外。") % {"date": f"{d['date']:%Y-%m-%d}"})
            return redirect("frontdesk:schedule", pk=schedule.pk)
    return _schedule_page(request, schedule, status=400, exception_form=form)


@require_POST
@staff_required
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    exc = get_object_or_404(
        ScheduleException.objects.filter(schedule__in=Schedule.objects.visible_to(user)), pk=pk
    )
    schedule = get_schedule_for_user(user, exc.schedule_id)
    require_capability(user, "frontdesk.manage_schedule", schedule.unit)
    actions.do_delete_exception(exc.pk, actor=user)
    messages.success(request, _("已删除排班例外。"))
    return redirect("frontdesk:schedule", pk=schedule.pk)
