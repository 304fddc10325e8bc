"""Online applications (网上申请): the list of services offered online at /apply/ (public), and a signed-in
citizen's applications at /me/applications/: start one, fill it in step by step (each step saved on the server,
so it resumes later on any device), upload the materials, check and submit it.

Every page works without JavaScript (the region picker's "下一级" button re-renders the step). Views validate
nothing themselves: the actions bind the step forms and answer with their errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fawang.accounts.public import citizen_user, public_required
from fawang.catalog.models import ServiceItem
from fawang.citizens.actions import has_real_name
from fawang.citizens.models import Profile
from fawang.lib.errors import messages_of as _errors
from fawang.matters import tracking

from . import actions
from .access import get_own_application
from .definitions import (
    OWN,
    Bound,
    Definition,
    MaterialsStep,
    Step,
    StepInvalid,
    apply_url,
    definition_for,
    online,
)
from .forms import SubmitForm, UploadForm
from .models import Application

PAGE_SIZE = 20


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    items = [(_("我的申请"), reverse("applications:list")), (_("我的事项"), reverse("me:matters"))]
    return [{"label": label, "url": url, "active": request.path == url} for label, url in items]


# --- the public list ---------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """网上办事: every active item offered on the web, with its "在线申请" link."""
    items = (
        ServiceItem.objects.active().offered_on("web").prefetch_related("materials").order_by("order", "code")
    )
    rows = [{"item": item, "url": apply_url(item)} for item in items]
    return render(request, "applications/index.html", {"rows": [r for r in rows if r["url"]]})


# --- starting ----------------------------------------------------------------------------------------------


def _online_item(code: str) -> tuple[ServiceItem, Definition]:
    item = get_object_or_404(ServiceItem.objects.active().prefetch_related("materials"), code=code)
    definition = definition_for(item)
    if definition is None or not online(item):
        raise Http404
    return item, definition


@never_cache
@public_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    user = citizen_user(request)
    item, definition = _online_item(code)
    if not has_real_name(user):
        messages.info(request, _("网上申请须先填写实名信息。"))
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
    draft = Application.objects.drafts().filter(user=user, service_item=item).first()
    if request.method == "POST":
        try:
            started = actions.start_application(actor=user, item=item)
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                messages.error(request, message)
            return redirect("applications:start", code=code)
        if not started.created:
            messages.info(request, _("您已有一份未提交的申请草稿，已为您打开，可以继续填写。"))
        return redirect(_resume_url(started.application, definition))
    return render(
        request,
        "applications/start.html",
        {
            "item": item,
            "definition": definition,
            "draft": draft,
            "materials": list(item.materials.all()),
            "limits": [
                (label, item.limit_display(step), getattr(item, f"{step}_basis"))
                for step, label in (
                    ("accept", _("受理时限")),
                    ("assign", _("指派时限")),
                    ("complete", _("办结时限")),
                )
                if item.limit(step)
            ],
            "portal_nav": _nav(request),
        },
    )


def _step_url(app: Application, code: str) -> str:
    return reverse("applications:step", args=[app.pk, code])


def _resume_url(app: Application, definition: Definition) -> str:
    """The first step not yet saved, else the confirmation."""
    done = set(app.steps_done or [])
    for step in definition.steps:
        if step.saves and step.code not in done:
            return _step_url(app, step.code)
    return _step_url(app, "confirm")


# --- my applications --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ApplicationRow:
    """One card of 我的申请: the application and how far it has got."""

    application: Application
    steps_done: int  # steps of the form saved so far (a draft)
    steps_total: int  # steps that save anything
    tracking_display: str  # the matter's tracking number once submitted, grouped for reading; "" for a draft


@never_cache
@public_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    rows = (
        Application.objects.of_user(user)
        .select_related("service_item", "matter")
        .order_by("-updated_at", "-pk")
    )
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = []
    for app in page_obj:
        definition = definition_for(app.service_item)
        steps = [s for s in definition.steps if s.saves] if definition else []
        entries.append(
            ApplicationRow(
                application=app,
                steps_done=sum(1 for s in steps if s.code in (app.steps_done or [])),
                steps_total=len(steps),
                tracking_display=tracking.display(app.matter.tracking_no) if app.matter is not None else "",
            )
        )
    return render(
        request,
        "applications/list.html",
        {"page_obj": page_obj, "rows": entries, "portal_nav": _nav(request)},
    )


@never_cache
@public_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft resumes at its first unsaved step; a submitted application shows what was applied with."""
    app = get_own_application(citizen_user(request), pk)
    definition = definition_for(app.service_item)
    if app.is_draft:
        if definition is None:
            raise Http404
        return redirect(_resume_url(app, definition))
    return render(
        request,
        "applications/detail.html",
        {
            "application": app,
            "sections": definition.sections(app, disclose=OWN) if definition else [],
            "tracking_display": tracking.display(app.matter.tracking_no) if app.matter else "",
            "portal_nav": _nav(request),
        },
    )


# --- steps ------------------------------------------------------------------------------------------------


