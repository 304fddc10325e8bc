from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

from django.utils import timezone

from fawang.accounts.models import User
from fawang.applications import actions as app_actions
from fawang.applications.tests.base import ApplicationTestCase
from fawang.matters.models import Matter
from fawang.orgs.models import Membership, Practitioner, Unit
from fawang.testing.world import world

from ..models import AidLawyer


def pdf_text(data: bytes) -> str:
    found = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return found.stdout.decode()


class LegalAidTestCase(ApplicationTestCase):
    centre: Unit

    def setUp(self) -> None:
        super().setUp()
        self.centre = world().unit("siming.legal_aid")

    def apply(self, user: User | None = None) -> Matter:
        """A citizen's online legal-aid application with its means facts (per capita 450 元), submitted."""
        applicant = user or self.user
        own, self.user = self.user, applicant  # fill_legal_aid acts as self.user
        try:
            app = self.fill_legal_aid(self.start(user=applicant))
            result = app_actions.do_submit_application(app.pk, actor=applicant, pledge=True)
        finally:
            self.user = own
        return Matter.objects.select_related("unit", "service_item", "person").get(pk=result.matter.pk)

    def roster(self) -> list[AidLawyer]:
        return list(
            AidLawyer.objects.filter(centre=self.centre).select_related("practitioner__unit").order_by("pk")
        )

    def firm_user(self, firm: Unit, role: str = Membership.Role.HANDLER, name: str = "") -> User:
        user = User.objects.create_user(name or f"firm-{firm.pk}-{role}", kind=User.Kind.STAFF)
        Membership.objects.create(user=user, unit=firm, role=role)
        return user

    @staticmethod
    def tomorrow() -> dt.date:
        return timezone.localdate() + dt.timedelta(days=1)

    @staticmethod
    def make_lawyer(firm: Unit, licence: str, **kw: Any) -> Practitioner:
        return Practitioner.objects.create(
            name="测试律师", kind=Practitioner.Kind.LAWYER, unit=firm, licence_no=licence, **kw
        )
