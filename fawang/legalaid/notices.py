"""法律援助 (legal aid) on the shared matter workflow: the decisions the person is told in the words of the 法律援助法
(给予 / 不予法律援助, with the way to object, 第四十九条), and the notes of law on its printed notices."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fawang.catalog.models import BusinessLine
from fawang.matters import pdf
from fawang.matters.lines import Line
from fawang.matters.models import Matter, MatterEvent

ITEM = "legal_aid"  # the service item of an application for legal aid (the line has others, e.g. 咨询)


def is_legal_aid(matter: Matter) -> bool:
    return matter.service_item.business_line == BusinessLine.LEGAL_AID


def person_text(kind: str, matter: Matter, event: MatterEvent | None, ref: str) -> str | None:
    if matter.service_item.code != ITEM:
        return None
    unit = matter.unit.name
    if kind == "matter.accepted":
        return _("%(ref)s经审查，%(unit)s决定给予法律援助，将指派法律援助人员为您提供服务。") % {
            "ref": ref,
            "unit": unit,
        }
    if kind == "matter.rejected":
        return _(
            "%(ref)s经审查，%(unit)s决定不予法律援助。理由：%(reason)s 如有异议，可以向设立该法律援助机构的"
            "司法行政部门提出（法律援助法 第四十九条）。"
        ) % {"ref": ref, "unit": unit, "reason": event.note if event else ""}
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