def _step_page(
    request: HttpRequest,
    app: Application,
    definition: Definition,
    step: Step,
    *,
    bound: Bound | None = None,
    upload_errors: dict[str, list[str]] | None = None,
    submit_form: SubmitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    codes = definition.codes
    index = codes.index(step.code)
    context: dict[str, Any] = {
        "application": app,
        "item": app.service_item,
        "definition": definition,
        "step": step,
        "number": index + 1,
        "total": len(codes),
        "nav": [
            {
                "code": s.code,
                "title": s.title,
                "url": _step_url(app, s.code),
                "current": s.code == step.code,
                "done": s.code in (app.steps_done or [])
                or (not s.saves and s.code != "confirm" and not s.missing(app)),
            }
            for s in definition.steps
        ],
        "previous_url": _step_url(app, codes[index - 1]) if index > 0 else None,
        "next_url": _step_url(app, codes[index + 1]) if index + 1 < len(codes) else None,
        "bound": bound or step.bind(app),
        "portal_nav": _nav(request),
    }
    if step.code == "applicant":
        profile = Profile.objects.filter(user=app.user).first()
        context["profile_name"] = app.user.display_name
        context["profile_id_masked"] = profile.id_number_masked if profile else ""
    if isinstance(step, MaterialsStep):
        slots = step.slots(app)
        upload_errors = upload_errors or {}
        keys = {s.key for s in slots}
        context["slots"] = slots
        context["upload_errors"] = upload_errors
        # An error about no slot on the page (a stale or forged slot) is shown above them all.
        context["general_upload_errors"] = [
            e for key, errors in upload_errors.items() if key not in keys for e in errors
        ]
    if step.code == "confirm":
        context["sections"] = definition.sections(app, disclose=OWN)
        context["missing"] = actions.incomplete(app)
        context["submit_form"] = submit_form or SubmitForm(auto_id="submit_%s")
    return render(request, "applications/step.html", context, status=status)


def _draft_and_step(request: HttpRequest, pk: int, code: str) -> tuple[Application, Definition, Step]:
    app = get_own_application(citizen_user(request), pk)
    definition = definition_for(app.service_item)
    if definition is None:
        raise Http404
    step = definition.step(code)
    if step is None:
        raise Http404
    return app, definition, step


@never_cache
@public_required
@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    app, definition, spec = _draft_and_step(request, pk, step)
    if not app.is_draft:
        return redirect("applications:detail", pk=app.pk)
    if request.method == "GET":
        return _step_page(request, app, definition, spec)
    if not spec.saves:
        return HttpResponseNotAllowed(["GET"])
    bound = spec.bind(app, request.POST)
    if bound.cascading:
        # The region picker's "下一级" without JavaScript: show the next level, save nothing yet.
        return _step_page(request, app, definition, spec, bound=bound)
    try:
        app = actions.do_save_step(app.pk, actor=citizen_user(request), step=spec.code, data=request.POST)
    except StepInvalid as error:
        return _step_page(request, app, definition, spec, bound=error.bound, status=400)
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect(_step_url(app, spec.code))
    if request.POST.get("go") == "later":
        messages.success(request, _("已保存草稿，可以随时在“我的申请”中继续填写。"))
        return redirect("applications:list")
    messages.success(request, _("“%(step)s”已保存。") % {"step": spec.title})
    codes = definition.codes
    return redirect(_step_url(app, codes[codes.index(spec.code) + 1]))


# --- materials --------------------------------------------------------------------------------------------


@never_cache
@require_POST
@public_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    app, definition, spec = _draft_and_step(request, pk, "materials")
    if not app.is_draft:
        return redirect("applications:detail", pk=app.pk)
    form = UploadForm(request.POST, request.FILES)
    slot = request.POST.get("slot", "")
    if form.is_valid():
        try:
            row = actions.do_upload_material(
                app.pk,
                actor=citizen_user(request),
                slot=form.cleaned_data["slot"],
                upload=form.cleaned_data["file"],
            )
        except (ValidationError, PermissionDenied) as error:
            errors = {slot: _errors(error)}
        else:
            messages.success(request, _("已上传：%(name)s") % {"name": row.original_name})
            return redirect(_step_url(app, "materials") + f"#slot-{row.slot_key}")
    else:
        errors = {slot: [str(e) for field_errors in form.errors.values() for e in field_errors]}
    return _step_page(request, app, definition, spec, upload_errors=errors, status=400)


@never_cache
@require_POST
@public_required
def remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    app = get_own_application(citizen_user(request), pk)
    try:
        actions.do_remove_material(app.pk, file_id, actor=citizen_user(request))
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("文件已删除。"))
    return redirect(_step_url(app, "materials"))


@never_cache
@public_required
@require_GET
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A file of one's own draft, to check what was uploaded; always as a download."""
    app = get_own_application(citizen_user(request), pk)
    row = get_object_or_404(app.files.exclude(file=""), pk=file_id)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(  # type: ignore[return-value]  # a streaming response; public_required passes it through
        handle, as_attachment=True, filename=row.original_name, content_type=row.content_type
    )


# --- submit and discard -----------------------------------------------------------------------------------


@never_cache
@require_POST
@public_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    app, definition, spec = _draft_and_step(request, pk, "confirm")
    form = SubmitForm(request.POST, auto_id="submit_%s")
    try:
        result = actions.do_submit_application(
            app.pk,
            actor=citizen_user(request),
            channel="web",
            pledge=form.is_valid() and form.cleaned_data["pledge"],
        )
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for message in error.message_dict.get("pledge", []):
                if not form.has_error("pledge"):
                    form.add_error("pledge", message)
        else:
            for message in _errors(error):
                form.add_error(None, message)
        app.refresh_from_db()
        return _step_page(request, app, definition, spec, submit_form=form, status=400)
    matter = result.matter
    if result.created:
        messages.success(
            request,
            _("申请已提交，受理编号 %(no)s，由%(unit)s办理。")
            % {"no": tracking.display(matter.tracking_no), "unit": matter.unit.name},
        )
    return redirect("me:matter", pk=matter.pk)


@never_cache
@require_POST
@public_required
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_own_application(citizen_user(request), pk)
    try:
        actions.do_discard(app.pk, actor=citizen_user(request))
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect("applications:detail", pk=app.pk)
    messages.success(request, _("申请草稿已删除。"))
    return redirect("applications:list")
