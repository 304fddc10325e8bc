"""Editing committees and mediators at the console: who may (a committee its own, the 司法所 its town's, the 司法局 its
region's), what is kept (kind, staffing figures, mediators full- or part-time, training records), what is computed
(cases handled), and the audit trail."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.orgs.models import Practitioner

from .. import actions
from ..models import CommitteeProfile, MediatorProfile, TrainingRecord
from .base import MediationTestCase

EDIT = {
    "committee-kind": "town",
    "committee-time_limit_days": "20",
    "committee-members": "7",
    "committee-full_time_posts": "3",
}


class CommitteeEditingTestCase(MediationTestCase):
    def test_who_edits_which_committee(self) -> None:
        for user, committee, code in (
            (self.mediator_user, self.committee, 302),  # its own
            (self.mediator_user, self.sibling, 404),
            (self.office_user, self.committee, 302),  # the 司法所 of its town
            (self.office_user, self.sibling, 404),
            (self.sm_supervisor, self.sibling, 302),  # the 司法局 of its region
            (self.hl_supervisor, self.committee, 404),
            (self.sm_clerk, self.committee, 404),
            (self.citizen, self.committee, 404),
        ):
            self.client.force_login(user)
            response = self.client.post(reverse("mediation:committee_edit", args=[committee.pk]), EDIT)
            self.assertEqual(response.status_code, code, (user, committee))
        profile = CommitteeProfile.objects.get(unit=self.committee)
        self.assertEqual((profile.time_limit_days, profile.members, profile.full_time_posts), (20, 7, 3))

    def test_an_edit_is_audited_with_what_changed(self) -> None:
        before = CommitteeProfile.objects.get(unit=self.committee)
        self.client.force_login(self.office_user)
        self.client.post(reverse("mediation:committee_edit", args=[self.committee.pk]), EDIT)
        entry = AuditEvent.objects.get(action="mediation.committee")
        self.assertEqual(entry.unit_id, self.committee.pk)
        self.assertEqual(entry.after, {"time_limit_days": 20, "members": 7, "full_time_posts": 3})
        self.assertEqual(entry.before["time_limit_days"], before.time_limit_days)
        # The same values again change nothing and write no row.
        self.client.post(reverse("mediation:committee_edit", args=[self.committee.pk]), EDIT)
        self.assertEqual(AuditEvent.objects.filter(action="mediation.committee").count(), 1)
        # A new case takes the committee's own time limit.
        case = self.new_case()
        self.assertEqual(case.due_on, self.today() + dt.timedelta(days=20))

    def test_bad_figures_are_refused_and_nothing_changes(self) -> None:
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:committee_edit", args=[self.committee.pk]),
            EDIT | {"committee-members": "2", "committee-kind": "profession"},
        )
        self.assertContains(
            response, "人民调解委员会由委员三至九人组成（人民调解法 第八条）。", status_code=400
        )
        before = CommitteeProfile.objects.get(unit=self.committee)
        self.assertNotEqual(before.members, 2)
        response = self.client.post(
            reverse("mediation:committee_edit", args=[self.committee.pk]),
            EDIT | {"committee-kind": "profession"},
        )
        self.assertContains(response, "行业性、专业性调委会请填写专业领域。", status_code=400)
        self.assertEqual(CommitteeProfile.objects.get(unit=self.committee).kind, before.kind)

    def test_supervisors_see_but_a_clerk_may_not_edit(self) -> None:
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("mediation:committee", args=[self.committee.pk]))
        self.assertContains(page, "编辑调委会信息")
        self.client.force_login(self.sm_clerk)
        self.assertEqual(
            self.client.get(reverse("mediation:committee", args=[self.committee.pk])).status_code, 404
        )


class MediatorEditingTestCase(MediationTestCase):
    def test_adding_a_mediator_training_and_cases_handled(self) -> None:
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:mediator_add", args=[self.committee.pk]),
            {"mediator-name": "林新", "mediator-employment": "full_time", "mediator-phone": "13900005555"},
        )
        mediator = Practitioner.objects.get(name="林新", unit=self.committee)
        self.assertRedirects(response, reverse("mediation:mediator", args=[mediator.pk]))
        self.assertEqual(mediator.kind, Practitioner.Kind.MEDIATOR)
        self.assertEqual(MediatorProfile.objects.get(practitioner=mediator).employment, "full_time")
        for day, hours, subject in (
            (self.today() - dt.timedelta(days=40), 8, "人民调解法"),
            (self.today() - dt.timedelta(days=3), 4, "婚姻家庭纠纷调解技巧"),
        ):
            response = self.client.post(
                reverse("mediation:mediator_training", args=[mediator.pk]),
                {
                    "training-trained_on": day.isoformat(),
                    "training-hours": hours,
                    "training-subject": subject,
                },
            )
            self.assertEqual(response.status_code, 302)
        profile = MediatorProfile.objects.get(practitioner=mediator)
        self.assertEqual(
            (profile.training_hours, profile.last_trained_on), (12, self.today() - dt.timedelta(days=3))
        )
        self.assertEqual(TrainingRecord.objects.filter(practitioner=mediator).count(), 2)
        # Two cases, one with an agreement; a third the mediator withdrew from does not count.
        for _n in range(3):
            case = self.new_case()
            actions.assign_mediator(case.pk, actor=self.mediator_user, mediator_id=mediator.pk)
        actions.recuse(
            case.pk, actor=self.mediator_user, mediator_id=mediator.pk, reason="与当事人有亲属关系"
        )
        self.assertEqual(actions.cases_handled([mediator.pk]), {mediator.pk: (2, 0)})
        page = self.client.get(reverse("mediation:mediator", args=[mediator.pk]))
        self.assertContains(page, "2 件，其中调解成功 0 件")
        self.assertContains(page, "婚姻家庭纠纷调解技巧")
        self.assertEqual(
            list(
                AuditEvent.objects.filter(
                    target_id=str(mediator.pk), action__in=["mediation.mediator", "mediation.training"]
                )
                .order_by("pk")
                .values_list("action", flat=True)
            ),
            ["mediation.mediator", "mediation.training", "mediation.training"],
        )

    def test_editing_a_mediator_and_the_staffing_figures(self) -> None:
        self.client.force_login(self.sm_supervisor)
        self.client.post(reverse("mediation:committee_edit", args=[self.committee.pk]), EDIT)
        mediators = Practitioner.objects.filter(unit=self.committee, kind=Practitioner.Kind.MEDIATOR)
        for mediator in mediators:
            response = self.client.post(
                reverse("mediation:mediator_edit", args=[mediator.pk]),
                {
                    "mediator-name": mediator.name,
                    "mediator-gender": mediator.gender,
                    "mediator-phone": mediator.phone,
                    "mediator-employment": "part_time",
                },
            )
            self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("mediation:committee", args=[self.committee.pk]))
        self.assertContains(page, "专职不足")
        staffing = page.context["full_time"], page.context["part_time"], page.context["total"]
        self.assertEqual(staffing, (0, mediators.count(), mediators.count()))
        entry = AuditEvent.objects.filter(action="mediation.mediator").order_by("pk").first()
        assert entry is not None
        self.assertEqual(entry.after, {"employment": "part_time"})

    def test_bad_input_and_other_committees(self) -> None:
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:mediator_training", args=[self.m1.pk]),
            {
                "training-trained_on": (self.today() + dt.timedelta(days=1)).isoformat(),
                "training-hours": "4",
                "training-subject": "培训",
            },
        )
        self.assertContains(response, "培训日期不能晚于今天。", status_code=400)
        self.assertContains(response, 'value="培训"', status_code=400)
        sibling_mediator = Practitioner.objects.filter(unit=self.sibling, kind=Practitioner.Kind.MEDIATOR)[0]
        response = self.client.post(
            reverse("mediation:mediator_edit", args=[sibling_mediator.pk]),
            {"mediator-name": "改名", "mediator-employment": "part_time"},
        )
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.office_user)
        response = self.client.post(
            reverse("mediation:mediator_add", args=[self.office.pk]),
            {"mediator-name": "所里人", "mediator-employment": "part_time"},
        )
        self.assertEqual(response.status_code, 404)  # a 司法所 is not a committee
