"""公示牌 print in the console: the board of a village room, or the boards of every room of a town's station in
one PDF (batch print), A4 or A3 (``?size=A3``). For the staff of the unit who hold the desk capability there."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fawang.matters.pdf import pdf_response
from fawang.orgs.models import Unit
from fawang.orgs.roles import has_capability
from fawang.orgs.web import staff_required, staff_user

from . import boards


@never_cache
@staff_required
def board_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    unit = get_object_or_404(Unit.objects.visible_to(user), pk=pk)
    if not has_capability(user, "frontdesk.desk", unit):
        raise PermissionDenied(_("您的岗位无权执行此操作。"))
    size = request.GET.get("size", "A4").upper()
    data = boards.boards_pdf(request, boards.rooms_for(unit), size)
    return pdf_response(data, f"board-{unit.pk}-{size if size in boards.SIZES else 'A4'}.pdf")
