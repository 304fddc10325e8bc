"""The staff workbench (工作台 · 服务事项): queues, the matter detail with its actions, window and hotline intake
(一窗办多事), a person's history, supervision of time limits and of bad ratings, callbacks and rectifications.

Rows come only from ``Matter.objects.visible_to(user)`` and the helpers in access.py (the same 404 for "missing"
and "not yours"); every write is one call of an action in fawang.matters.actions, whose Chinese messages are
shown on the form that caused them. Personal data is masked everywhere; the full ID number and phone are
shown only in the response to a "查看完整信息" POST, which writes the access log (reveal_person).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.calendar.workdays import snapshot
from fawang.catalog.models import BusinessLine
from fawang.lib import codes
from fawang.lib.http import client_ip
from fawang.lib.paging import CappedPaginator
from fawang.lib.validators import mask_name
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.scoping import ALL, scope_codes
from fawang.orgs.web import current_membership, current_unit, staff_required, staff_user

from . import actions, deadlines, registry, suggestions, tracking
from .access import (
    get_callback_for_user,
    get_matter_for_user,
    get_person_for_user,
    get_rectification_for_user,
)
from .actions.legal_basis import article_label
from .forms import (
    AttachmentForm,
    BulkAssignForm,
    CallbackForm,
    CitationForm,
    IntakeForm,
    MatterFilterForm,
    RectificationForm,
    RequestFormSet,
    RevealForm,
    TopicForm,
    handlers_of,
)
from .listing import (
    STATUS_BADGES,
    decorate_rows,
    filter_matters,
    for_list,
    page_rows,
    remaining_text,
)
from .models import (
    Attachment,
    Callback,
    Evaluation,
    Matter,
    Person,
    Rectification,
    unit_ids_of,
)
from .permissions import available_actions, can_cite, can_correct_topic, can_reveal, can_upload
from .routing import NoRoute

PER_PAGE = 50
S = Matter.Status
R = Membership.Role


# --------------------------------------------------------------------------------------------- helpers


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _messages_of(exc: ValidationError | PermissionDenied | NoRoute) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("您的岗位无权执行此操作。")]


def _put_errors(form: forms.Form, exc: ValidationError) -> None:
    """An action's ValidationError onto ``form``: keyed messages on their field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _quiet(*forms_: forms.Form) -> None:
    """Show bound forms again without validating them (a "再加一项" or "下一级" press is not a submission)."""
    for form in forms_:
        form._errors = ErrorDict()  # type: ignore[attr-defined]
        form.cleaned_data = {}


def _safe_next(request: HttpRequest, fallback: str) -> str:
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


def _region_root(user: User) -> str | None:
    """Where the filter's region picker starts: the user's one area, or the whole country."""
    prefixes = scope_codes(user)
    if len(prefixes) != 1 or prefixes[0] == ALL:
        return None
    code = prefixes[0]
    # The picker's root must lie above its last level (a village advisor starts from their town).
    return codes.parent_code(code) if codes.level_of(code) >= 5 else code


# --------------------------------------------------------------------------------------------- queues


QUEUES = {
    "mine": ("我的待办", "matters:my_queue"),
    "unit": ("本单位事项", "matters:unit_queue"),
    "all": ("全部事项", "matters:list"),
}


