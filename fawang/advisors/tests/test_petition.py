"""律师参与信访接待: the bureau registers a reception and puts practising lawyers of its city on duty; the lawyer on
duty (or the bureau) records the log; bad input is refused in Chinese and saves nothing; every write is audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.testing import new_audit_rows
from fawang.orgs.models import Membership, Practitioner
from fawang.regions.models import Region
from fawang.testing.world import world

from .. import petition
from ..models import PetitionDuty, PetitionDutyLog, PetitionPost
from .base import AdvisorsTestCase


class PetitionTestCase(AdvisorsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.bureau = world().unit("siming.bureau")
        self.supervisor = User.objects.create_user("pet-sup", kind=User.Kind.STAFF, display_name="督导")
        Membership.objects.create(user=self.supervisor, unit=self.bureau, role=Membership.Role.SUPERVISOR)
        self.lawyer = (
            self.assignment.practitioner
        )  # sm_advisor's practitioner record: a lawyer with an account
        self.day = timezone.localdate()

    def post(self) -> PetitionPost:
        return petition.add_post(
            self.bureau.pk,
            name="思明区信访局接待大厅",
            region=Region.objects.get(code="350203"),
            actor=self.supervisor,
        )

    def test_roster_and_log(self) -> None:
        with new_audit_rows() as rows:
            post = self.post()
            duty = petition.add_duty(
                post.pk,
                practitioner=self.lawyer,
                date=self.day,
                start_time=dt.time(9),
                end_time=dt.time(12),
                actor=self.supervisor,
            )
            # The lawyer on duty records the log through their own account.
            petition.log_duty(
                duty.pk,
                petition.DutyLogData(visitors=5, cases=3, to_litigation=1, to_legal_aid=1, to_mediation=1),
                actor=self.advisor,
            )
        self.assertEqual(
            [row.action for row in rows],
            ["advisors.add_petition_post", "advisors.add_petition_duty", "advisors.log_petition_duty"],
        )
        log = PetitionDutyLog.objects.get(duty=duty)
        self.assertEqual((log.visitors, log.cases, log.recorded_by), (5, 3, self.advisor))
        # The lawyer finds the turn on their own page, and its log behind it.
        self.client.force_login(self.advisor)
        mine = self.client.get(reverse("advisors:my_work"))
        self.assertContains(mine, "思明区信访局接待大厅")
        self.assertContains(mine, reverse("advisors:petition_log", args=[duty.pk]))
        self.assertEqual(self.client.get(reverse("advisors:petition_log", args=[duty.pk])).status_code, 200)
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("advisors:petition_post", args=[post.pk]))
        self.assertContains(page, self.lawyer.name)
        self.assertContains(page, '<dd id="total-visitors">5</dd>', html=False)

    def test_refusals_save_nothing(self) -> None:
        post = self.post()
        with self.assertRaisesMessage(ValidationError, "不能为已经过去的日期排班"):
            petition.add_duty(
                post.pk,
                practitioner=self.lawyer,
                date=self.day - dt.timedelta(days=1),
                start_time=dt.time(9),
                end_time=dt.time(12),
                actor=self.supervisor,
            )
        appraiser = Practitioner.objects.filter(kind=Practitioner.Kind.APPRAISER).first()
        assert appraiser is not None
        with self.assertRaisesMessage(ValidationError, "值班人员应为本市正常执业的律师"):
            petition.add_duty(
                post.pk,
                practitioner=appraiser,
                date=self.day,
                start_time=dt.time(9),
                end_time=dt.time(12),
                actor=self.supervisor,
            )
        outsider = User.objects.create_user("pet-out", kind=User.Kind.STAFF)
        with self.assertRaises(PermissionDenied):
            petition.add_duty(
                post.pk,
                practitioner=self.lawyer,
                date=self.day,
                start_time=dt.time(9),
                end_time=dt.time(12),
                actor=outsider,
            )
        self.assertFalse(PetitionDuty.objects.filter(post=post).exists())
        later = petition.add_duty(
            post.pk,
            practitioner=self.lawyer,
            date=self.day + dt.timedelta(days=2),
            start_time=dt.time(9),
            end_time=dt.time(12),
            actor=self.supervisor,
        )
        with self.assertRaisesMessage(ValidationError, "值班日尚未到"):
            petition.log_duty(later.pk, petition.DutyLogData(visitors=1), actor=self.supervisor)
        now = petition.add_duty(
            post.pk,
            practitioner=self.lawyer,
            date=self.day,
            start_time=dt.time(14),
            end_time=dt.time(17),
            actor=self.supervisor,
        )
        with self.assertRaisesMessage(ValidationError, "引导分流的件数之和不能多于"):
            petition.log_duty(
                now.pk, petition.DutyLogData(cases=1, to_legal_aid=1, to_mediation=1), actor=self.advisor
            )
        self.assertFalse(PetitionDutyLog.objects.exists())

    def test_pages(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.post(
            reverse("advisors:petition_post_new"),
            {
                "unit": self.bureau.pk,
                "name": "思明区联合接访中心",
                "region_code": "350203",
                "address": "湖滨北路",
            },
        )
        post = PetitionPost.objects.get(name="思明区联合接访中心")
        self.assertRedirects(response, reverse("advisors:petition_post", args=[post.pk]))
        add = reverse("advisors:petition_duty_add", args=[post.pk])
        bad = {"practitioner": self.lawyer.pk, "date": "明天", "start_time": "09:00", "end_time": "12:00"}
        self.assertContains(self.client.post(add, bad), "有效的日期", status_code=400)
        good = {**bad, "date": self.day.isoformat()}
        self.assertRedirects(self.client.post(add, good), reverse("advisors:petition_post", args=[post.pk]))
        duty = PetitionDuty.objects.get(post=post)
        response = self.client.post(
            reverse("advisors:petition_log", args=[duty.pk]),
            {
                "present": "on",
                "visitors": 4,
                "cases": 2,
                "to_litigation": 2,
                "to_legal_aid": 0,
                "to_mediation": 0,
            },
        )
        self.assertRedirects(response, reverse("advisors:petition_post", args=[post.pk]))
        self.assertEqual(PetitionDutyLog.objects.get(duty=duty).visitors, 4)
        self.assertContains(self.client.get(reverse("advisors:petition")), "思明区联合接访中心")
