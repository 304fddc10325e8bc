"""Demo data of the appraisal line: the licensed categories of the demo's 厦门市司法鉴定所 (法医临床、法医物证、文书、
声像资料 — no 环境损害, so a request of that category shows that no institution of the city may take it) and of
its three appraisers, recorded through the actions by the system administrator."""

from __future__ import annotations

from fawang.accounts.models import User
from fawang.orgs.models import Practitioner, Unit

from . import actions
from .models import Category, InstitutionCategory

INSTITUTION = (
    Category.FORENSIC_CLINICAL,
    Category.FORENSIC_GENETICS,
    Category.DOCUMENTS,
    Category.AUDIO_VISUAL,
)
APPRAISERS = (
    (Category.FORENSIC_CLINICAL, Category.FORENSIC_GENETICS),
    (Category.DOCUMENTS,),
    (Category.AUDIO_VISUAL,),
)


def load_line_demo() -> None:
    actor = User.objects.filter(username="sysadmin").first()
    unit = Unit.objects.filter(kind=Unit.Kind.APPRAISAL, region_id="3502").order_by("pk").first()
    if actor is None or unit is None or InstitutionCategory.objects.filter(unit=unit).exists():
        return
    actions.set_institution_categories(unit.pk, INSTITUTION, actor=actor)
    people = Practitioner.objects.filter(unit=unit, kind=Practitioner.Kind.APPRAISER).order_by("pk")
    for person, categories in zip(people, APPRAISERS, strict=False):
        actions.set_appraiser_categories(person.pk, categories, actor=actor)
