"""The hotline's staff pages (console/hotline/): the agent's desk with its screen pop, taking in from a call,
wrap-up, callbacks; the supervisors' call list and statistics.

Rows come only through access.py and ``visible_to(user)`` (the same 404 for "missing" and "not yours"); every
write is one action call. Numbers are masked everywhere; the intake form holds the caller's number because the
agent registers it as the person's phone (the take-in is audited).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.accounts.models import User
from fawang.lib import xlsx
from fawang.lib.errors import messages_of as _messages_of
from fawang.lib.errors import put_errors as _put_errors
from fawang.matters.access import get_callback_for_user as get_matter_callback_for_user
from fawang.matters.forms import IntakeForm, RequestForm
from fawang.matters.models import Callback
from fawang.matters.routing import NoRoute
from fawang.orgs.authority import unit_ids_filter
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from . import actions, duty, followups, link, screenpop, stats
from .access import get_call_for_user, get_callback_for_user
from .forms import (
    CallbackDoneForm,
    FollowUpForm,
    ReferForm,
    ReferralDoneForm,
    SeatForm,
    ShiftForm,
    StatsForm,
    WrapForm,
)
from .models import (
    Call,
    CallbackAttempt,
    CallbackTask,
    DutyReferral,
    DutyShift,
    DutySlot,
    Seat,
    mask_number,
)


def _desk_unit(request: HttpRequest) -> Unit:
    user = staff_user(request)
    unit = current_unit(request)
    if unit is None or not has_capability(user, "hotline.desk", unit):
        raise PermissionDenied(_("当前机构没有热线坐席岗位，请切换到您值守热线的机构。"))
    return unit


def _my_seat(user: User) -> Seat | None:
    return Seat.objects.filter(agent=user).select_related("unit").first()


def live_call(seat: Seat) -> Call | None:
    """The call for this seat: one answered at its extension, else the oldest one ringing in its queue, else its
    last answered call still waiting for a wrap-up."""
    calls = Call.objects.filter(unit_id=seat.unit_id).select_related("unit", "agent")
    mine = calls.filter(status=Call.Status.ANSWERED).filter(
        Q(extension=seat.extension) | Q(agent_id=seat.agent_id)
    )
    ringing = calls.filter(status=Call.Status.RINGING, direction=Call.Direction.IN)
    if seat.queue:
        ringing = ringing.filter(Q(queue="") | Q(queue=seat.queue))
    unwrapped = calls.filter(status=Call.Status.ENDED, wrap_code="").filter(
        Q(extension=seat.extension) | Q(agent_id=seat.agent_id)
    )
    since = timezone.now() - dt.timedelta(hours=12)
    return (
        mine.order_by("-answered_at").first()
        or ringing.filter(rang_at__gte=since).order_by("rang_at", "pk").first()
        or unwrapped.filter(ended_at__gte=since).order_by("-ended_at").first()
    )


@never_cache
@staff_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    unit = _desk_unit(request)
    seat = _my_seat(user)
    form = SeatForm(
        initial={"extension": seat.extension if seat else "", "queue": seat.queue if seat else ""}
    )
    callbacks = (
        CallbackTask.objects.visible_to(user)
        .filter(unit=unit, status=CallbackTask.Status.OPEN)
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
        .select_related("call")
        .prefetch_related("tries")[:20]
    )
    return render(
        request,
        "hotline/desk.html",
        {
            "unit": unit,
            "seat": seat,
            "form": form,
            "callbacks": callbacks,
            "callback_form": CallbackDoneForm(),
            "followups": followups.desk_tasks(user),
            "followup_form": FollowUpForm(),
        },
    )


@staff_required
@require_POST
def sign_in(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    unit = _desk_unit(request)
    form = SeatForm(request.POST)
    if form.is_valid():
        try:
            actions.do_sign_in(
                actor=user,
                unit=unit,
                extension=form.cleaned_data["extension"],
                queue=form.cleaned_data["queue"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已签入分机 %(ext)s。") % {"ext": form.cleaned_data["extension"]})
            return redirect("hotline:desk")
    return render(
        request,
        "hotline/desk.html",
        {
            "unit": unit,
            "seat": _my_seat(user),
            "form": form,
            "callbacks": [],
            "callback_form": CallbackDoneForm(),
            "followups": [],
            "followup_form": FollowUpForm(),
        },
        status=400,
    )


@staff_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    _desk_unit(request)
    actions.do_sign_out(actor=user)
    messages.success(request, _("已签出坐席。"))
    return redirect("hotline:desk")


@never_cache
@staff_required
@require_GET
def pop(request: HttpRequest) -> HttpResponse:
    """The screen pop, polled by the desk every second (htmx)."""
    user = staff_user(request)
    _desk_unit(request)
    seat = _my_seat(user)
    call = live_call(seat) if seat else None
    context: dict[str, Any] = {"seat": seat, "call": call}
    if call is not None:
        context["pop"] = screenpop.screen_pop(user, call, timezone.now())
        context["wrap_form"] = WrapForm(initial={"code": call.wrap_code, "notes": call.wrap_notes})
        context["refer_form"] = ReferForm(auto_id=f"refer-{call.pk}-%s")
    return render(request, "hotline/_pop.html", context)


@never_cache
@staff_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    call = get_call_for_user(user, pk)
    return render(
        request,
        "hotline/call.html",
        {
            "call": call,
            "pop": screenpop.screen_pop(user, call, timezone.now()),
            "events": list(call.events.all()),
            "wrap_form": WrapForm(initial={"code": call.wrap_code, "notes": call.wrap_notes}),
            "can_desk": has_capability(user, "hotline.desk", call.unit),
            "callback": CallbackTask.objects.filter(call=call).first(),
            "refer_form": ReferForm(),
            "referrals": list(call.referrals.select_related("shift__person", "topic")),
        },
    )


@staff_required
@require_POST
def wrap_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    call = get_call_for_user(user, pk)
    form = WrapForm(request.POST)
    if form.is_valid():
        try:
            actions.do_wrap_up(
                call.pk, actor=user, code=form.cleaned_data["code"], notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("hotline:call", pk=call.pk)
        messages.success(request, _("已保存小结。"))
        if request.POST.get("next") == "desk":
            return redirect("hotline:desk")
        return redirect("hotline:call", pk=call.pk)
    require_capability(user, "hotline.desk", call.unit)
    messages.error(request, _("请选择小结类型。"))
    return redirect("hotline:call", pk=call.pk)


@never_cache
@staff_required
def take_in(request: HttpRequest, pk: int) -> HttpResponse:
    """受理 from a call: the intake form with the caller's number filled in; 当场解答 or register a matter."""
    user = staff_user(request)
    call = get_call_for_user(user, pk)
    require_capability(user, "hotline.desk", call.unit)
    unit = call.unit
    root = unit.region_id[:4] if len(unit.region_id) >= 4 else unit.region_id
    if request.method != "POST":
        form = IntakeForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "channel": "hotline",
                "phone": actions.do_show_number(call.pk, actor=user),
                "region": unit.region_id if len(unit.region_id) >= 6 else None,
            },
            region_root=root,
        )
        row = RequestForm(prefix="req", user=user)
        return _render_take_in(request, call, form, row)
    form = IntakeForm(request.POST, region_root=root)
    row = RequestForm(request.POST, prefix="req", user=user)
    if form.cascading:
        return _render_take_in(request, call, form, row)
    if not (form.is_valid() and row.is_valid()):
        return _render_take_in(request, call, form, row, status=400)
    d, r = form.cleaned_data, row.cleaned_data
    try:
        result = actions.do_take_in(
            call.pk,
            actor=user,
            person=form.person(),
            requests=[replace(row.matter_request(d["region"]), answer=r.get("answer", ""))],
            intake_unit=unit,
            idempotency_key=f"hotline:{user.pk}:{d['idempotency_key']}",
        )
    except ValidationError as error:
        _put_errors(form, error)
    except (NoRoute, PermissionDenied) as error:
        form.add_error(None, _messages_of(error))
    else:
        matter = result.matters[0]
        messages.success(request, _("已受理，受理编号 %(no)s。") % {"no": matter.tracking_no})
        return redirect("hotline:call", pk=call.pk)
    return _render_take_in(request, call, form, row, status=400)


