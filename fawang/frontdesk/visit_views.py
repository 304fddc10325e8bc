"""上门服务申请 on the portal: a signed-in person asks for a home visit for themselves or a relative who cannot
come (the elderly, the disabled, the seriously ill). The request becomes a matter in 我的事项 (me:matter), routed
to the place's service point, with the visit waiting for staff to schedule it (fawang.frontdesk.visits)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fawang.accounts.public import account_nav, citizen_user, public_required
from fawang.citizens.actions import has_real_name
from fawang.lib.errors import put_errors
from fawang.matters import tracking
from fawang.matters.routing import NoRoute
from fawang.regions.forms import RegionCascadeMixin, RegionField
from fawang.regions.models import Region

from .actions import visits as actions
from .models import HomeVisit


class VisitRequestForm(RegionCascadeMixin, forms.Form):
    group = forms.ChoiceField(
        label=gettext_lazy("服务对象类别"),
        choices=HomeVisit.Group.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择服务对象类别。")},
    )
    asked_by = forms.ChoiceField(
        label=gettext_lazy("申请人"),
        choices=[(c.value, c.label) for c in actions.PUBLIC_ASKERS],
        initial=HomeVisit.AskedBy.SELF,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择申请人。")},
    )
    visitee_name = forms.CharField(
        label=gettext_lazy("服务对象姓名"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("亲属代为申请时填写需要上门服务的人的姓名。"),
    )
    region = RegionField(
        label=gettext_lazy("所在地区"),
        min_level=Region.Level.COUNTY,
        help_text=gettext_lazy("选到乡镇（街道）、村（社区），由当地工作站安排人员上门。"),
        error_messages={"required": gettext_lazy("请选择所在地区。")},
    )
    address = forms.CharField(
        label=gettext_lazy("上门地址"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写上门地址。")},
    )
    description = forms.CharField(
        label=gettext_lazy("需要什么帮助"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请简要说明需要什么帮助。")},
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


@never_cache
@public_required
@require_http_methods(["GET", "POST"])
def request_visit(request: HttpRequest) -> HttpResponse:
    user = citizen_user(request)
    if not has_real_name(user):
        messages.info(request, _("申请上门服务须先填写实名信息。"))
        return redirect(reverse("me:profile") + "?" + urlencode({"next": request.path}))
    form = VisitRequestForm(request.POST if request.method == "POST" else None, auto_id="hv_%s")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = actions.do_request_visit(
                actor=user,
                group=d["group"],
                asked_by=d["asked_by"],
                visitee_name=d["visitee_name"],
                region=d["region"],
                address=d["address"],
                description=d["description"],
                key=d["key"],
            )
        except (ValidationError, PermissionDenied) as error:
            put_errors(form, error)
        except NoRoute as error:
            form.add_error(None, _("%(why)s您可以拨打 12348 热线申请。") % {"why": error})
        else:
            matter = visit.matter
            messages.success(
                request,
                _("上门服务申请已提交，受理编号 %(no)s，由%(unit)s安排人员与您联系。")
                % {"no": tracking.display(matter.tracking_no), "unit": matter.unit.name},
            )
            return redirect("me:matter", pk=matter.pk)
    return render(
        request,
        "frontdesk/visit_request.html",
        {"form": form, "portal_nav": account_nav(request)},
        status=400 if form.errors else 200,
    )