def _queue(request: HttpRequest, kind: str) -> HttpResponse:
    user = staff_user(request)
    now = timezone.now()
    snapshot()  # the working-day table, read once and before the counted queries of the page
    unit = current_unit(request)
    base = Matter.objects.visible_to(user)
    if kind == "mine":
        base = base.filter(Q(handler=user) | Q(first_responder=user))
    elif kind == "unit":
        if unit is None:
            base = base.none()
        elif unit.pk in unit_ids_of(user):
            # Every matter of one of the user's own units is visible to them (visible_to's unit rule), so the
            # scope's OR adds nothing here; PostgreSQL does not see that and ORs three index scans (at 1M
            # matters 8.7 ms against 1.5 ms for the unit's own index; bench_matters).
            base = Matter.objects.filter(unit=unit)
        else:
            base = base.filter(unit=unit)
    else:
        require_capability(user, "matters.supervise")
    data = request.GET.copy()
    if kind != "all" and not data:
        # A queue opens on the work still to do.
        data["status"] = MatterFilterForm.STATUS_OPEN
    form = MatterFilterForm(data, region_root=_region_root(user))
    if not form.is_valid() and not form.cascading:
        base = base.none()  # a filter that does not validate shows its error and no rows, never everything
    qs, search_error = filter_matters(base, getattr(form, "cleaned_data", {}), now)
    page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = decorate_rows(page_rows(page.object_list), now)  # type: ignore[arg-type]
    page.object_list = rows  # the template's {% if page_obj %} counts these, not a fresh query of the page
    params = request.GET.copy()
    params.pop("page", None)
    handlers: list[User] = []
    if unit is not None and has_capability(user, "matters.assign", unit):
        handlers = list(handlers_of(unit.pk).only("display_name", "username"))  # the options only
    title, url_name = QUEUES[kind]
    return render(
        request,
        "matters/queue.html",
        {
            "kind": kind,
            "title": _(title),
            "queue_url": reverse(url_name),
            "form": form,
            "search_error": search_error,
            "page_obj": page,
            "rows": rows,
            "qs": params.urlencode(),
            "current_unit": unit,
            "handlers": handlers,
            "can_intake": unit is not None and has_capability(user, "matters.intake", unit),
        },
    )


@staff_required
def my_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, "mine")


@staff_required
def unit_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, "unit")


@staff_required
def matter_list(request: HttpRequest) -> HttpResponse:
    return _queue(request, "all")


