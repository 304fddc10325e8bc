"""Demo data of people's mediation: the committees' kinds (town, or professional for the city's medical committee)
and their mediators' particulars (the first of each committee full-time). Idempotent and quick. No sign-ins are
added here: the demo's accounts are fawang.orgs.demo's (test_demo_accounts lists them all)."""

from __future__ import annotations

from django.db import transaction

from fawang.orgs.models import Practitioner, Unit
from fawang.regions.models import Region

from .choices import CommitteeKind, Employment
from .models import CommitteeProfile, MediatorProfile


@transaction.atomic
def load_line_demo() -> None:
    committees = list(Unit.objects.filter(kind=Unit.Kind.MEDIATION).select_related("region"))
    known = set(CommitteeProfile.objects.values_list("unit_id", flat=True))
    CommitteeProfile.objects.bulk_create(
        CommitteeProfile(
            unit=u,
            kind=CommitteeKind.TOWN if u.region.level == Region.Level.TOWN else CommitteeKind.PROFESSION,
            field="" if u.region.level == Region.Level.TOWN else "医疗",
        )
        for u in committees
        if u.pk not in known
    )
    mediators = Practitioner.objects.filter(kind=Practitioner.Kind.MEDIATOR).order_by("unit_id", "pk")
    have = set(MediatorProfile.objects.values_list("practitioner_id", flat=True))
    seen: set[int | None] = set()
    rows = []
    for m in mediators:
        first = m.unit_id not in seen
        seen.add(m.unit_id)
        if m.pk not in have:
            rows.append(
                MediatorProfile(
                    practitioner=m,
                    employment=Employment.FULL_TIME if first else Employment.PART_TIME,
                    training_hours=24 if first else 8,
                )
            )
    MediatorProfile.objects.bulk_create(rows)
