"""Staff pages of community corrections, at /console/corrections/ (namespace ``corrections``). Files come only
through access.py (404 not seen, 403 not corrections work); every opening of a file and every showing of the full
ID number is written to the file's view log; every write is one action call whose Chinese errors come back on the
page with what was typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fawang.accounts.models import User
from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.http import client_ip
from fawang.orgs.roles import has_capability
from fawang.orgs.web import staff_required, staff_user

from . import access, actions, forms, notices, schedule
from .models import ItemKind, MonitoringApproval, Subject, SupervisionItem, Task, VisitPhoto


@staff_required
@require_GET
def subject_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, access.VIEW):
        raise PermissionDenied(access.DENIED)
    status = request.GET.get("status", "")
    rows = (
        access.visible_subjects(user)
        .select_related("office")
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__status__in=Task.OPEN_STATUSES)))
    )
    if status in Subject.Status.values:
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=Subject.SUPERVISED_STATUSES)
    return render(
        request,
        "corrections/list.html",
        {
            "subjects": rows.order_by("office__region_id", "file_no")[:500],
            "status": status,
            "statuses": Subject.Status.choices,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def take_over(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, access.SUPERVISE):
        raise PermissionDenied(access.DENIED)
    offices = access.offices_for_takeover(user)
    form = forms.TakeoverForm(request.POST or None, offices=offices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "office"}
            try:
                subject = actions.do_take_over(
                    actions.TakeoverData(**data), office_id=form.cleaned_data["office"].pk, actor=user
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(
                    request, _("已接收，档案编号 %(no)s。请在报到后登记。") % {"no": subject.file_no}
                )
                return redirect("corrections:detail", subject.pk)
        status = 400
    return render(request, "corrections/take_over.html", {"form": form}, status=status)


FORMS: dict[str, type[Form]] = {
    "report_form": forms.ReportForm,
    "plan_form": forms.PlanForm,
    "member_form": forms.MemberForm,
    "link_form": forms.LinkForm,
    "leave_form": forms.LeaveForm,
    "decision_form": forms.DecisionForm,
    "assessment_form": forms.AssessmentForm,
    "lost_form": forms.FactsForm,
    "found_form": forms.FactsForm,
    "monitoring_form": forms.MonitoringForm,
    "renew_form": forms.RenewForm,
    "end_form": forms.EndForm,
    "activity_form": forms.ActivityForm,
    "call_form": forms.CallForm,
    "reoffence_form": forms.ReoffenceForm,
}


def _detail(
    request: HttpRequest,
    subject: Subject,
    *,
    status: int = 200,
    bound: dict[str, Form] | None = None,
    revealed: bool = False,
) -> HttpResponse:
    user = staff_user(request)
    actions.log_view(
        subject, user=user, what=_("完整身份信息") if revealed else _("档案详情"), ip=client_ip(request)
    )
    ctx: dict[str, Any] = {name: cls(prefix=name.removesuffix("_form")) for name, cls in FORMS.items()}
    ctx["plan_form"] = forms.PlanForm(initial={"plan": subject.plan}, prefix="plan")
    ctx.update(bound or {})
    items = list(subject.items.order_by("-due_at")[:30])
    photos = _photos_by_item(items)
    ctx.update(
        subject=subject,
        revealed=revealed,
        may_supervise=access.may_supervise(user, subject),
        may_approve=access.may_approve(user, subject.office),
        rules=schedule.describe(subject.category),
        items=[(item, photos.get(item.pk, [])) for item in items],  # (item, its visit photos)
        item_form=forms.ItemForm(prefix="item"),
        visit_form=forms.VisitForm(prefix="item"),
        photo_form=forms.PhotoForm(prefix="photo"),
        group=subject.group_members.all(),
        tasks=subject.tasks.order_by("-created_at")[:20],
        leaves=subject.leaves.all()[:20],
        leave_decision_form=forms.LeaveDecisionForm(prefix="decide"),
        decisions=subject.decisions.all(),
        assessments=subject.assessments.all()[:12],
        activities=subject.activities.all()[:20],
        approvals=subject.monitoring.all(),
        views=subject.views.all()[:10],
        task_form=forms.TaskCloseForm(prefix="task"),
    )
    response = render(request, "corrections/detail.html", ctx, status=status)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_subject_for_user(staff_user(request), pk))


@staff_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_subject_for_user(staff_user(request), pk), revealed=True)


Run = Callable[[User, Subject, dict[str, Any]], Any]


def _act(request: HttpRequest, subject: Subject, key: str, run: Run, done: str) -> HttpResponse:
    user = staff_user(request)
    form = FORMS[key](request.POST, prefix=key.removesuffix("_form"))
    if form.is_valid():
        try:
            run(user, subject, form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("corrections:detail", subject.pk)
    return _detail(request, subject, status=400, bound={key: form})


def _subject_action(key: str, run: Run, done: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, access.get_subject_for_user(staff_user(request), pk), key, run, done)

    return view


report = _subject_action(
    "report_form", lambda u, s, d: actions.do_report(s.pk, where=d["where"], actor=u), _("已登记报到。")
)
set_plan = _subject_action(
    "plan_form", lambda u, s, d: actions.do_set_plan(s.pk, plan=d["plan"], actor=u), _("矫正方案已保存。")
)
add_member = _subject_action(
    "member_form", lambda u, s, d: actions.do_add_group_member(s.pk, actor=u, **d), _("已添加矫正小组成员。")
)
link_account = _subject_action(
    "link_form",
    lambda u, s, d: actions.do_link_account(
        s.pk, user=User.objects.filter(kind=User.Kind.PUBLIC, phone=d["phone"].strip()).first(), actor=u
    ),
    _("已关联本人账号，本人可在手机上进行定位报告。"),
)
apply_leave = _subject_action(
    "leave_form",
    lambda u, s, d: actions.do_apply_leave(
        s.pk,
        actor=u,
        to_office_id=d["to_office"].pk if d["to_office"] else None,
        **{k: v for k, v in d.items() if k != "to_office"},
    ),
    _("已登记外出或变更执行地申请。"),
)
record_call = _subject_action(
    "call_form",
    lambda u, s, d: actions.do_record_call(s.pk, actor=u, **d),
    _("已登记电话系统通话，本周听声已完成。"),
)
record_reoffence = _subject_action(
    "reoffence_form",
    lambda u, s, d: actions.do_record_reoffence(s.pk, actor=u, **d),
    _("已登记再犯罪。"),
)
decide = _subject_action(
    "decision_form",
    lambda u, s, d: actions.do_decide(s.pk, kind=d["kind"], facts=d["facts"], actor=u),
    _("决定已作出，可打印告知书。"),
)
assess = _subject_action(
    "assessment_form", lambda u, s, d: actions.do_assess(s.pk, actor=u, **d), _("已登记月度考核。")
)
mark_lost = _subject_action(
    "lost_form",
    lambda u, s, d: actions.do_mark_lost(s.pk, facts=d["facts"], actor=u),
    _("已登记失去联系，查找待办已生成。"),
)
found = _subject_action(
    "found_form", lambda u, s, d: actions.do_found(s.pk, note=d["facts"], actor=u), _("已登记找到。")
)
approve_monitoring = _subject_action(
    "monitoring_form",
    lambda u, s, d: actions.do_approve_monitoring(s.pk, actor=u, **d),
    _("已批准使用电子定位装置。"),
)
record_activity = _subject_action(
    "activity_form",
    lambda u, s, d: actions.do_record_activity(s.pk, actor=u, **d),
    _("已登记。"),
)
end = _subject_action("end_form", lambda u, s, d: actions.do_end(s.pk, actor=u, **d), _("已解除或终止矫正。"))


@staff_required
@require_POST
def check_in_office(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    subject = access.get_subject_for_user(user, pk)
    try:
        actions.do_check_in(subject.pk, actor=user)
    except ValidationError as e:
        return _error(request, subject, e)
    messages.success(request, _("已登记到所报告。"))
    return redirect("corrections:detail", subject.pk)


def _error(request: HttpRequest, subject: Subject, error: ValidationError) -> HttpResponse:
    for text in error.messages:
        messages.error(request, text)
    return _detail(request, subject, status=400)


def _photos_by_item(items: list[SupervisionItem]) -> dict[int, list[VisitPhoto]]:
    out: dict[int, list[VisitPhoto]] = {}
    for photo in VisitPhoto.objects.filter(item__in=[i for i in items if i.kind == ItemKind.VISIT]):
        out.setdefault(photo.item_id, []).append(photo)
    return out


@staff_required
@require_POST
def record_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = access.get_item_for_user(user, pk)
    form_class = forms.VisitForm if item.kind == ItemKind.VISIT else forms.ItemForm
    form = form_class(request.POST, request.FILES, prefix="item")
    if form.is_valid():
        try:
            actions.do_record_item(item.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            return _error(request, item.subject, e)
        messages.success(request, _("已登记。"))
        return redirect("corrections:detail", item.subject_id)
    return _error(request, item.subject, ValidationError(_("请选择方式并填写情况记录。")))


@staff_required
@require_POST
def decide_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    leave = access.get_leave_for_user(user, pk)
    form = forms.LeaveDecisionForm(request.POST, prefix="decide")
    if not form.is_valid():
        return _error(request, leave.subject, ValidationError(_("请选择审批结果。")))
    try:
        actions.do_decide_leave(
            leave.pk,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            actor=user,
        )
    except ValidationError as e:
        return _error(request, leave.subject, e)
    messages.success(request, _("已审批。"))
    return redirect("corrections:detail", leave.subject_id)


@staff_required
@require_POST
def leave_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    leave = access.get_leave_for_user(user, pk)
    try:
        actions.do_return(leave.pk, actor=user)
    except ValidationError as e:
        return _error(request, leave.subject, e)
    messages.success(request, _("已销假。"))
    return redirect("corrections:detail", leave.subject_id)


@staff_required
@require_POST
def renew_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    approval = get_object_or_404(MonitoringApproval.objects.select_related("subject"), pk=pk)
    subject = access.get_subject_for_user(user, approval.subject_id)
    form = forms.RenewForm(request.POST, prefix="renew")
    if form.is_valid():
        try:
            actions.do_renew_monitoring(approval.pk, actor=user, **form.cleaned_data)
        except ValidationError as e:
            _put_errors(form, e)
        else:
            messages.success(request, _("已延长。"))
            return redirect("corrections:detail", subject.pk)
    return _detail(request, subject, status=400, bound={"renew_form": form})


@staff_required
@require_POST
def close_task(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    task = access.get_task_for_user(user, pk)
    form = forms.TaskCloseForm(request.POST, prefix="task")
    if not form.is_valid():
        return _error(request, task.subject, ValidationError(_("请填写处理结果。")))
    try:
        actions.do_close_task(task.pk, result=form.cleaned_data["result"], actor=user)
    except ValidationError as e:
        return _error(request, task.subject, e)
    messages.success(request, _("待办已处理。"))
    return redirect("corrections:detail", task.subject_id)


@staff_required
@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from fawang.matters.pdf import pdf_response

    from .models import Decision

    user = staff_user(request)
    decision = get_object_or_404(Decision.objects.select_related("subject", "unit"), pk=pk)
    subject = access.get_subject_for_user(user, decision.subject_id)
    actions.log_view(
        subject, user=user, what=_("告知书 %(no)s") % {"no": decision.number}, ip=client_ip(request)
    )
    return pdf_response(notices.decision_pdf(decision, request), f"decision-{decision.pk}.pdf")


@staff_required
@require_GET
def ending_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from fawang.matters.pdf import pdf_response

    user = staff_user(request)
    subject = access.get_subject_for_user(user, pk)
    if subject.status not in Subject.ENDED_STATUSES:
        raise Http404
    actions.log_view(subject, user=user, what=_("解除或终止通知书"), ip=client_ip(request))
    return pdf_response(notices.ending_pdf(subject, request), f"ending-{subject.pk}.pdf")


@staff_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not has_capability(user, access.VIEW):
        raise PermissionDenied(access.DENIED)
    rows = (
        Task.objects.filter(subject__in=access.visible_subjects(user), status__in=Task.OPEN_STATUSES)
        .select_related("subject__office")
        .order_by("status", "due_at")
    )
    return render(
        request,
        "corrections/tasks.html",
        {
            "tasks": rows[:500],
            "now": timezone.now(),
            "task_form": forms.TaskCloseForm(prefix="task"),
            "incoming": access.incoming_relocations(user)[:100],
            "receive_form": forms.ReceiveForm(prefix="receive"),
        },
    )


@staff_required
@require_POST
def add_photos(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = access.get_item_for_user(user, pk)
    access.require_supervise(user, item.subject)
    form = forms.PhotoForm(request.POST, request.FILES, prefix="photo")
    if not form.is_valid():
        return _error(request, item.subject, ValidationError(_("请选择照片。")))
    try:
        actions.do_add_visit_photos(item.pk, photos=form.cleaned_data["photos"], actor=user)
    except ValidationError as e:
        return _error(request, item.subject, e)
    messages.success(request, _("已上传走访照片。"))
    return redirect("corrections:detail", item.subject_id)


@never_cache
@staff_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit photo, decrypted for those who may see the file; each showing is in the file's view log."""
    user = staff_user(request)
    visit_photo = access.get_photo_for_user(user, pk)
    subject = visit_photo.item.subject
    actions.log_view(
        subject,
        user=user,
        what=_("走访照片（%(day)s）") % {"day": visit_photo.item.period_start.isoformat()},
        ip=client_ip(request),
    )
    with visit_photo.file.open("rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type=visit_photo.content_type)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def receive_relocation(request: HttpRequest, pk: int) -> HttpResponse:
    """The new place's 社区矫正机构 receives (or declines) an approved change of the place of execution."""
    user = staff_user(request)
    leave = access.get_incoming_relocation_for_user(user, pk)
    form = forms.ReceiveForm(request.POST, prefix="receive")
    if form.is_valid():
        try:
            actions.do_receive_relocation(
                leave.pk,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                actor=user,
            )
        except ValidationError as e:
            for text in e.messages:
                messages.error(request, text)
        else:
            if form.cleaned_data["decision"] == "accept":
                messages.success(request, _("已接收，档案已移交本地。"))
                return redirect("corrections:detail", leave.subject_id)
            messages.success(request, _("已答复不予接收。"))
    else:
        messages.error(request, _("请选择接收意见。"))
    return redirect("corrections:tasks")
