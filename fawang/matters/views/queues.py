"""The queues (我的待办, 本单位事项, 全部事项) and bulk assignment."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.calendar.workdays import snapshot
from fawang.lib.paging import CappedPaginator
from fawang.orgs.roles import has_capability, require_capability
from fawang.orgs.web import current_unit, staff_required, staff_user

from .. import actions, private_search
from ..forms import (
    BulkAssignForm,
    MatterFilterForm,
    handlers_of,
)
from ..listing import (
    decorate_rows,
    filter_matters,
    page_rows,
)
from ..models import (
    Matter,
    unit_ids_of,
)
from .common import (
    PER_PAGE,
    _messages_of,
    _region_root,
    _safe_next,
)

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
    if request.method == "POST":
        # The filter form is posted so that an ID number or phone never appears in the address.
        return private_search.redirect_without_personal_data(request, reverse(QUEUES[kind][1]))
    data, search_expired = private_search.query_data(request)
    if kind != "all" and not data:
        # A queue opens on the work still to do.
        data["status"] = MatterFilterForm.STATUS_OPEN
    form = MatterFilterForm(data, region_root=_region_root(user))
    if not form.is_valid() and not form.cascading:
        base = base.none()  # a filter that does not validate shows its error and no rows, never everything
    qs, search_error = filter_matters(base, getattr(form, "cleaned_data", {}), now)
    if search_expired:
        qs, search_error = qs.none(), _("搜索条件已失效，请重新输入身份证号码或联系电话。")
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
