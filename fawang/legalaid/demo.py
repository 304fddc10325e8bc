"""Legal aid's demo data (all invented): a hardship standard for 福建省 as a multiple of the minimum wage, the
minimum wage and 低保 figures it refers to, a roster for 思明区法律援助中心 from the demo's lawyers of 思明区, and
subsidy rates. Idempotent and fast (every test database loads it)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from fawang.orgs.models import Practitioner, Unit

from .models import (
    AidLawyer,
    DutyStation,
    HardshipStandard,
    NotifyingPartner,
    Organ,
    ReferenceFigure,
    SubsidyRate,
)

DEMO_DOC = "演示数据：福建省法律援助经济困难标准（示例）"
SINCE = dt.date(2024, 1, 1)


def load_line_demo() -> None:
    if HardshipStandard.objects.exists():
        return
    ReferenceFigure.objects.bulk_create(
        [
            ReferenceFigure(
                kind="min_wage",
                region_id="35",
                amount=Decimal("1800"),
                effective_from=SINCE,
                document="演示数据：月最低工资标准（示例）",
            ),
            ReferenceFigure(
                kind="min_wage",
                region_id="3502",
                amount=Decimal("2030"),
                effective_from=SINCE,
                document="演示数据：厦门市月最低工资标准（示例）",
            ),
            ReferenceFigure(
                kind="dibao",
                region_id="3502",
                amount=Decimal("1030"),
                effective_from=SINCE,
                document="演示数据：厦门市最低生活保障标准（示例）",
            ),
        ]
    )
    HardshipStandard.objects.create(
        region_id="35",
        basis="multiple",
        reference_kind="min_wage",
        multiple=Decimal("1"),
        effective_from=SINCE,
        document=DEMO_DOC,
    )
    SubsidyRate.objects.bulk_create(
        [
            SubsidyRate(
                region_id="3502",
                case_type=kind,
                amount=Decimal(amount),
                effective_from=SINCE,
                document="演示数据：厦门市法律援助办案补贴标准（示例）",
            )
            for kind, amount in (
                ("civil", "2000"),
                ("criminal", "2500"),
                ("administrative", "2000"),
                ("non_litigation", "800"),
            )
        ]
    )
    centre = Unit.objects.filter(kind=Unit.Kind.LEGAL_AID, name="思明区法律援助中心").first()
    if centre is None:
        return
    lawyers = list(
        Practitioner.objects.filter(
            kind=Practitioner.Kind.LAWYER,
            unit__kind=Unit.Kind.LAW_FIRM,
            unit__region__code__startswith="350203",
        ).order_by("unit_id", "licence_no")[:6]
    )
    _firm_accounts(sorted({p.unit for p in lawyers if p.unit is not None}, key=lambda u: u.pk))
    AidLawyer.objects.bulk_create(
        [
            AidLawyer(
                centre=centre,
                practitioner=p,
                criminal_since=dt.date(2012, 3, 1) if i % 2 == 0 else dt.date(2024, 6, 1),
            )
            for i, p in enumerate(lawyers)
        ]
    )
    # 值班律师 stations (第十四条) and the court that notifies cases through the signed API (第二十五条); its
    # secret is random: set a known one in the shell to try the API.
    DutyStation.objects.bulk_create(
        [
            DutyStation(centre=centre, kind=DutyStation.Kind.COURT, name="思明区人民法院法律援助工作站"),
            DutyStation(centre=centre, kind=DutyStation.Kind.DETENTION, name="厦门市看守所法律援助工作站"),
        ]
    )
    NotifyingPartner.objects.create(
        name="厦门市思明区人民法院",
        kind=Organ.COURT,
        centre=centre,
        key_id="sm-court",
        secret=secrets.token_urlsafe(32),
    )


def _firm_accounts(firms: list[Unit]) -> None:
    """One handler account per law firm on the roster (sm_firm1, sm_firm2 ...): the firm's own console, where it
    sees and accepts the cases assigned to it."""
    from fawang.accounts.models import User
    from fawang.orgs.demo import demo_password_hash
    from fawang.orgs.models import Membership

    for i, firm in enumerate(firms, 1):
        user = User.objects.filter(username=f"sm_firm{i}").first()
        if user is None:
            user = User(
                username=f"sm_firm{i}",
                display_name=f"{firm.name[:6]}承办律师",
                kind=User.Kind.STAFF,
                is_demo=True,
            )
            user.password = demo_password_hash()
            user.save()
        Membership.objects.get_or_create(
            user=user, unit=firm, role=Membership.Role.HANDLER, defaults={"title": "法律援助承办"}
        )
