"""人民调解协议书 as a PDF for signing (人民调解法 第二十九条): the parties' particulars, the main facts and the
matters in dispute, the rights and obligations agreed, how, where and by when they are performed, and boxes for
each party's signature and fingerprint (签名、按指印), the mediator's signature and the committee's seal. The same
WeasyPrint set-up and CJK fonts as the notices (fawang/matters/pdf.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from .models import Agreement

if TYPE_CHECKING:
    from django.http import HttpRequest

TEMPLATE = "mediation/agreement_pdf.html"


def agreement_html(agreement: Agreement) -> str:
    case = agreement.case
    return render_to_string(
        TEMPLATE,
        {
            "agreement": agreement,
            "case": case,
            "unit": case.unit,
            "parties": list(case.parties.all()),
            "mediators": [
                m.mediator for m in case.mediators.filter(recused_at__isnull=True).select_related("mediator")
            ],
        },
    )


def agreement_pdf(agreement: Agreement, request: HttpRequest) -> bytes:
    from weasyprint import HTML

    return HTML(string=agreement_html(agreement), base_url=request.build_absolute_uri("/")).write_pdf()
