"""Warnings raised directly by a 司法所 or a 司法局's supervisor (not from a screening finding), and the link between a
warning and its mediation case (opened from the warning; the warning shows its case, the case its warnings)."""

from __future__ import annotations

from django.urls import reverse

from fawang.audit.models import AuditEvent

from .. import actions
from ..models import Case, RiskWarning, Screening
from .base import MediationTestCase


class DirectWarningTestCase(MediationTestCase):
    def test_a_bureau_supervisor_raises_a_warning_the_office_and_committee_follow(self) -> None:
        self.client.force_login(self.sm_supervisor)
        page = self.client.get(reverse("mediation:warning_new"))
        self.assertContains(page, self.committee.name)
        self.assertNotContains(page, "湖里区司法局")
        response = self.client.post(
            reverse("mediation:warning_new"),
            {
                "unit": self.committee.pk,
                "kind": "petition",
                "summary": "某小区业主三次集体到区信访局反映物业问题，扬言到市里上访。",
                "told_bodies": "区信访局",
            },
        )
        warning = RiskWarning.objects.get(kind="petition")
        self.assertRedirects(response, reverse("mediation:warning", args=[warning.pk]))
        self.assertEqual(
            (warning.unit, warning.region_id, warning.screening), (self.committee, "350203001", None)
        )
        self.assertEqual(warning.raised_by, self.sm_supervisor)
        self.assertIsNotNone(warning.told_at)
        self.assertTrue(
            AuditEvent.objects.filter(action="mediation.warning", target_id=str(warning.pk)).exists()
        )
        for user, seen in (
            (self.mediator_user, True),
            (self.office_user, True),
            (self.xm_supervisor, True),
            (self.sibling_user, False),
            (self.hl_supervisor, False),
        ):
            self.client.force_login(user)
            self.assertEqual(
                warning.summary[:10] in self.client.get(reverse("mediation:warnings")).content.decode(),
                seen,
                user,
            )

    def test_an_office_raises_one_at_itself_and_nobody_raises_one_elsewhere(self) -> None:
        warning = actions.raise_warning(
            actor=self.office_user, unit=self.office, kind="criminal", summary="债务纠纷，一方扬言报复。"
        )
        self.assertEqual(warning.unit, self.office)
        self.client.force_login(self.office_user)
        response = self.client.post(
            reverse("mediation:warning_new"), {"unit": self.sibling.pk, "kind": "group", "summary": "x"}
        )
        self.assertEqual(response.status_code, 400)  # not among the units it may choose
        self.client.force_login(self.sm_clerk)
        self.assertEqual(self.client.get(reverse("mediation:warning_new")).status_code, 403)
        response = self.client.post(
            reverse("mediation:warning_new"), {"unit": self.committee.pk, "kind": "group"}
        )
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:warning_new"), {"unit": self.committee.pk, "kind": "group", "summary": ""}
        )
        self.assertContains(response, "预警情况", status_code=400)
        self.assertEqual(
            RiskWarning.objects.filter(raised_by__in=[self.office_user, self.mediator_user]).count(), 1
        )


