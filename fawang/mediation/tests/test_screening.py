from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from .. import actions
from ..models import Case, ReviewMeeting, RiskWarning, Screening
from .base import MediationTestCase


class ScreeningTestCase(MediationTestCase):
    def screen(self, risk: str = "high", reasons: tuple[str, ...] = ("threats",), **kw: object) -> Screening:
        fields: dict[str, object] = {
            "actor": self.mediator_user,
            "unit": self.committee,
            "screened_on": self.today(),
            "round": "holiday",
            "parties": "王某与李某",
            "dispute_type": "land",
            "place": "厦港街道某村",
            "people_count": 2,
            "summary": "宅基地边界争执，李某扬言要动手。",
            "risk_level": risk,
            "risk_reasons": list(reasons),
            "action_taken": "已分别做工作。",
            "told_bodies": "厦港派出所",
        }
        fields.update(kw)
        return actions.record_screening(**fields)  # type: ignore[arg-type]

    def test_a_high_risk_raises_a_warning_the_office_and_the_bureau_see(self) -> None:
        self.client.force_login(self.mediator_user)
        response = self.client.post(
            reverse("mediation:screening_new"),
            {
                "unit": self.committee.pk,
                "screened_on": self.today().isoformat(),
                "round": "holiday",
                "parties": "王某与李某",
                "dispute_type": "land",
                "place": "某村",
                "people_count": 30,
                "summary": "宅基地纠纷，涉及全村三十余户。",
                "risk_level": "high",
                "risk_reasons": ["threats", "group"],
                "action_taken": "",
                "told_bodies": "厦港派出所",
            },
        )
        screening = Screening.objects.get(parties="王某与李某")
        self.assertRedirects(response, reverse("mediation:screening", args=[screening.pk]))
        warnings = RiskWarning.objects.filter(screening=screening).order_by("kind")
        self.assertEqual([w.kind for w in warnings], ["criminal", "group"])
        self.assertEqual({w.told_bodies for w in warnings}, {"厦港派出所"})
        self.assertTrue(all(w.told_at is not None for w in warnings))
        for user, seen in (
            (self.office_user, True),
            (self.sm_supervisor, True),
            (self.xm_supervisor, True),
            (self.sibling_user, False),
            (self.hl_supervisor, False),
        ):
            self.client.force_login(user)
            page = self.client.get(reverse("mediation:warnings"))
            self.assertEqual(
                "可能民转刑" in page.content.decode() and "王某与李某" in page.content.decode(), seen, user
            )
            detail = self.client.get(reverse("mediation:warning", args=[warnings[0].pk]))
            self.assertEqual(detail.status_code, 200 if seen else 404)

    def test_low_and_medium_risks_raise_no_warning_and_need_reasons(self) -> None:
        self.screen(risk="low", reasons=())
        with self.assertRaisesMessage(ValidationError, "中、高风险请勾选风险因素"):
            self.screen(risk="medium", reasons=())
        self.screen(risk="medium", reasons=("amount",))
        self.assertFalse(
            RiskWarning.objects.filter(unit=self.committee, screening__parties="王某与李某").exists()
        )

    def test_follow_up_clock_and_lowering(self) -> None:
        warning = self.screen().warnings.get()
        self.assertEqual((warning.next_check_on - self.today()).days, 3)
        self.client.force_login(self.office_user)  # the 司法所 follows up its committee's warning
        self.client.post(reverse("mediation:warning_check", args=[warning.pk]), {"check-note": "已约谈双方"})
        self.assertEqual(warning.checks.count(), 1)
        response = self.client.post(reverse("mediation:warning_lower", args=[warning.pk]), {"lower-note": ""})
        self.assertEqual(response.status_code, 400)
        self.client.post(
            reverse("mediation:warning_lower", args=[warning.pk]), {"lower-note": "双方已达成谅解"}
        )
        warning.refresh_from_db()
        self.assertEqual(warning.status, RiskWarning.Status.LOWERED)
        self.client.force_login(self.sm_supervisor)
        self.assertNotContains(self.client.get(reverse("mediation:warnings")), "王某与李某")
        self.assertContains(self.client.get(reverse("mediation:warnings") + "?all=1"), "王某与李某")

    def test_a_finding_becomes_a_case_and_a_meeting_reviews_it(self) -> None:
        screening = self.screen()
        self.client.force_login(self.office_user)
        response = self.client.post(
            reverse("mediation:meeting_new"),
            {
                "unit": self.office.pk,
                "held_on": self.today().isoformat(),
                "attendees": "司法所、调委会、派出所",
                "screenings": [screening.pk],
                "decisions": "由调委会立即介入调解。",
            },
        )
        meeting = ReviewMeeting.objects.get()
        self.assertRedirects(response, reverse("mediation:meeting", args=[meeting.pk]))
        self.client.force_login(self.mediator_user)
        self.client.post(
            reverse("mediation:screening_case", args=[screening.pk]),
            {"case-applicant_name": "王某", "case-respondent_name": "李某"},
        )
        case = Case.objects.get(screening=screening)
        self.assertEqual((case.source, case.dispute_type), ("screening", "land"))
        screening.refresh_from_db()
        self.assertEqual(screening.status, Screening.Status.CASE)
        with self.assertRaisesMessage(ValidationError, "已转入调解"):
            self.new_case(screening=screening)
