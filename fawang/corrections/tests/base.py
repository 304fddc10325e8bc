"""Shared set-up of the corrections tests: the test world's corrections officer at 厦港街道司法所 (sm_corrections), the
思明区司法局 supervisor (sm_supervisor), a fixed working week, and a file taken over and reported in."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone

from fawang.accounts.models import User
from fawang.lib.validators import id_check_digit
from fawang.orgs.models import Membership, Unit
from fawang.test import BaseTestCase
from fawang.testing.world import world

from .. import actions
from ..models import Subject

TZ = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


MONDAY = at(2025, 3, 3)  # an ordinary working week


def id_number(born: str = "19850312", seq: str = "231", region: str = "350203") -> str:
    first17 = f"{region}{born}{seq}"
    return first17 + id_check_digit(first17)


class CorrectionsTestCase(BaseTestCase):
    office: ClassVar[Unit]
    bureau: ClassVar[Unit]
    officer: ClassVar[User]
    bureau_officer: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.office = world().unit("siming.xiagang.office")
        cls.bureau = world().unit("siming.bureau")
        cls.officer = User.objects.get(username="sm_corrections")
        cls.bureau_officer = User.objects.create_user("sm_bureau_corrections", kind=User.Kind.STAFF)
        Membership.objects.create(
            user=cls.bureau_officer, unit=cls.bureau, role=Membership.Role.CORRECTIONS_OFFICER
        )

    def data(self, **overrides: Any) -> actions.TakeoverData:
        fields: dict[str, Any] = {
            "name": "陈建华",
            "gender": Subject.Gender.MALE,
            "id_number": id_number(),
            "phone": "13912340000",
            "address": "厦门市思明区厦港街道示例路 8 号",
            "correction_type": "probation",
            "document_kind": "judgment",
            "document_no": "（2025）闽0203刑初101号",
            "decided_by": "厦门市思明区人民法院",
            "crime": "危险驾驶罪",
            "effective_on": dt.date(2025, 2, 24),
            "term_start": dt.date(2025, 2, 24),
            "term_end": dt.date(2025, 8, 23),
            "prohibition": "禁止进入酒吧、夜总会等娱乐场所",
        }
        fields.update(overrides)
        return actions.TakeoverData(**fields)

    def take_over(self, **overrides: Any) -> Subject:
        return actions.do_take_over(
            self.data(**overrides), office_id=self.office.pk, actor=self.officer, at=MONDAY
        )

    def supervised(self, **overrides: Any) -> Subject:
        subject = self.take_over(**overrides)
        actions.do_report(subject.pk, where="bureau", actor=self.officer, at=MONDAY)
        return actions.do_report(subject.pk, where="office", actor=self.officer, at=MONDAY)