@require_POST
@staff_required
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked matters to one handler of the current unit: one do_assign per matter, each in its own
    transaction, so one refusal does not undo the others; the page reports every row."""
    user = staff_user(request)
    unit = current_unit(request)
    if unit is None or not has_capability(user, "matters.assign", unit):
        raise PermissionDenied(_("您的岗位无权分派事项。"))
    back = _safe_next(request, reverse("matters:unit_queue"))
    form = BulkAssignForm(request.POST, handlers=handlers_of(unit.pk))
    ids = list(dict.fromkeys(int(x) for x in request.POST.getlist("ids") if x.isdigit()))[: PER_PAGE * 4]
    valid = form.is_valid()
    if not ids:
        form.add_error(None, _("请先勾选要分派的事项。"))
        valid = False
    results: list[dict[str, Any]] = []
    if valid:
        handler = form.cleaned_data["handler"]
        found = {
            m.pk: m for m in Matter.objects.visible_to(user).filter(pk__in=ids).only("pk", "tracking_no")
        }
        for pk in ids:
            matter = found.get(pk)
            if matter is None:
                results.append(
                    {"pk": pk, "no": "", "ok": False, "message": _("未找到该事项，或不在您的辖区内。")}
                )
                continue
            try:
                actions.do_assign(pk, actor=user, handler=handler)
            except (ValidationError, PermissionDenied) as exc:
                results.append(
                    {"pk": pk, "no": matter.tracking_no, "ok": False, "message": "".join(_messages_of(exc))}
                )
            else:
                results.append(
                    {
                        "pk": pk,
                        "no": matter.tracking_no,
                        "ok": True,
                        "message": _("已分派给%(name)s。")
                        % {"name": handler.display_name or handler.username},
                    }
                )
    done = sum(1 for r in results if r["ok"])
    return render(
        request,
        "matters/bulk_result.html",
        {"form": form, "results": results, "done": done, "failed": len(results) - done, "back": back},
        status=200 if valid else 400,
    )


# --------------------------------------------------------------------------------------------- detail


def _detail_context(
    request: HttpRequest,
    matter: Matter,
    *,
    bound: dict[str, forms.Form] | None = None,
    open_action: str = "",
    revealed: Person | None = None,
    upload_form: AttachmentForm | None = None,
    error: str = "",
    flash: str = "",
    topic_form: TopicForm | None = None,
) -> dict[str, Any]:
    user = staff_user(request)
    now = timezone.now()
    evaluation = Evaluation.objects.filter(matter=matter).first()
    specs = available_actions(user, matter, rated=evaluation is not None)
    bound = bound or {}
    action_forms = [(spec, bound.get(spec.code) or registry.form_for(spec, matter, user)) for spec in specs]
    stale = registry.get(open_action) if open_action in bound else None
    if stale is not None and stale not in specs:
        # The action is no longer available (the status moved meanwhile): keep its form and message visible.
        action_forms.insert(0, (stale, bound[open_action]))
    events = list(matter.events.select_related("actor", "old_unit", "new_unit").order_by("created_at", "pk"))
    for event in events:
        event.missing = (event.payload or {}).get("missing", [])  # type: ignore[attr-defined]
    m = decorate_rows([matter], now)[0]
    return {
        "matter": m,
        "status_class": STATUS_BADGES.get(matter.status, "muted"),
        "remaining": remaining_text(matter, now),
        "events": events,
        "attachments": list(matter.attachments.select_related("material", "uploaded_by")),
        "evaluation": evaluation,
        "callbacks": list(matter.callbacks.select_related("unit")),
        "rectifications": list(matter.rectifications.select_related("unit")),
        "action_forms": action_forms,
        "open_action": open_action,
        "can_upload": can_upload(user, matter),
        "upload_form": upload_form or AttachmentForm(matter=matter),
        "can_reveal": can_reveal(user, matter),
        "reveal_form": RevealForm(),
        "revealed": revealed,
        "person_masked_name": mask_name(matter.person.name),
        "receipt_pdf": _receipt_pdf_url(matter),
        "legal_basis": matter.legal_basis(),
        "can_cite": can_cite(user, matter),
        "can_correct_topic": can_correct_topic(user, matter),
        "topic_form": topic_form or TopicForm(initial={"topic": matter.topic_id}),
        "other_matters": Matter.objects.visible_to(user)
        .filter(person_id=matter.person_id)
        .exclude(pk=matter.pk)
        .count(),
        "error": error,
        "flash": flash,
    }


def _render_detail(request: HttpRequest, matter: Matter, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = _detail_context(request, matter, **extra)
    template = "matters/_detail.html" if _is_htmx(request) else "matters/detail.html"
    # htmx leaves 4xx answers unswapped; the fragment carries its own error, so it is sent as 200.
    response = render(request, template, context, status=200 if _is_htmx(request) else status)
    if extra.get("revealed") is not None:
        response["Cache-Control"] = "no-store"
    return response


@never_cache
@staff_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    return _render_detail(request, matter, open_action=request.GET.get("action", ""))


@require_POST
@staff_required
def matter_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action on one matter, from its small form on the detail page: the action's definition
    (matters.registry) gives the form and the function that does it."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    code = request.POST.get("action", "")
    defn = registry.get(code)
    if defn is None:
        return _render_detail(request, matter, status=400, error=_("请选择要执行的操作。"))
    form = registry.form_for(defn, matter, user, request.POST)
    status = 400
    if form.is_valid():
        try:
            message = registry.run(defn, matter, user, form)
        except PermissionDenied as exc:
            form.add_error(None, _messages_of(exc))
            status = 403
        except ValidationError as exc:  # InvalidTransition is one
            _put_errors(form, exc)
        except NoRoute as exc:
            form.add_error(None, str(exc))
        else:
            return _after_action(request, pk, message)
    matter = get_matter_for_user(user, pk)
    return _render_detail(request, matter, status=status, bound={code: form}, open_action=code)


def _after_action(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    user = staff_user(request)
    still_visible = Matter.objects.visible_to(user).filter(pk=pk).exists()
    if not still_visible:
        # Transferred or re-routed out of the user's regions: the detail would now be a 404.
        messages.success(request, message + _("该事项已不在您的辖区内。"))
        target = reverse("matters:unit_queue")
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    if _is_htmx(request):
        return _render_detail(request, get_matter_for_user(user, pk), flash=message)
    messages.success(request, message)
    return redirect("matters:detail", pk=pk)


@require_POST
@staff_required
def matter_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's full ID number and phone, for this response only; the access log records who and why."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = RevealForm(request.POST)
    person = actions.reveal_person(
        matter.person_id, actor=user, purpose=form.purpose_text(), matter=matter, ip=client_ip(request)
    )
    return _render_detail(request, matter, revealed=person)


def _render_suggestions(
    request: HttpRequest,
    matter: Matter,
    *,
    status: int = 200,
    citation_form: CitationForm | None = None,
    error: str = "",
    flash: str = "",
    changed: bool = False,
) -> HttpResponse:
    """The 相关法律条文（建议） panel (htmx fragment). After a decision it also carries the 法律依据 card
    out of band, so the detail shows the new legal basis without reloading."""
    user = staff_user(request)
    found = suggestions.suggest_articles(matter)
    context = {
        "matter": matter,
        "suggestions": found or [],
        "index_missing": found is None,
        "similar": suggestions.similar_consultations(matter, user),
        "can_cite": can_cite(user, matter),
        "citation_form": citation_form or CitationForm(),
        "error": error,
        "flash": flash,
        "oob": changed,
        "legal_basis": matter.legal_basis() if changed else [],
    }
    return render(request, "matters/_suggestions.html", context, status=200 if _is_htmx(request) else status)


@never_cache
@staff_required
def matter_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    return _render_suggestions(request, matter)


@require_POST
@staff_required
def article_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """采纳 / 不采纳 one suggested article."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    article_id = request.POST.get("article", "")
    decision = request.POST.get("decision", "")
    if not article_id.isdigit():
        return _render_suggestions(request, matter, status=400, error=_("请选择法律条文。"))
    try:
        if decision == "reviewed":
            row = actions.do_review_article(matter.pk, int(article_id), actor=user)
        else:
            row = actions.do_decide_article(matter.pk, int(article_id), actor=user, decision=decision)
    except PermissionDenied as exc:
        return _render_suggestions(request, matter, status=403, error=_messages_of(exc)[0])
    except ValidationError as exc:
        if decision == "reviewed" and not _is_htmx(request):
            # 已复核 is a plain form on the detail page's 法律依据 card: back there with the reason.
            messages.error(request, " ".join(exc.messages))
            return redirect("matters:detail", pk=pk)
        return _render_suggestions(request, matter, status=400, error=" ".join(exc.messages))
    label = article_label(row.article)
    if decision == "reviewed":
        flash = _("已复核%(article)s。") % {"article": label}
    else:
        flash = (
            _("已采纳%(article)s，列入法律依据。")
            if row.decision == "accepted"
            else _("已不采纳%(article)s。")
        ) % {"article": label}
    if not _is_htmx(request):
        messages.success(request, flash)
        return redirect("matters:detail", pk=pk)
    return _render_suggestions(request, matter, flash=flash, changed=True)