def _render_take_in(
    request: HttpRequest, call: Call, form: IntakeForm, row: RequestForm, *, status: int = 200
) -> HttpResponse:
    return render(request, "hotline/take_in.html", {"call": call, "form": form, "row": row}, status=status)


@never_cache
@staff_required
@require_GET
def callbacks(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not (has_capability(user, "hotline.desk") or has_capability(user, "hotline.supervise")):
        raise PermissionDenied(_("您的岗位无权查看回拨任务。"))
    status = request.GET.get("status", "open")
    rows = CallbackTask.objects.visible_to(user).select_related("call", "unit", "assigned_to", "done_by")
    if status in CallbackTask.Status.values:
        rows = rows.filter(status=status)
    now = timezone.now()
    return render(
        request,
        "hotline/callbacks.html",
        {
            "rows": rows.order_by("due_at", "pk")[:200],
            "status": status,
            "statuses": CallbackTask.Status.choices,
            "now": now,
            "form": CallbackDoneForm(),
        },
    )


@staff_required
@require_POST
def callback_done(request: HttpRequest, pk: int) -> HttpResponse:
    """回拨结果: of the attempt dialled from the desk, or of a call made by hand on the desk phone."""
    user = staff_user(request)
    task = get_callback_for_user(user, pk)
    require_capability(user, "hotline.desk", task.unit)
    form = CallbackDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择回拨结果。"))
    else:
        try:
            task = actions.do_complete_callback(
                task.pk, actor=user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if task.status == CallbackTask.Status.DONE:
                messages.success(request, _("回拨已完成。"))
            elif task.status == CallbackTask.Status.UNREACHED:
                messages.warning(
                    request,
                    _("已回拨 %(n)s 次均未接通，任务按规则关闭。") % {"n": task.attempts},
                )
            else:
                messages.info(
                    request,
                    _("第 %(n)s 次回拨未接通，任务保留，请稍后再拨。") % {"n": task.attempts},
                )
    return redirect("hotline:desk" if request.POST.get("next") == "desk" else "hotline:callbacks")


@staff_required
@require_POST
def callback_dial(request: HttpRequest, pk: int) -> HttpResponse:
    """外呼回拨: a click-to-dial request for the agent's extension (dialer.py); the outcome is recorded after."""
    user = staff_user(request)
    task = get_callback_for_user(user, pk)
    require_capability(user, "hotline.desk", task.unit)
    try:
        attempt = actions.do_dial_callback(task.pk, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("第 %(n)s 次外呼：分机 %(ext)s → %(number)s。%(detail)s") % {
            "n": attempt.seq,
            "ext": attempt.extension,
            "number": task.call.caller_masked,
            "detail": attempt.dial_detail,
        }
        if attempt.dial == attempt.Dial.FAILED:
            messages.error(request, text)
        else:
            messages.success(request, text)
    return redirect("hotline:desk" if request.POST.get("next") == "desk" else "hotline:callbacks")


@never_cache
@staff_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, "hotline.supervise"):
        raise PermissionDenied(_("您的岗位无权查看来电记录。"))
    rows = Call.objects.visible_to(user).select_related("unit", "agent").order_by("-rang_at", "-pk")[:200]
    return render(request, "hotline/calls.html", {"rows": rows})


def _stats_range(request: HttpRequest) -> tuple[StatsForm, dt.date, dt.date]:
    today = timezone.localdate()
    form = StatsForm(request.GET or {"start": today - dt.timedelta(days=6), "end": today})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, today - dt.timedelta(days=6), today


@never_cache
@staff_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "hotline.supervise")
    form, start, end = _stats_range(request)
    report = stats.report(Call.objects.visible_to(user), start, end)
    chart = {
        "labels": [f.label for f in report.by_hour],
        "offered": [f.offered for f in report.by_hour],
        "answered": [f.answered for f in report.by_hour],
        "rate": [round((f.answer_rate or 0) * 100, 1) for f in report.by_hour],
        "names": {"offered": _("呼入量"), "answered": _("接通量"), "rate": _("接通率"), "calls": _("来电数")},
    }
    return render(
        request,
        "hotline/stats.html",
        {
            "form": form,
            "report": report,
            "totals": [report.total],
            "start": start,
            "end": end,
            "chart": chart,
        },
    )


@staff_required
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_capability(user, "hotline.supervise")
    _form, start, end = _stats_range(request)
    report = stats.report(Call.objects.visible_to(user), start, end)
    return xlsx.download(stats.to_xlsx(report), f"hotline-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


@never_cache
@staff_required
@require_GET
def handovers(request: HttpRequest) -> HttpResponse:
    """联动待反馈: matters handed over to 12345/12315/110 still waiting for their outcome, with the follow-up clock."""
    user = staff_user(request)
    if not (has_capability(user, "hotline.desk") or has_capability(user, "hotline.supervise")):
        raise PermissionDenied(_("您的岗位无权查看联动转交。"))
    from fawang.matters.models import Matter

    rows = link.waiting(Matter.objects.visible_to(user))
    return render(
        request, "hotline/handovers.html", {"rows": rows, "now": timezone.now(), "days": link.REPLY_WORKDAYS}
    )


# --------------------------------------------------------------------------------------------- duty (值班)


def _roster_unit(request: HttpRequest) -> Unit:
    user = staff_user(request)
    unit = current_unit(request)
    caps = ("hotline.desk", "hotline.supervise", "hotline.manage")
    if unit is None or not any(has_capability(user, cap, unit) for cap in caps):
        raise PermissionDenied(_("当前机构没有热线值班表，请切换到热线中心。"))
    return unit


def _render_roster(
    request: HttpRequest, unit: Unit, form: ShiftForm | None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    days = duty.week_of(day)
    shifts = (
        DutyShift.objects.visible_to(user)
        .filter(unit=unit, day__range=(days[0], days[-1]))
        .select_related("person")
        .prefetch_related("topics")
    )
    grid: dict[tuple[dt.date, str], list[DutyShift]] = {}
    for shift in shifts:
        grid.setdefault((shift.day, shift.slot), []).append(shift)
    rows = [(label, [(d, grid.get((d, value), [])) for d in days]) for value, label in DutySlot.choices]
    may_manage = has_capability(user, "hotline.manage", unit)
    if form is None and may_manage:
        form = ShiftForm(unit=unit, initial={"day": max(day, timezone.localdate())})
    context = {
        "unit": unit,
        "days": days,
        "rows": rows,
        "form": form if may_manage else None,
        "prev_week": days[0] - dt.timedelta(days=7),
        "next_week": days[0] + dt.timedelta(days=7),
    }
    return render(request, "hotline/roster.html", context, status=status)


@never_cache
@staff_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """值班表: the week of the current hotline centre, by day and slot, with each person's topics and dialects."""
    return _render_roster(request, _roster_unit(request), None)


@staff_required
@require_POST
def shift_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    unit = _roster_unit(request)
    require_capability(user, "hotline.manage", unit)
    form = ShiftForm(request.POST, unit=unit)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_add_shift(
                actor=user,
                unit=unit,
                person=d["person"],
                day=d["day"],
                slot=d["slot"],
                topics=list(d["topics"]),
                dialects=d["dialects"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, _("已排班。"))
            return redirect(f"{reverse('hotline:roster')}?week={d['day']:%Y-%m-%d}")
    return _render_roster(request, unit, form, status=400)


@staff_required
@require_POST
def shift_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    shift = get_object_or_404(DutyShift.objects.visible_to(user), pk=pk)
    try:
        actions.do_remove_shift(shift.pk, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已删除该值班。"))
    return redirect(f"{reverse('hotline:roster')}?week={shift.day:%Y-%m-%d}")


@staff_required
@require_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """转值班律师 from a call (its page, or the screen pop on the desk: ``next=desk``)."""
    user = staff_user(request)
    call = get_call_for_user(user, pk)
    require_capability(user, "hotline.desk", call.unit)
    back = (
        redirect("hotline:desk")
        if request.POST.get("next") == "desk"
        else redirect("hotline:call", pk=call.pk)
    )
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查转接信息。"))
        return back
    try:
        referral = actions.do_refer_to_duty(
            call.pk,
            actor=user,
            topic=form.cleaned_data["topic"],
            dialect=form.cleaned_data["dialect"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        assert referral.shift is not None  # a call is referred to someone on duty or refused
        person = referral.shift.person
        messages.success(
            request,
            _("已转值班人员 %(who)s（%(rule)s）。")
            % {"who": person.display_name or person.username, "rule": referral.rule},
        )
    return back


@never_cache
@staff_required
@require_GET
def duty_log(request: HttpRequest) -> HttpResponse:
    """值班日志: what each on-duty person handled, newest first (the centres the user reaches, and one's own)."""
    user = staff_user(request)
    caps = ("hotline.desk", "hotline.supervise", "hotline.manage")
    if not any(has_capability(user, cap) for cap in caps):
        raise PermissionDenied(_("您的岗位无权查看值班日志。"))
    reach = unit_ids_filter(user, "unit_id")
    # An empty Q is "everything" (a 系统管理员): OR-ing it with another Q would narrow it to that one.
    mine = (reach | Q(shift__in=DutyShift.objects.visible_to(user)) | Q(shift__person=user)) if reach else Q()
    rows = (
        DutyReferral.objects.filter(mine)
        .select_related("call", "matter", "shift__person", "topic", "referred_by")
        .order_by("-referred_at", "-pk")[:200]
    )
    return render(request, "hotline/duty_log.html", {"rows": rows})


@never_cache
@staff_required
@require_GET
def duty_queue(request: HttpRequest) -> HttpResponse:
    """值班待办: the on-duty person's queue, the calls and matters referred to them and those waiting at a centre
    where they are on duty now; what they handled lately below. Every staff member has one (most are empty)."""
    user = staff_user(request)
    rows = DutyReferral.objects.for_duty(user).select_related(
        "call", "matter__service_item", "matter__person", "shift__person", "topic", "referred_by", "unit"
    )
    return render(
        request,
        "hotline/duty_queue.html",
        {
            "open": list(rows.filter(status=DutyReferral.Status.OPEN).order_by("referred_at", "pk")[:100]),
            "done": list(rows.filter(status=DutyReferral.Status.DONE).order_by("-handled_at", "-pk")[:20]),
            "form": ReferralDoneForm(),
        },
    )


@staff_required
@require_POST
def referral_done(request: HttpRequest, pk: int) -> HttpResponse:
    """值班处理: what the on-duty person did with a referral in their queue (only their queue's rows: 404 else)."""
    user = staff_user(request)
    referral = get_object_or_404(DutyReferral.objects.for_duty(user), pk=pk)
    form = ReferralDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写处理情况。"))
        return redirect("hotline:duty_queue")
    try:
        actions.do_close_referral(referral.pk, actor=user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已登记处理情况。"))
    return redirect("hotline:duty_queue")


# --------------------------------------------------------------------------------------------- 回访 from the desk


def _followup_for(request: HttpRequest, pk: int) -> Callback:
    """The matter's 回访 task: 404 where it is not seen (matters' own door), 403 without ``matters.callback``."""
    user = staff_user(request)
    task = get_matter_callback_for_user(user, pk)
    if not followups.may_follow_up(user, task):
        raise PermissionDenied(_("您的岗位无权办理该回访任务。"))
    return task


@staff_required
@require_POST
def followup_dial(request: HttpRequest, pk: int) -> HttpResponse:
    """回访外呼: a click-to-dial order for the agent's extension to the person of the matter."""
    user = staff_user(request)
    task = _followup_for(request, pk)
    try:
        dial = followups.do_dial_followup(task.pk, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("第 %(n)s 次回访外呼：分机 %(ext)s → %(number)s（%(no)s）。%(detail)s") % {
            "n": dial.seq,
            "ext": dial.extension,
            "number": mask_number(task.matter.person.phone),
            "no": task.matter.tracking_no,
            "detail": dial.dial_detail,
        }
        (messages.error if dial.dial == CallbackAttempt.Dial.FAILED else messages.success)(request, text)
    return redirect("hotline:desk")


@staff_required
@require_POST
def followup_done(request: HttpRequest, pk: int) -> HttpResponse:
    """回访结果 from the desk: reached (what the person said, satisfied or not) completes the matter's 回访; no
    answer or a wrong number is noted on the matter and the task stays open."""
    user = staff_user(request)
    task = _followup_for(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择回访结果。"))
        return redirect("hotline:desk")
    d = form.cleaned_data
    try:
        dial = followups.do_record_followup(
            task.pk, actor=user, outcome=d["outcome"], text=d["text"], satisfied=d["satisfied"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if dial.outcome == FollowUpForm.REACHED:
            messages.success(request, _("回访已完成：%(no)s。") % {"no": task.matter.tracking_no})
        else:
            messages.info(
                request,
                _("已在事项 %(no)s 上记录：%(outcome)s；回访任务保留。")
                % {"no": task.matter.tracking_no, "outcome": dial.get_outcome_display()},
            )
    return redirect("hotline:desk")
