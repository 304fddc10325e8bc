"""Shared set-up: the demo's 思明区 advisor (sm_advisor, the lawyer of the first villages of the first street), the
demo's Wednesday-morning schedule and committee contacts, and helpers that log and confirm through the actions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, ClassVar

from django.utils import timezone

from fawang.accounts.models import User
from fawang.notify.models import Message
from fawang.orgs.models import AdvisorAssignment
from fawang.test import BaseTestCase

from .. import actions
from ..models import WorkLog


class AdvisorsTestCase(BaseTestCase):
    advisor: ClassVar[User]
    assignment: ClassVar[AdvisorAssignment]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.advisor = User.objects.get(username="sm_advisor")
        assignment = (
            AdvisorAssignment.objects.current()
            .filter(practitioner__user=cls.advisor)
            .select_related("region", "room", "practitioner")
            .order_by("region_id")
            .first()
        )
        assert assignment is not None
        cls.assignment = assignment

    def log(self, day: dt.date, *, assignment: AdvisorAssignment | None = None, **counts: Any) -> WorkLog:
        a = assignment or self.assignment
        data = actions.WorkLogData(
            date=day,
            kind=counts.pop("kind", "fixed"),
            hours=Decimal(counts.pop("hours", "2")),
            **counts,
        )
        return actions.log_work(a.pk, data, actor=a.practitioner.user or self.advisor, today=day)

    @staticmethod
    def code_of(log: WorkLog) -> str:
        message = Message.objects.filter(kind="otp.advisor_confirm", related_id=str(log.pk)).latest("pk")
        found = re.search(r"确认码 (\d{6})", message.body)
        assert found is not None, message.body
        return found.group(1)

    def confirm(self, log: WorkLog, **kwargs: Any) -> WorkLog:
        return actions.confirm_work(
            log.ref, code=self.code_of(log), agree=kwargs.pop("agree", True), **kwargs
        )

    @staticmethod
    def today() -> dt.date:
        return timezone.localdate()