@require_POST
@staff_required
def article_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an article to the legal basis by its citation (《民法典》第一千零七十九条)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = CitationForm(request.POST)
    if form.is_valid():
        try:
            row = actions.do_add_article(matter.pk, form.cleaned_data["citation"], actor=user)
        except PermissionDenied as exc:
            form.add_error(None, _messages_of(exc))
            return _render_suggestions(request, matter, status=403, citation_form=form)
        except ValidationError as exc:
            form.add_error("citation", exc.messages)
        else:
            flash = _("已将%(article)s列入法律依据。") % {"article": article_label(row.article)}
            if not _is_htmx(request):
                messages.success(request, flash)
                return redirect("matters:detail", pk=pk)
            return _render_suggestions(request, matter, flash=flash, changed=True)
    return _render_suggestions(request, matter, status=400, citation_form=form)


@require_POST
@staff_required
def topic_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """更正领域 (the classifier's suggestion at intake, or any earlier choice)."""
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = TopicForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.do_correct_topic(matter.pk, actor=user, topic=form.cleaned_data["topic"])
        except PermissionDenied as exc:
            form.add_error(None, _messages_of(exc))
            status = 403
        except ValidationError as exc:
            form.add_error("topic", exc.messages)
        else:
            return _after_action(request, pk, _("所涉领域已更正。"))
    return _render_detail(request, matter, status=status, topic_form=form)


