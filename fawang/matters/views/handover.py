"""The staff side of 转外部热线: recording the outside hotline's ticket number and outcome on the matter's detail
(fawang.matters.actions.handover). One POST view; the detail page shows the form while the hand-over is open."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fawang.orgs.web import staff_required, staff_user

from .. import actions
from ..access import get_matter_for_user


class OutsideReplyForm(forms.Form):
    ticket_no = forms.CharField(label=gettext_lazy("外部工单号"), required=False, max_length=40)
    outcome = forms.CharField(
        label=gettext_lazy("外部办理结果"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("登记办理结果即办结本事项，结果告知服务对象。"),
    )

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if not (data.get("ticket_no") or "").strip() and not (data.get("outcome") or "").strip():
            raise ValidationError(_("请填写外部热线的工单号或办理结果。"))
        return data


@require_POST
@staff_required
def outside_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    matter = get_matter_for_user(user, pk)
    form = OutsideReplyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            for message in error:
                messages.error(request, str(message))
        return redirect("matters:detail", pk=matter.pk)
    ticket_no = form.cleaned_data["ticket_no"].strip()
    outcome = form.cleaned_data["outcome"].strip()
    try:
        if ticket_no:
            actions.do_record_outside_ticket(matter.pk, actor=user, ticket_no=ticket_no)
        if outcome:
            actions.do_record_outside_outcome(matter.pk, actor=user, outcome=outcome)
    except ValidationError as error:  # a refusal by role (PermissionDenied) answers 403 like every action
        for message in getattr(error, "messages", None) or [str(error)]:
            messages.error(request, message)
    else:
        messages.success(request, _("已办结：外部热线的办理结果已登记。") if outcome else _("工单号已登记。"))
    return redirect("matters:detail", pk=matter.pk)
