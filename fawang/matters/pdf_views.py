"""Staff PDF notices of a matter: the matter is fetched through access.get_matter_for_user, so a matter
outside the user's regions is the same 404 as one that does not exist. Any staff member who may see the
matter may print its notices (printing is handing the person what the system already says)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from fawang.orgs.web import staff_required, staff_user

from . import pdf
from .access import get_matter_for_user


@require_GET
@staff_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    return pdf.pdf_response(pdf.receipt_pdf(matter, request), f"receipt-{matter.tracking_no}.pdf")


@require_GET
@staff_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    if not pdf.has_result(matter):
        raise Http404("该事项尚未办结，没有办结告知书。")
    return pdf.pdf_response(pdf.result_pdf(matter, request), f"result-{matter.tracking_no}.pdf")


@require_GET
@staff_required
def materials(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_matter_for_user(staff_user(request), pk)
    event = pdf.materials_request(matter)
    if event is None:
        raise Http404("该事项没有补正材料告知。")
    return pdf.pdf_response(pdf.materials_pdf(matter, event, request), f"materials-{matter.tracking_no}.pdf")