@require_POST
@staff_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = AttachmentForm(request.POST, request.FILES, matter=matter)
    status = 400
    if form.is_valid():
        material = form.cleaned_data["material"]
        try:
            actions.add_attachment(
                matter.pk,
                actor=user,
                upload=form.cleaned_data["file"],
                material_id=material.pk if material else None,
            )
        except PermissionDenied as exc:
            form.add_error(None, _messages_of(exc))
            status = 403
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return _after_action(request, pk, _("材料已上传。"))
    return _render_detail(request, get_matter_for_user(user, pk), status=status, upload_form=form)


@never_cache
@staff_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A matter's file, for staff who can see the matter; always as a download, never shown inline (a file is
    served with the type its content was checked to be). Materials often carry ID copies: the access is logged."""
    user = staff_user(request)
    attachment = get_object_or_404(
        Attachment.objects.filter(matter__in=Matter.objects.visible_to(user)).select_related("matter"), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    actions.log_access(
        actor=user,
        purpose=_("下载材料"),
        fields=_("材料附件：%(name)s") % {"name": attachment.original_name},
        matter=attachment.matter,
        ip=client_ip(request),
    )
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )  # type: ignore[return-value]  # a streaming response; staff_required passes it through


# --------------------------------------------------------------------------------------------- intake


def _default_channel(membership: Membership | None) -> str:
    role = membership.role if membership else ""
    presets: dict[str, str] = {R.HOTLINE_AGENT: "hotline", R.LEGAL_ADVISOR: "visit"}
    return presets.get(role, "window")


def _intake_root(unit: Unit) -> str:
    """The picker starts at the intake unit's city: a window takes requests about anywhere in its city."""
    code = unit.region_id
    return code[:4] if len(code) >= 4 else code


def _intake_key(user: User, key: str) -> str:
    # Namespaced by user, so a key typed into the hidden field can never fetch someone else's submission.
    return f"intake:{user.pk}:{key}"


KEY_RE = re.compile(r"^[0-9a-f]{32}$")


