"""Issue 14, items 1 and 2: a question asked online from a region with no service unit (福州市鼓楼区, which the
region picker offers) is kept and goes to the nearest level that has a unit — the province's 12348 centre — and
the person is told who answers; every centre that takes consultations has a 法律咨询岗 who sees them in a queue."""

from __future__ import annotations

from django.urls import reverse

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, MatterEvent
from fawang.matters.routing import NoRoute, explain_route, explain_route_or_fallback
from fawang.orgs.models import Membership, Unit
from fawang.orgs.roles import has_capability

from .base import CitizenTestCase

QUESTION = "邻居装修把我家墙面弄裂了，不肯赔偿，怎么办？"


class NoUnitRegionTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen("13711115555")
        self.client.force_login(self.user)

    def test_a_question_from_a_region_without_units_goes_to_the_province_centre(self) -> None:
        gulou = self.region("350102")
        self.assertFalse(Unit.objects.filter(region__code__startswith="3501").exists())
        # The walk-up reaches the nearest level with a centre: the province's.
        self.assertEqual(explain_route(self.consultation, gulou).unit.name, "福建省公共法律服务中心")
        response = self.client.post(
            reverse("me:ask"), {"question": QUESTION, "region": "350102", "key": "gl1"}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        matter = Matter.objects.get(submitted_by=self.user)
        self.assertEqual(matter.description, QUESTION)
        self.assertEqual(matter.region_id, "350102")
        self.assertEqual(matter.unit.name, "福建省公共法律服务中心")
        self.assertContains(response, "由福建省公共法律服务中心答复")
        # A real person of the centre sees it in the unit's queue and can answer and complete it.
        consultant = User.objects.get(username="fj_consultant")
        self.client.force_login(consultant)
        self.assertContains(self.client.get(reverse("matters:unit_queue")), matter.tracking_no[:8])
        matter_actions.do_accept(matter.pk, actor=consultant)
        matter_actions.do_complete(matter.pk, actor=consultant, result="可先协商，协商不成可申请人民调解。")
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.COMPLETED)
        # The province centre's 法律咨询岗 reaches its own centre, not all of 福建省 by region: a question
        # routed to 思明区's centre is not theirs (404 like a matter that does not exist).
        siming = matter_actions.do_submit(
            actor=self.user,
            person=self.person(),
            requests=[matter_actions.MatterRequest(self.consultation, QUESTION, self.region("350203001"))],
            channel="web",
        ).matters[0]
        self.assertEqual(siming.unit.name, "思明区公共法律服务中心")
        visible = Matter.objects.visible_to(consultant)
        self.assertEqual((visible.filter(pk=matter.pk).count(), visible.filter(pk=siming.pk).count()), (1, 0))
        self.assertEqual(self.client.get(reverse("matters:detail", args=[siming.pk])).status_code, 404)

    def test_an_online_request_no_unit_of_its_kind_serves_goes_to_the_nearest_centre(self) -> None:
        gulou = self.region("350102")
        with self.assertRaises(NoRoute):  # staff at a desk still choose a unit by hand
            explain_route(self.legal_aid, gulou)
        matter = matter_actions.do_submit(
            actor=self.user,
            person=self.person(),
            requests=[matter_actions.MatterRequest(self.legal_aid, "申请法律援助：追讨欠薪。", gulou)],
            channel="web",
        ).matters[0]
        self.assertEqual(matter.unit.name, "福建省公共法律服务中心")
        submit = MatterEvent.objects.get(matter=matter, action=MatterEvent.Action.SUBMIT)
        self.assertEqual(submit.payload["route"], "fallback")
        self.assertEqual(
            submit.note,
            "福建省福州市鼓楼区暂无办理“法律援助申请”的机构，由福建省公共法律服务中心办理或转办。",
        )

    def test_with_no_unit_at_any_level_the_question_is_refused_in_chinese_and_kept(self) -> None:
        Unit.objects.filter(region_id__in=["35", "3501", "350102"]).update(is_active=False)
        with self.assertRaises(NoRoute):
            explain_route_or_fallback(self.consultation, self.region("350102"))
        response = self.client.post(
            reverse("me:ask"), {"question": QUESTION, "region": "350102", "key": "gl2"}
        )
        self.assertContains(response, "未找到办理“法律咨询”的机构", status_code=400)
        self.assertContains(response, QUESTION, status_code=400)
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())

    def test_the_api_ask_takes_it_too(self) -> None:
        response = self.client.post(
            "/api/v1/me/consultations/",
            {"question": QUESTION, "region": "350102"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="gl-api-1",
        )
        self.assertIn(response.status_code, (200, 201), response.content)
        self.assertEqual(Matter.objects.get(submitted_by=self.user).unit.name, "福建省公共法律服务中心")


class CentresAreStaffedTestCase(CitizenTestCase):
    def test_every_centre_taking_consultations_has_a_consultation_post_that_can_answer(self) -> None:
        item = ServiceItem.objects.get(code="consultation")
        centres = Unit.objects.active().filter(kind=item.unit_kind)
        self.assertGreaterEqual(centres.count(), 5)  # the province, 厦门市, its districts, 仙游县
        for centre in centres:
            posts = Membership.objects.active().filter(unit=centre, title="法律咨询岗").select_related("user")
            self.assertTrue(posts, centre.name)
            self.assertTrue(all(has_capability(m.user, "matters.handle", centre) for m in posts), centre.name)

    def test_a_consultation_asked_in_siming_is_in_the_consultants_queue(self) -> None:
        user = self.make_citizen("13711116666")
        self.client.force_login(user)
        self.client.post(reverse("me:ask"), {"question": QUESTION, "region": "350203001", "key": "sm1"})
        matter = Matter.objects.get(submitted_by=user)
        self.assertEqual(matter.unit, self.sm_centre)
        self.client.force_login(User.objects.get(username="sm_consultant"))
        self.assertContains(self.client.get(reverse("matters:unit_queue")), matter.tracking_no[:8])
