"""Excel exports: one way to write a workbook (openpyxl) and to send it as a download.

Every line that offers its figures as a workbook (legal-aid statistics and payment list, hotline statistics,
mediation statistics, the advisors' subsidy sheet, the insights report) describes its sheets as rows and leaves
the writing to :func:`workbook`; the view hands the bytes to :func:`download`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, its rows top to bottom (title lines and headings included), the row (counted from
    1) whose cells are set in bold, and the widths of its first columns."""

    title: str
    rows: Iterable[Sequence[Any]]
    bold_row: int | None = None
    widths: Sequence[float] = ()


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The sheets, in order, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(str(sheet.title))
        for row in sheet.rows:
            ws.append(list(row))
        if sheet.bold_row is not None:
            for cell in ws[sheet.bold_row]:
                cell.font = Font(bold=True)
        for column, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data: bytes, filename: str) -> HttpResponse:
    """The workbook as an attachment named ``filename``; caching is the caller's to say."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