@never_cache
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """受理登记 at a window or on the hotline: one person, one or more requests (一窗办多事)."""
    user = staff_user(request)
    membership = current_membership(request)
    unit = membership.unit if membership else None
    if unit is None or not has_capability(user, "matters.intake", unit):
        raise PermissionDenied(_("当前机构不能受理事项，请切换到您受理事项的窗口或热线所在机构。"))
    root = _intake_root(unit)
    if request.method != "POST":
        form = IntakeForm(
            initial={
                "idempotency_key": uuid.uuid4().hex,
                "channel": _default_channel(membership),
                "region": unit.region_id if len(unit.region_id) >= 6 else None,
            },
            region_root=root,
        )
        formset = RequestFormSet(prefix="req", user=user)  # type: ignore[call-arg]
        return _render_intake(request, form, formset, unit)

    data = request.POST.copy()
    adding = "add_row" in data
    removing = data.get("remove_row", "")
    total_key = "req-TOTAL_FORMS"
    total = int(data.get(total_key) or 1) if str(data.get(total_key) or "1").isdigit() else 1
    if adding:
        data[total_key] = str(min(total + 1, 10))
    form = IntakeForm(data, region_root=root)
    formset = RequestFormSet(data, prefix="req", user=user)  # type: ignore[call-arg]
    if removing.isdigit() and total > 1:
        _drop_row(data, int(removing), total)
        form = IntakeForm(data, region_root=root)
        formset = RequestFormSet(data, prefix="req", user=user)  # type: ignore[call-arg]
        adding = True
    if adding or form.cascading:
        _quiet(form, *formset.forms)
        formset._errors = []  # type: ignore[attr-defined]
        formset._non_form_errors = formset.error_class()  # type: ignore[attr-defined]
        return _render_intake(request, form, formset, unit)
    if not (form.is_valid() and formset.is_valid()):
        return _render_intake(request, form, formset, unit, status=400)
    d = form.cleaned_data
    key = d["idempotency_key"]
    if not KEY_RE.match(key):
        form.add_error(None, _("表单已失效，请刷新页面后重新填写。"))
        return _render_intake(request, form, formset, unit, status=400)
    requests = [
        actions.MatterRequest(
            service_item=f.cleaned_data["service_item"],
            description=f.cleaned_data["description"],
            region=d["region"],
            topic=f.cleaned_data.get("topic"),
            unit=f.cleaned_data.get("unit"),
            unit_reason=f.cleaned_data.get("unit_reason", ""),
        )
        for f in formset.forms
    ]
    try:
        actions.do_submit(
            actor=user,
            person=actions.PersonData(
                name=d["name"],
                phone=d["phone"],
                id_number=d["id_number"],
                special_groups=d["special_groups"],
                address=d["address"],
            ),
            requests=requests,
            channel=d["channel"],
            intake_unit=unit,
            idempotency_key=_intake_key(user, key),
        )
    except ValidationError as exc:
        _put_errors(form, exc)
    except (NoRoute, PermissionDenied) as exc:
        form.add_error(None, _messages_of(exc))
    else:
        return redirect(reverse("matters:intake_receipt") + f"?key={key}")
    return _render_intake(request, form, formset, unit, status=400)


def _drop_row(data: Any, index: int, total: int) -> None:
    """Remove request row ``index`` from POSTed formset data, moving the rows after it up."""
    fields = ("service_item", "topic", "description", "unit", "unit_reason")
    for i in range(index, total - 1):
        for name in fields:
            data[f"req-{i}-{name}"] = data.get(f"req-{i + 1}-{name}", "")
    for name in fields:
        data.pop(f"req-{total - 1}-{name}", None)
    data["req-TOTAL_FORMS"] = str(total - 1)


def _render_intake(
    request: HttpRequest, form: IntakeForm, formset: Any, unit: Unit, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "matters/intake.html",
        {"form": form, "formset": formset, "unit": unit, "max_rows": 10},
        status=status,
    )


def _receipt_pdf_url(matter: Matter) -> str | None:
    """Link the printable receipt only once the PDF view exists (another part of the project builds it)."""
    for name in ("matters_pdf:receipt", "matters:receipt_pdf"):
        try:
            return reverse(name, kwargs={"pk": matter.pk})
        except NoReverseMatch:
            continue
    return None


@never_cache
@staff_required
def intake_receipt(request: HttpRequest) -> HttpResponse:
    """What was just taken in (``?key=`` of the intake form): each matter's tracking number and where it was
    routed; without a key, everything this user took in today.

    Scoped to matters this user took in (first_responder) rather than by visible_to: a window may take in a
    request about another district, which it then cannot see, but the person in front of it still needs the
    numbers. The key is namespaced by user (_intake_key)."""
    user = staff_user(request)
    key = request.GET.get("key", "")
    qs = Matter.objects.filter(first_responder=user)
    if key:
        if not KEY_RE.match(key):
            raise Http404
        full = _intake_key(user, key)
        qs = qs.filter(Q(idempotency_key=full) | Q(idempotency_key__startswith=full + "#"))
    else:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        qs = qs.filter(submitted_at__gte=today)
    matters = decorate_rows(
        qs.select_related("service_item", "unit", "person", "region").order_by("-submitted_at", "-pk")[:100],
        timezone.now(),
    )
    if key and not matters:
        raise Http404
    rows = (
        [(m, _receipt_pdf_url(m), tracking.display(m.tracking_no)) for m in reversed(matters)]
        if key
        else [(m, _receipt_pdf_url(m), tracking.display(m.tracking_no)) for m in matters]
    )
    return render(
        request,
        "matters/intake_receipt.html",
        {
            "rows": rows,
            "single": bool(key),
            "person_masked_name": mask_name(matters[0].person.name) if key else "",
        },
    )


