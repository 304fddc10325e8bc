"""The matter page: its facts and timeline, the actions the user may take (made from matters.registry), the
reveal of personal data, topic correction, attachments and the business lines' panels (the legal basis and
suggested articles are fawang.consult's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.lib.errors import put_errors as _put_errors
from fawang.lib.http import client_ip
from fawang.lib.validators import mask_name
from fawang.orgs.web import staff_required, staff_user

from .. import actions, lines, registry
from ..access import (
    ACTION_RELATED,
    get_matter_for_user,
)
from ..forms import (
    AttachmentForm,
    RevealForm,
    TopicForm,
)
from ..listing import (
    STATUS_BADGES,
    remaining_text,
    time_state,
)
from ..models import (
    Attachment,
    Evaluation,
    Matter,
    Person,
)
from ..permissions import available_actions, can_correct_topic, can_reveal, can_upload
from ..routing import NoRoute
from .common import (
    _is_htmx,
    _messages_of,
    _receipt_pdf_url,
)


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
    ts_class, ts_label = time_state(matter, now)
    return {
        "matter": matter,
        "status_class": STATUS_BADGES.get(matter.status, "muted"),
        "ts_class": ts_class,
        "ts_label": ts_label,
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
        "item_facts": lines.item_facts(
            matter
        ),  # the service item's own data, kept by its line (lines.ItemData)
        "can_correct_topic": can_correct_topic(user, matter),
        "topic_form": topic_form or TopicForm(initial={"topic": matter.topic_id}),
        "other_matters": Matter.objects.visible_to(user)
        .filter(person_id=matter.person_id)
        .exclude(pk=matter.pk)
        .count(),
        "error": error,
        "flash": flash,
        # The business lines' panels (matters.lines), rendered here so the page needs no line's template tags.
        "line_panels": [
            render_to_string(template, context, request=request)
            for template, context in lines.panels(user, matter)
        ],
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
    matter = get_matter_for_user(user, pk, related=ACTION_RELATED)
    code = request.POST.get("action", "")
    defn = registry.get(code)
    if defn is None:
        matter = get_matter_for_user(user, pk)
        return _render_detail(request, matter, status=400, error=_("请选择要执行的操作。"))
    form = registry.form_for(defn, matter, user, request.POST)
    status = 400
    if form.is_valid():
        try:
            message = registry.run(defn, matter, user, form)
        except PermissionDenied as exc:
            if not defn.permits(user, matter) and not _is_htmx(request):
                return _refused(request, pk, exc)
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


def _refused(request: HttpRequest, pk: int, exc: PermissionDenied) -> HttpResponse:
    """403 for an action the user holds none of the capabilities of over the matter: the page never offered them
    its form (a hand-made request, or a page left open after a change of role), so the refusal and the way back
    are all there is to show, not the whole matter page again."""
    context = {"errors": _messages_of(exc), "matter_pk": pk}
    return render(request, "matters/refused.html", context, status=403)


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
