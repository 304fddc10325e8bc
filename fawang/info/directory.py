"""The public directory of units and practitioners with 信用信息公开: the one door for public reads of both.

Only what is public leaves here. A practitioner is listed when ``is_public`` is set; what the public see of them
is name, kind, practising unit, licence number and status, first licensing date, specialities, and the credit
records (表彰奖励, 行政处罚/行业惩戒) marked public. Never their phone, gender, system account or an internal
(``is_public=False``) credit record: the templates and serializers read only the fields named in PUBLIC_FIELDS,
and credit records come only from ``public_credit``.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from fawang.lib import codes
from fawang.orgs.models import CreditRecord, Practitioner, Speciality, Unit
from fawang.regions.models import Region

# The kinds of unit the directory lists: the ones with practitioners and public credit information.
DIRECTORY_KINDS: tuple[str, ...] = (
    Unit.Kind.LAW_FIRM,
    Unit.Kind.NOTARY,
    Unit.Kind.APPRAISAL,
    Unit.Kind.LEGAL_AID,
    Unit.Kind.MEDIATION,
    Unit.Kind.GRASSROOTS,
)

# The practitioner fields the directory may read (everything else on the model is internal or personal).
PUBLIC_FIELDS = ("id", "name", "kind", "licence_no", "licence_status", "licensed_on", "unit_id")


def public_credit() -> QuerySet[CreditRecord]:
    """Credit records for 信用信息公开: the public ones only, newest first."""
    return CreditRecord.objects.filter(is_public=True).order_by("-decided_on", "-pk")


def unit_credit(unit: Unit) -> list[CreditRecord]:
    """The public credit records of a unit with a credit file of its own (Unit.has_credit_file); [] for others."""
    return list(public_credit().filter(unit=unit)) if unit.has_credit_file else []


def _unit_count(kind: str) -> Coalesce:
    # A subquery, not Count(): a second Count over another relation beside the practitioners' would multiply both.
    rows = (
        public_credit()
        .order_by()
        .filter(unit=OuterRef("pk"), kind=kind)
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def public_practitioners() -> QuerySet[Practitioner]:
    """Practitioners shown in the directory, with the counts of their public rewards and penalties."""
    public = Q(credit_records__is_public=True)
    return (
        Practitioner.objects.public()
        .only(*PUBLIC_FIELDS, "unit__name", "unit__kind", "unit__is_active", "unit__region_id")
        .select_related("unit")
        .prefetch_related(Prefetch("specialities", queryset=Speciality.objects.order_by("order", "code")))
        .annotate(
            rewards=Count("credit_records", filter=public & Q(credit_records__kind=CreditRecord.Kind.REWARD)),
            penalties=Count(
                "credit_records", filter=public & Q(credit_records__kind=CreditRecord.Kind.PENALTY)
            ),
        )
    )


def filter_practitioners(
    region: Region | None = None,
    kind: str = "",
    speciality: Speciality | None = None,
    status: str = "",
    q: str = "",
) -> QuerySet[Practitioner]:
    qs = public_practitioners()
    if region is not None:
        qs = qs.filter(codes.under("unit__region_id", region.code))
    if kind:
        qs = qs.filter(kind=kind)
    if speciality is not None:
        qs = qs.filter(specialities=speciality)
    if status:
        qs = qs.filter(licence_status=status)
    if q:
        # 信用信息查询 by name, licence number or practising unit.
        qs = qs.filter(Q(name__contains=q) | Q(licence_no__iexact=q) | Q(unit__name__contains=q))
    return qs.order_by("kind", "name", "pk")


def get_public_practitioner(pk: int) -> Practitioner:
    """The same 404 for a practitioner that does not exist and one not shown in the directory."""
    return get_object_or_404(
        public_practitioners().prefetch_related(
            Prefetch("credit_records", queryset=public_credit(), to_attr="public_records")
        ),
        pk=pk,
    )


def directory_units(
    region: Region | None = None, kind: str = "", speciality: Speciality | None = None
) -> QuerySet[Unit]:
    """Active units of the directory kinds, with the number of their public practitioners and of their own public
    rewards and penalties."""
    qs = Unit.objects.active().filter(kind__in=[kind] if kind else DIRECTORY_KINDS)
    if region is not None:
        qs = qs.filter(codes.under("region_id", region.code))
    if speciality is not None:
        qs = qs.filter(
            pk__in=Practitioner.objects.public()
            .filter(specialities=speciality, unit__isnull=False)
            .values("unit_id")
        )
    return (
        qs.select_related("region")
        .annotate(
            public_practitioners=Count("practitioners", filter=Q(practitioners__is_public=True)),
            rewards=_unit_count(CreditRecord.Kind.REWARD),
            penalties=_unit_count(CreditRecord.Kind.PENALTY),
        )
        .order_by("region_id", "kind", "name", "pk")
    )


def unit_practitioners(unit: Unit) -> list[Practitioner]:
    """The public practitioners of one unit, for its public page (name, licence, status, credit counts)."""
    # One query: the unit's table shows no specialities, so their prefetch is dropped.
    return list(
        public_practitioners().prefetch_related(None).filter(unit=unit).order_by("kind", "name", "pk")
    )


def shown_unit(p: Practitioner) -> Unit | None:
    """The practising unit when it has a public page (read from select_related, no query)."""
    unit = p.unit
    return unit if unit is not None and unit.is_active and unit.kind != Unit.Kind.HOTLINE else None