class WarningToCaseTestCase(MediationTestCase):
    PARTIES = {
        "case-dispute_type": "property",
        "case-applicant_name": "业主甲",
        "case-respondent_name": "物业公司",
    }

    def test_a_direct_warning_becomes_a_case_at_the_committee_the_office_chooses(self) -> None:
        warning = actions.raise_warning(
            actor=self.office_user,
            unit=self.office,
            kind="group",
            summary="小区业主与物业公司纠纷，聚集风险。",
        )
        self.client.force_login(self.office_user)
        page = self.client.get(reverse("mediation:warning", args=[warning.pk]))
        self.assertContains(page, "尚未转入调解")
        response = self.client.post(reverse("mediation:warning_case", args=[warning.pk]), self.PARTIES)
        self.assertContains(response, "请选择受理调解的人民调解委员会。", status_code=400)
        self.assertContains(response, "业主甲", status_code=400)
        response = self.client.post(
            reverse("mediation:warning_case", args=[warning.pk]),
            self.PARTIES | {"case-committee": self.committee.pk},
        )
        case = Case.objects.get(summary=warning.summary)
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        self.assertEqual(
            (case.source, case.dispute_type, case.summary), ("initiative", "property", warning.summary)
        )
        warning.refresh_from_db()
        self.assertEqual((warning.case, warning.status), (case, RiskWarning.Status.OPEN))
        self.assertContains(self.client.get(reverse("mediation:warning", args=[warning.pk])), case.number)
        self.assertContains(self.client.get(reverse("mediation:warnings")), case.number)
        self.assertContains(
            self.client.get(reverse("mediation:case", args=[case.pk])), warning.get_kind_display()
        )
        # Once only.
        response = self.client.post(
            reverse("mediation:warning_case", args=[warning.pk]),
            self.PARTIES | {"case-committee": self.committee.pk},
        )
        self.assertContains(response, "该预警已转入调解", status_code=400)
        self.assertEqual(Case.objects.filter(summary=warning.summary).count(), 1)
        self.assertTrue(AuditEvent.objects.filter(action="mediation.warning_case").exists())

    def test_a_screening_warning_becomes_a_case_of_that_finding(self) -> None:
        screening = actions.record_screening(
            actor=self.mediator_user,
            unit=self.committee,
            screened_on=self.today(),
            round="monthly",
            parties="王某与李某",
            dispute_type="land",
            place="某村",
            people_count=2,
            summary="宅基地纠纷，李某扬言报复。",
            risk_level="high",
            risk_reasons=["threats"],
        )
        warning = RiskWarning.objects.get(screening=screening)
        self.client.force_login(self.mediator_user)
        response = self.client.post(reverse("mediation:warning_case", args=[warning.pk]), self.PARTIES)
        case = Case.objects.get(screening=screening)
        self.assertRedirects(response, reverse("mediation:case", args=[case.pk]))
        self.assertEqual(case.source, "screening")
        self.assertEqual(Screening.objects.get(pk=screening.pk).status, Screening.Status.CASE)
        self.assertEqual(RiskWarning.objects.get(pk=warning.pk).case, case)

    def test_a_case_opened_from_the_finding_links_its_warnings(self) -> None:
        screening = actions.record_screening(
            actor=self.mediator_user,
            unit=self.committee,
            screened_on=self.today(),
            round="monthly",
            parties="王某与李某",
            dispute_type="land",
            place="某村",
            people_count=40,
            summary="群体纠纷。",
            risk_level="high",
            risk_reasons=["threats", "group"],
        )
        case = self.new_case(screening=screening, source="screening")
        self.assertEqual(
            set(RiskWarning.objects.filter(screening=screening).values_list("case", flat=True)), {case.pk}
        )

    def test_a_supervisor_may_not_open_a_case(self) -> None:
        warning = actions.raise_warning(
            actor=self.sm_supervisor, unit=self.committee, kind="group", summary="x"
        )
        self.client.force_login(self.sm_supervisor)
        self.assertNotContains(
            self.client.get(reverse("mediation:warning", args=[warning.pk])), "转入调解</button>"
        )
        response = self.client.post(reverse("mediation:warning_case", args=[warning.pk]), self.PARTIES)
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.sibling_user)
        response = self.client.post(reverse("mediation:warning_case", args=[warning.pk]), self.PARTIES)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Case.objects.filter(summary="x").exists())


class OverdueWarningTestCase(MediationTestCase):
    def test_an_overdue_follow_up_is_reminded_once_per_date(self) -> None:
        import datetime as dt

        from fawang.notify.models import Message

        from ..tasks import daily_task

        warning = actions.raise_warning(
            actor=self.office_user, unit=self.committee, kind="group", summary="聚集风险。"
        )
        due = warning.next_check_on
        self.assertEqual(actions.remind_overdue_warnings(due), 0)  # on the day itself: not yet overdue
        self.assertEqual(actions.remind_overdue_warnings(due + dt.timedelta(days=1)), 1)
        self.assertEqual(actions.remind_overdue_warnings(due + dt.timedelta(days=2)), 0)  # once per date
        messages = Message.objects.filter(kind="mediation.warning_overdue")
        self.assertEqual({m.user for m in messages}, {self.mediator_user})  # the committee's handler
        self.assertIn(due.isoformat(), messages[0].body)
        # A follow-up moves the date; a new lapse is reminded again; a lowered warning never.
        from django.utils import timezone

        # Followed up (late) the day after the reminder: the next date moves on.
        actions.check_warning(
            warning.pk, actor=self.mediator_user, note="已走访。", now=timezone.now() + dt.timedelta(days=4)
        )
        warning.refresh_from_db()
        self.assertGreater(warning.next_check_on, due)
        self.assertEqual(actions.remind_overdue_warnings(warning.next_check_on + dt.timedelta(days=1)), 1)
        actions.lower_warning(warning.pk, actor=self.mediator_user, note="已化解。")
        self.assertEqual(actions.remind_overdue_warnings(warning.next_check_on + dt.timedelta(days=30)), 0)
        self.assertEqual(Message.objects.filter(kind="mediation.warning_overdue").count(), 2)
        daily_task.call()  # the scheduler's job runs it too (nothing more to remind)
        self.assertEqual(Message.objects.filter(kind="mediation.warning_overdue").count(), 2)
