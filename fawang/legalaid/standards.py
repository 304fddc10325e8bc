"""The means test (法律援助法 第三十四条、第四十一条): the application's household facts compared with the hardship
standard (经济困难标准) in force on the application date for the matter's region, walking up the region tree
(a town without its own standard takes its district's, then its city's, then its province's).

A standard is a fixed monthly per-capita amount, or a multiple of a reference figure (最低工资标准、最低生活保障
标准) that is itself looked up for the same region and date. ``compare`` only reads; a decision copies the result
(``Decision.standard_rule``, ``threshold``, ``per_capita``, ``comparison``), so a later change of a standard
never changes what was decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.applications.definitions import household_size, per_capita_income
from fawang.applications.models import Application
from fawang.lib import codes
from fawang.matters.models import Matter

from .models import HardshipStandard, ReferenceFigure, in_force


def chain(code: str) -> list[str]:
    """``code`` and every region above it, nearest first."""
    out: list[str] = []
    current: str | None = code
    while current:
        out.append(current)
        current = codes.parent_code(current)
    return out


def _nearest(
    rows: list[HardshipStandard] | list[ReferenceFigure],
) -> HardshipStandard | ReferenceFigure | None:
    return max(rows, key=lambda r: len(r.region_id), default=None)


def standard_on(region_code: str, on: dt.date) -> HardshipStandard | None:
    rows = list(HardshipStandard.objects.filter(in_force(on), region_id__in=chain(region_code)))
    found = _nearest(rows)
    assert found is None or isinstance(found, HardshipStandard)
    return found


def reference_on(kind: str, region_code: str, on: dt.date) -> ReferenceFigure | None:
    rows = list(ReferenceFigure.objects.filter(in_force(on), kind=kind, region_id__in=chain(region_code)))
    found = _nearest(rows)
    assert found is None or isinstance(found, ReferenceFigure)
    return found


class Result:
    EXEMPT = "exempt"  # 第三十二条、第四十二条: not checked
    MEETS = "meets"  # below the standard: 经济困难
    ABOVE = "above"
    NO_FACTS = "no_facts"
    NO_STANDARD = "no_standard"


@dataclass
class Comparison:
    on: dt.date
    region_code: str
    result: str
    text: str
    standard: HardshipStandard | None = None
    reference: ReferenceFigure | None = None
    threshold: Decimal | None = None
    per_capita: Decimal | None = None
    household: int = 0
    exemptions: list[str] = field(default_factory=list)
    pledged: bool = False

    @property
    def rule(self) -> str:
        if self.standard is None:
            return ""
        text = self.standard.rule_text()
        if self.reference is not None:
            text += _("（%(kind)s %(amount)s 元，%(doc)s）") % {
                "kind": self.reference.get_kind_display(),
                "amount": self.reference.amount,
                "doc": self.reference.document,
            }
        return text + _("；依据：%(doc)s，%(since)s起执行") % {
            "doc": self.standard.document,
            "since": self.standard.effective_from.isoformat(),
        }


def threshold_of(
    standard: HardshipStandard, region_code: str, on: dt.date
) -> tuple[Decimal | None, ReferenceFigure | None]:
    if standard.basis == HardshipStandard.Basis.FIXED:
        return standard.amount, None
    ref = reference_on(standard.reference_kind, region_code, on)
    if ref is None or standard.multiple is None:
        return None, ref
    return (ref.amount * standard.multiple).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), ref


def application_date(matter: Matter) -> dt.date:
    return timezone.localdate(matter.submitted_at)


def compare(matter: Matter, on: dt.date | None = None) -> Comparison:
    """The matter's means facts against the standard in force on the application date (or ``on``)."""
    on = on or application_date(matter)
    region = matter.region_id
    app = Application.objects.filter(matter=matter).select_related("means").first()
    means = getattr(app, "means", None) if app is not None else None
    base = Comparison(on=on, region_code=region, result=Result.NO_FACTS, text="")
    if means is not None:
        base.pledged = means.pledged
        base.exemptions = [str(label) for label in means.exemption_labels]
    if base.exemptions:
        base.result = Result.EXEMPT
        base.text = _("免予审查经济困难状况：%(grounds)s（法律援助法 第三十二条、第四十二条）。") % {
            "grounds": "、".join(base.exemptions)
        }
        return base
    members = list(app.household.all()) if app is not None else []
    per_capita = per_capita_income(means, members) if means is not None else None
    base.per_capita = per_capita
    base.household = household_size(members)
    standard = standard_on(region, on)
    base.standard = standard
    if standard is None:
        base.result = Result.NO_STANDARD
        base.text = _("%(on)s所涉区划及上级区划均无有效的经济困难标准，请先录入标准。") % {
            "on": on.isoformat()
        }
        return base
    base.threshold, base.reference = threshold_of(standard, region, on)
    if base.threshold is None:
        base.result = Result.NO_STANDARD
        base.text = _("经济困难标准参照的%(kind)s在%(on)s没有有效数额，请先录入参照标准。") % {
            "kind": ReferenceFigure.Kind(standard.reference_kind).label,
            "on": on.isoformat(),
        }
        return base
    if per_capita is None:
        base.result = Result.NO_FACTS
        base.text = _("申请未说明家庭经济状况，无法比对；请核实或请申请人作个人诚信承诺。")
        return base
    values = {"income": per_capita, "threshold": base.threshold}
    if per_capita < base.threshold:
        base.result = Result.MEETS
        base.text = _("家庭人均月收入 %(income)s 元，低于标准 %(threshold)s 元：符合经济困难条件。") % values
    else:
        base.result = Result.ABOVE
        base.text = (
            _("家庭人均月收入 %(income)s 元，不低于标准 %(threshold)s 元：不符合经济困难条件。") % values
        )
    return base
