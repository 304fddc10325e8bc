"""The notice of a 考核奖惩 decision as PDF (WeasyPrint, the project's CJK fonts by name, as fawang.matters.pdf):
the person's name and masked ID number, the facts, the basis, the deciding unit and the right to be heard."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from fawang.matters.pdf import date_cn

from .models import Decision, Subject

TITLES = {
    Decision.Kind.PRAISE: "社区矫正表扬决定书",
    Decision.Kind.ADMONITION: "社区矫正训诫决定书",
    Decision.Kind.WARNING: "社区矫正警告决定书",
    Decision.Kind.POLICE_PENALTY: "提请治安管理处罚建议书",
    Decision.Kind.REVOKE: "提请撤销缓刑、假释或收监执行建议书",
}


OPERATIVE = {
    Decision.Kind.PRAISE: "决定给予表扬",
    Decision.Kind.ADMONITION: "决定给予训诫",
    Decision.Kind.WARNING: "决定给予警告",
    Decision.Kind.POLICE_PENALTY: "决定提请公安机关依法给予治安管理处罚",
    Decision.Kind.REVOKE: "决定提请原判人民法院或者原决定机关撤销缓刑、假释或者对暂予监外执行的收监执行",
}


def decision_html(decision: Decision) -> str:
    subject = decision.subject
    return render_to_string(
        "pdf/corrections_decision.html",
        {
            "decision": decision,
            "subject": subject,
            "title": TITLES[Decision.Kind(decision.kind)],
            "operative": OPERATIVE[Decision.Kind(decision.kind)],
            "decided_on": date_cn(decision.decided_at),
            "sanction": decision.kind != Decision.Kind.PRAISE,
        },
    )


def decision_pdf(decision: Decision, request: HttpRequest) -> bytes:
    from weasyprint import HTML

    return HTML(string=decision_html(decision), base_url=request.build_absolute_uri("/")).write_pdf()


def ending_html(subject: Subject) -> str:
    """解除（终止）社区矫正通知书: what is announced (宣告) when a correction ends, for the person and the bodies told."""
    released = subject.status == Subject.Status.RELEASED
    return render_to_string(
        "pdf/corrections_ending.html",
        {
            "subject": subject,
            "title": "解除社区矫正证明书" if released else "终止社区矫正通知书",
            "released": released,
            "ended_on": (
                f"{subject.ended_on.year}年{subject.ended_on.month}月{subject.ended_on.day}日"
                if subject.ended_on
                else ""
            ),
        },
    )


def ending_pdf(subject: Subject, request: HttpRequest) -> bytes:
    from weasyprint import HTML

    return HTML(string=ending_html(subject), base_url=request.build_absolute_uri("/")).write_pdf()
