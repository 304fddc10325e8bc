"""热线系统设置 (console/hotline/setup/): the centre's admin (or a 系统管理员) sets up the hotline of the unit they are
working at: service hours and IVR texts, the callback clock and rule, queues with their IVR keys, the telephone
systems (a new push token or signing secret is shown once, on the answer to the request that made it) and the
ticket systems of the outside hotlines (联动). Every write is one action of centre.py (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fawang.lib.errors import put_errors
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from . import actions, centre
from .forms import CentreSettingsForm, QueueForm, SystemEditForm, SystemForm
from .models import CtiSystem, HotlineQueue


def _setup_unit(request: HttpRequest) -> Unit:
    user = staff_user(request)
    unit = current_unit(request)
    if unit is None or not has_capability(user, "hotline.manage", unit):
        raise PermissionDenied(_("您在当前机构无权设置热线，请切换到您管理的热线中心。"))
    return unit


def _partners(request: HttpRequest) -> QuerySet[Unit]:
    """The outside hotlines (12345, 12315, 110) whose ticket systems the user may set up."""
    user = staff_user(request)
    hotlines = Unit.objects.filter(kind=Unit.Kind.HOTLINE, is_active=True).order_by("name")
    ids = [u.pk for u in hotlines if has_capability(user, "hotline.manage", u)]
    return hotlines.filter(pk__in=ids)


def _visible_system(request: HttpRequest, pk: int) -> CtiSystem:
    """A system of a unit the user reaches (the same 404 for "missing" and "not yours"), and 403 unless they
    manage its hotline."""
    user = staff_user(request)
    system = get_object_or_404(CtiSystem.objects.visible_to(user).select_related("unit"), pk=pk)
    require_capability(user, "hotline.manage", system.unit)
    return system


def _render(request: HttpRequest, unit: Unit, status: int = 200, **forms: Any) -> HttpResponse:
    partners = _partners(request)
    context = {
        "unit": unit,
        "settings_form": forms.get("settings_form")
        or CentreSettingsForm(instance=actions.centre_settings(unit.pk)),
        "queue_form": forms.get("queue_form") or QueueForm(),
        "system_form": forms.get("system_form") or SystemForm(partners=partners),
        "queues": HotlineQueue.objects.filter(unit=unit).prefetch_related("topics"),
        "systems": CtiSystem.objects.filter(unit=unit, purpose=CtiSystem.Purpose.CTI).order_by("pk"),
        "link_systems": CtiSystem.objects.filter(unit__in=partners, purpose=CtiSystem.Purpose.LINK)
        .select_related("unit")
        .order_by("unit__name", "pk"),
        "issued": forms.get("issued"),
        "cti_path": reverse("api:hotline_cti", args=["TOKEN"]),
        "link_path": reverse("api:hotline_link", args=["TOKEN"]),
    }
    return render(request, "hotline/setup.html", context, status=status)


@never_cache
@staff_required
@require_GET
def setup(request: HttpRequest) -> HttpResponse:
    return _render(request, _setup_unit(request))


@staff_required
@require_POST
def save_settings(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    unit = _setup_unit(request)
    form = CentreSettingsForm(request.POST, instance=actions.centre_settings(unit.pk))
    if form.is_valid():
        try:
            centre.do_save_settings(
                actor=user, unit=unit, data={k: form.cleaned_data[k] for k in centre.SETTING_FIELDS}
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已保存热线中心设置。"))
            return redirect("hotline:setup")
    return _render(request, unit, status=400, settings_form=form)


@staff_required
@require_POST
def queue_add(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    unit = _setup_unit(request)
    form = QueueForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            centre.do_add_queue(
                actor=user,
                unit=unit,
                name=d["name"],
                digit=d["digit"],
                menu_text=d["menu_text"],
                topics=list(d["topics"]),
                dialects=d["dialects"],
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已添加队列“%(name)s”。") % {"name": d["name"]})
            return redirect("hotline:setup")
    return _render(request, unit, status=400, queue_form=form)


@staff_required
@require_POST
def queue_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    queue = get_object_or_404(HotlineQueue.objects.visible_to(user).select_related("unit"), pk=pk)
    require_capability(user, "hotline.manage", queue.unit)
    try:
        centre.do_set_queue_active(queue.pk, actor=user, active=request.POST.get("active") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已更新队列。"))
    return redirect("hotline:setup")


@staff_required
@require_POST
def system_add(request: HttpRequest) -> HttpResponse:
    """A new system: the answer shows its push address and secret once (they are not stored in the clear)."""
    user = staff_user(request)
    unit = _setup_unit(request)
    form = SystemForm(request.POST, partners=_partners(request))
    if form.is_valid():
        d = form.cleaned_data
        partner = d["partner"]
        try:
            system, token, secret = actions.do_create_system(
                actor=user,
                unit=partner or unit,
                name=d["name"],
                signed=d["signed"],
                purpose=CtiSystem.Purpose.LINK if partner else CtiSystem.Purpose.CTI,
            )
            if d["dial_url"]:
                centre.do_update_system(system.pk, actor=user, data={"dial_url": d["dial_url"]})
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _render(request, unit, issued=_issued(system, token, secret))
    return _render(request, unit, status=400, system_form=form)


def _issued(system: CtiSystem, token: str, secret: str) -> dict[str, Any]:
    name = "api:hotline_link" if system.purpose == CtiSystem.Purpose.LINK else "api:hotline_cti"
    return {"system": system, "path": reverse(name, args=[token]) if token else "", "secret": secret}


@staff_required
@require_POST
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    system = _visible_system(request, pk)
    form = SystemEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查电话系统的名称和外呼接口地址。"))
        return redirect("hotline:setup")
    try:
        centre.do_update_system(system.pk, actor=user, data=form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已保存“%(name)s”。") % {"name": form.cleaned_data["name"]})
    return redirect("hotline:setup")


@never_cache
@staff_required
@require_POST
def system_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """换发: the new token and/or secret are on this answer only."""
    user = staff_user(request)
    system = _visible_system(request, pk)
    try:
        system, token, secret = centre.do_rotate_system(
            system.pk,
            actor=user,
            token=request.POST.get("token") == "1",
            secret=request.POST.get("secret") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hotline:setup")
    unit = current_unit(request)
    if unit is None or not has_capability(user, "hotline.manage", unit):
        unit = system.unit
    return _render(request, unit, issued=_issued(system, token, secret))
