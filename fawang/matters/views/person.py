"""A person's history of matters, and the reveal of their full details (access-logged)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fawang.accounts.models import User
from fawang.calendar.workdays import snapshot
from fawang.lib.http import client_ip
from fawang.lib.validators import mask_name
from fawang.orgs.web import staff_required, staff_user

from .. import actions
from ..access import (
    get_person_for_user,
)
from ..forms import (
    RevealForm,
)
from ..listing import (
    decorate_rows,
    for_list,
)
from ..models import (
    Matter,
    Person,
)
from ..permissions import can_reveal
from .common import (
    PER_PAGE,
)


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