# --------------------------------------------------------------------------------------------- person


def _person_matters(user: User, person: Person) -> QuerySet[Matter]:
    """The person's matters the user can see; by the ID number's keyed hash when known, so records of the
    same person made before their ID number was registered elsewhere are found too."""
    visible = Matter.objects.visible_to(user)
    if person.id_number_hash:
        return visible.filter(person__id_number_hash=person.id_number_hash)
    return visible.filter(person=person)


def _render_person(request: HttpRequest, person: Person, *, revealed: Person | None = None) -> HttpResponse:
    user = staff_user(request)
    now = timezone.now()
    snapshot()
    qs = for_list(_person_matters(user, person)).order_by("-submitted_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    latest = page.object_list[0] if page.object_list else None
    response = render(
        request,
        "matters/person.html",
        {
            "person": person,
            "person_masked_name": mask_name(person.name),
            "revealed": revealed,
            "page_obj": page,
            "rows": decorate_rows(page.object_list, now),
            "can_reveal": latest is not None and can_reveal(user, latest),
            "reveal_form": RevealForm(),
        },
    )
    if revealed is not None:
        response["Cache-Control"] = "no-store"
    return response


@never_cache
@staff_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_person(request, get_person_for_user(staff_user(request), pk))


@require_POST
@staff_required
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    person = get_person_for_user(user, pk)
    # The role is checked over the unit of the person's latest matter the user can see, and the log names it.
    latest = _person_matters(user, person).select_related("unit").order_by("-submitted_at", "-pk").first()
    if latest is None:
        raise Http404
    form = RevealForm(request.POST)
    full = actions.reveal_person(
        person.pk, actor=user, purpose=form.purpose_text(), matter=latest, ip=client_ip(request)
    )
    return _render_person(request, person, revealed=full)


# --------------------------------------------------------------------------------------------- supervision


@never_cache
@staff_required
def supervision(request: HttpRequest) -> HttpResponse:
    """超期与预警: overdue, due soon and escalated matters in the supervisor's regions, and the statistics by unit."""
    user = staff_user(request)
    require_capability(user, "matters.supervise")
    now = timezone.now()
    snapshot()
    visible = for_list(Matter.objects.visible_to(user))
    overdue_qs = visible.overdue(now).filter(clock_paused_at__isnull=True)
    due_soon_qs = visible.due_soon(now).filter(clock_paused_at__isnull=True)
    escalated_qs = visible.open().filter(escalated_at__isnull=False)
    return render(
        request,
        "matters/supervision.html",
        {
            "stats": deadlines.overdue_stats(user, now),
            "overdue": decorate_rows(overdue_qs.order_by("due_at", "pk")[:PER_PAGE], now),
            "overdue_count": overdue_qs.count(),
            "due_soon": decorate_rows(due_soon_qs.order_by("due_at", "pk")[:PER_PAGE], now),
            "due_soon_count": due_soon_qs.count(),
            "escalated": decorate_rows(escalated_qs.order_by("-escalated_at", "pk")[:PER_PAGE], now),
            "escalated_count": escalated_qs.count(),
            "hotspots": _hotspots(user, now),
            "hotspot_days": HOTSPOT_DAYS,
            "can_list": True,
        },
    )


HOTSPOT_DAYS = 30


def _hotspots(user: User, now: dt.datetime) -> list[dict[str, Any]]:
    """咨询热点: consultations of the last HOTSPOT_DAYS days in the user's regions by topic (所涉领域, chosen
    at intake or suggested by the classifier), most asked first."""
    rows = (
        Matter.objects.visible_to(user)
        .filter(
            service_item__business_line=BusinessLine.CONSULTATION,
            submitted_at__gte=now - dt.timedelta(days=HOTSPOT_DAYS),
        )
        .values("topic_id", "topic__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name")
    )
    return [dict(row) for row in rows[:10]]


FEEDBACK_CAPABILITIES = ("matters.supervise", "matters.callback", "matters.rectify")


@never_cache
@staff_required
def feedback(request: HttpRequest) -> HttpResponse:
    """差评与回访: badly rated matters, open callbacks (回访) and rectifications (整改) with their due dates."""
    user = staff_user(request)
    if not any(has_capability(user, cap) for cap in FEEDBACK_CAPABILITIES):
        raise PermissionDenied(_("您的岗位无权查看差评与回访。"))
    now = timezone.now()
    visible = Matter.objects.visible_to(user)
    bad = list(
        Evaluation.objects.filter(matter__in=visible, level__in=Evaluation.BAD_LEVELS)
        .select_related("matter__service_item", "matter__unit", "matter__person")
        .order_by("-created_at", "-pk")[:PER_PAGE]
    )
    for evaluation in bad:
        evaluation.person_masked = mask_name(evaluation.matter.person.name)  # type: ignore[attr-defined]
    callbacks = list(
        Callback.objects.visible_to(user)
        .open()
        .select_related("matter__service_item", "matter__unit", "unit", "assigned_to")
        .order_by("due_at", "pk")[: PER_PAGE * 2]
    )
    rectifications = list(
        Rectification.objects.visible_to(user)
        .open()
        .select_related("matter__service_item", "unit")
        .order_by("due_at", "pk")[: PER_PAGE * 2]
    )
    return render(
        request,
        "matters/feedback.html",
        {"bad": bad, "callbacks": callbacks, "rectifications": rectifications, "now": now},
    )


@never_cache
@staff_required
def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One callback (回访) task: the matter, its rating, and the form to record what the person said."""
    user = staff_user(request)
    callback = get_callback_for_user(user, pk)
    may = callback.done_at is None and has_capability(user, "matters.callback", callback.unit)
    form = CallbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may:
            raise PermissionDenied(_("您的岗位无权办理该回访任务，或任务已完成。"))
        status = 400
        if form.is_valid():
            try:
                actions.do_complete_callback(
                    callback.pk,
                    actor=user,
                    outcome=form.cleaned_data["outcome"],
                    satisfied=form.cleaned_data["satisfied"],
                )
            except PermissionDenied as exc:
                form.add_error(None, _messages_of(exc))
                status = 403
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("回访情况已记录。"))
                return redirect("matters:callback", pk=callback.pk)
    matter = (
        Matter.objects.visible_to(user)
        .select_related("service_item", "unit", "person")
        .filter(pk=callback.matter_id)
        .first()
    )
    return render(
        request,
        "matters/callback.html",
        {
            "task": callback,
            "matter": matter,
            "person_masked_name": mask_name(matter.person.name) if matter else "",
            "evaluation": Evaluation.objects.filter(matter_id=callback.matter_id).first(),
            "form": form,
            "may": may,
        },
        status=status,
    )


@never_cache
@staff_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One rectification (整改): why, by when, and the form to record the measures taken."""
    user = staff_user(request)
    item = get_rectification_for_user(user, pk)
    may = item.done_at is None and has_capability(user, "matters.rectify", item.unit)
    form = RectificationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may:
            raise PermissionDenied(_("您的岗位无权办理该整改任务，或任务已完成。"))
        status = 400
        if form.is_valid():
            try:
                actions.do_complete_rectification(item.pk, actor=user, measures=form.cleaned_data["measures"])
            except PermissionDenied as exc:
                form.add_error(None, _messages_of(exc))
                status = 403
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("整改情况已记录。"))
                return redirect("matters:rectification", pk=item.pk)
    matter = (
        Matter.objects.visible_to(user)
        .select_related("service_item", "unit")
        .filter(pk=item.matter_id)
        .first()
    )
    return render(
        request,
        "matters/rectification.html",
        {"task": item, "matter": matter, "form": form, "may": may},
        status=status,
    )
