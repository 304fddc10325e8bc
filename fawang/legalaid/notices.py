"""法律援助 (legal aid) on the shared matter workflow: the decisions the person is told in the words of the 法律援助法
(给予 / 不予法律援助, with the way to object, 第四十九条), and the notes of law on its printed notices."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fawang.catalog.models import BusinessLine
from fawang.matters import pdf
from fawang.matters.lines import Line
from fawang.matters.models import Matter, MatterEvent

ITEM = "legal_aid"  # the service item of an application for legal aid (the line has others, e.g. 咨询)


def is_legal_aid(matter: Matter) -> bool:
    return matter.service_item.business_line == BusinessLine.LEGAL_AID


def _notice_link(matter: Matter) -> str:
    """Where the person downloads the latest decision notice (their own page), when there is one."""
    decision = matter.aid_decisions.order_by("-decided_at", "-pk").first()
    if decision is None:
        return ""
    url = reverse("aid_me:decision_pdf", args=[decision.pk])
    return _("决定书（%(no)s）：%(url)s") % {"no": decision.number, "url": url}


def person_text(kind: str, matter: Matter, event: MatterEvent | None, ref: str) -> str | None:
    if matter.service_item.code != ITEM:
        return None
    unit = matter.unit.name
    notified = getattr(matter, "aid_notification", None) if kind == "matter.accepted" else None
    if notified is not None:
        return _(
            "%(ref)s：%(unit)s已收到%(organ)s的通知，将指派律师为您提供法律援助（法律援助法 第二十五条）。"
        ) % {
            "ref": ref,
            "unit": unit,
            "organ": notified.organ_name,
        }
    if kind == "matter.accepted":
        return _("%(ref)s经审查，%(unit)s决定给予法律援助，将指派法律援助人员为您提供服务。") % {
            "ref": ref,
            "unit": unit,
        } + _notice_link(matter)
    if kind == "matter.rejected":
        return _(
            "%(ref)s经审查，%(unit)s决定不予法律援助。理由：%(reason)s 如有异议，可以向设立该法律援助机构的"
            "司法行政部门提出（法律援助法 第四十九条）。"
        ) % {"ref": ref, "unit": unit, "reason": event.note if event else ""} + _notice_link(matter)
    if kind == "legalaid.assigned" and event is not None:
        return _("%(ref)s已指派%(firm)s%(name)s为您提供法律援助，承办人将与您联系。") % {
            "ref": ref,
            "firm": event.payload.get("firm", ""),
            "name": event.payload.get("lawyer", ""),
        }
    if kind == "legalaid.terminated":
        return _(
            "%(ref)s：%(unit)s决定终止法律援助。理由：%(reason)s 如有异议，可以向设立该法律援助机构的"
            "司法行政部门提出（法律援助法 第四十九条）。"
        ) % {"ref": ref, "unit": unit, "reason": event.note if event else ""} + _notice_link(matter)
    if kind == "legalaid.objection_maintained":
        return _(
            "%(ref)s：您提出的异议经审查，维持法律援助机构的决定。意见：%(note)s 对此不服的，可以依法申请行政复议"
            "或者提起行政诉讼。"
        ) % {"ref": ref, "note": event.note if event else ""}
    return None


def notice_notes(template: str, matter: Matter) -> list[str]:
    if template == pdf.RESULT:
        return [
            _(
                "对法律援助机构不予法律援助、终止法律援助的决定有异议的，可以向设立该法律援助机构的司法行政部门提出"
                "（《中华人民共和国法律援助法》第四十九条）。"
            )
        ]
    if template == pdf.MATERIALS:
        return [_("依据：《中华人民共和国法律援助法》第四十三条第二款。")]
    return []


LINE = Line(BusinessLine.LEGAL_AID, is_legal_aid, person_text=person_text, notice_notes=notice_notes)
