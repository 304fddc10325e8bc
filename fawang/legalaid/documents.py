"""The printed notices of legal aid (WeasyPrint, on the layout of fawang/matters/pdf.py): 给予 / 不予 / 终止法律援助
决定书 with the way to object (法律援助法 第四十三条、第四十八条、第四十九条) and the 指派通知书 to the firm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from fawang.matters import pdf

from .models import Assignment, Decision, Notification

if TYPE_CHECKING:
    from django.http import HttpRequest

DECISION = "legalaid/pdf/decision.html"
ASSIGNMENT = "legalaid/pdf/assignment.html"
NOTIFICATION_LETTER = "legalaid/pdf/notification_letter.html"
TITLES = {
    Decision.Kind.GRANT: "给予法律援助决定书",
    Decision.Kind.REFUSE: "不予法律援助决定书",
    Decision.Kind.TERMINATE: "终止法律援助决定书",
}


def decision_title(decision: Decision) -> str:
    return _(TITLES[Decision.Kind(decision.kind)])


def decision_pdf(decision: Decision, request: HttpRequest) -> bytes:
    return pdf.render_document(
        DECISION,
        decision.matter,
        request,
        decision=decision,
        title=decision_title(decision),
        decided_on=pdf.date_cn(decision.decided_at),
    ).write_pdf()


def assignment_pdf(assignment: Assignment, request: HttpRequest) -> bytes:
    return pdf.render_document(
        ASSIGNMENT,
        assignment.matter,
        request,
        assignment=assignment,
        assigned_on=pdf.date_cn(assignment.assigned_at),
    ).write_pdf()


def notification_letter_pdf(
    notification: Notification, assignment: Assignment, request: HttpRequest
) -> bytes:
    """指派律师通知书 to the court, procuratorate or police organ that notified the case (第三十六条)."""
    return pdf.render_document(
        NOTIFICATION_LETTER,
        notification.matter,
        request,
        notification=notification,
        assignment=assignment,
        received_on=pdf.date_cn(notification.received_at),
        assigned_on=pdf.date_cn(assignment.assigned_at),
    ).write_pdf()
