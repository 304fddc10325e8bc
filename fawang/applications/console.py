"""What staff see of an online application: the facts panel on the matter detail (a template tag, so the
matters template needs one include line), and 查看完整信息, which shows the full ID number and phone numbers
for one response and writes the access log (个人信息保护法), as the person block of the matter does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from fawang.lib.validators import mask_name
from fawang.matters.forms import RevealForm
from fawang.matters.permissions import can_reveal

from .access import application_of_matter
from .actions import id_number_pending
from .definitions import FULL, MASKED, MeansStep, definition_for, per_capita_income
from .models import Application

if TYPE_CHECKING:
    from fawang.accounts.models import User
    from fawang.matters.models import Matter


def facts_panel(user: User, matter: Matter) -> dict[str, Any]:
    """The context of the application's panel on the staff matter page (masked)."""
    return facts_context(user, application_of_matter(matter))


def facts_context(user: User, app: Application | None, *, revealed: bool = False) -> dict[str, Any]:
    if app is None or app.matter is None:
        return {"application": None}
    matter = app.matter
    definition = definition_for(app.service_item)
    sections = definition.sections(app, disclose=FULL if revealed else MASKED) if definition else []
    warnings = []
    if id_number_pending(app, matter.person):
        # The applicant stated an ID number another record holds and has not proved it theirs (issue 13).
        warnings.append(
            _(
                "申请人填写的身份证号码已登记在另一服务对象档案下，申请人尚未证明是本人（登记手机号码验证码或"
                "窗口核验）。本事项暂记在申请人账号的档案下，请核实申请人身份证件后合并档案。"
            )
        )
    elif app.applicant_name and matter.person.name != app.applicant_name:
        # The item needs the ID number, and a person with it was registered before under another name: the
        # online claim changed nothing there, staff check the identity (and may link the account).
        warnings.append(
            _("申请人姓名与已登记的同一身份证号码的服务对象（%(name)s）不一致，请核实申请人身份。")
            % {"name": mask_name(matter.person.name)}
        )
    means = MeansStep.means_of(app) if definition and definition.means else None
    return {
        "application": app,
        "matter": matter,
        "sections": sections,
        "warnings": warnings,
        "per_capita": per_capita_income(means, list(app.household.all())) if means else None,
        "revealed": revealed,
        "can_reveal": can_reveal(user, matter),
        "reveal_form": RevealForm(auto_id="app_reveal_%s"),
    }
