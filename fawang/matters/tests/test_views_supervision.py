"""A person's history (masked, reveal logged), supervision of time limits, bad ratings, callbacks and
rectifications."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from .. import actions
from ..models import AccessLog, Callback, Evaluation, Matter, Rectification
from .base import MatterTestCase, id_number


class ViewsTestCase(MatterTestCase):
    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def bad_rating(self) -> Matter:
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler)
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler)
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已代理。")
        actions.do_rate(matter.pk, actor=None, level=Evaluation.Level.VERY_DISSATISFIED, comment="态度差")
        return matter


class PersonHistoryTestCase(ViewsTestCase):
    def test_history_across_units_masked_with_logged_reveal(self) -> None:
        legal = self.submit()
        mediation = self.submit(self.mediation, person=self.person(phone="13700000001"))
        other = self.submit(self.mediation, person=self.person(name="赵六", id_number=id_number(seq="777")))
        client = self.client_for(self.sm_clerk)
        url = reverse("matters:person", args=[legal.person_id])
        page = client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, legal.tracking_no)
        self.assertContains(page, mediation.tracking_no)
        self.assertNotContains(page, other.tracking_no)
        self.assertNotContains(page, id_number())
        self.assertNotContains(page, "13700000001")
        self.assertContains(page, "张*")
        response = client.post(
            reverse("matters:person_reveal", args=[legal.person_id]), {"purpose": "核实身份"}
        )
        self.assertContains(response, id_number())
        log = AccessLog.objects.get(person_id=legal.person_id)
        self.assertEqual((log.user, log.purpose), (self.sm_clerk, "核实身份"))
        self.assertEqual(self.client_for(self.hl_clerk).get(url).status_code, 404)
        self.assertEqual(
            self.client_for(self.sm_admin)
            .post(reverse("matters:person_reveal", args=[legal.person_id]))
            .status_code,
            403,
        )
        self.assertEqual(AccessLog.objects.filter(person_id=legal.person_id).count(), 1)


class SupervisionTestCase(ViewsTestCase):
    def test_overdue_escalated_and_statistics(self) -> None:
        overdue = self.submit()  # Monday 2025-03-03: long past its 7-day limit
        escalated = self.submit(self.mediation)
        # The street's mediation committee handles it; the district's supervisor reaches it.
        actions.do_escalate(escalated.pk, actor=self.sm_supervisor, reason="群体性纠纷")
        page = self.client_for(self.sm_supervisor).get(reverse("matters:supervision"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, overdue.tracking_no)
        self.assertIn(escalated.pk, [row.matter.pk for row in page.context["escalated"]])
        units = {s.unit_name: s for s in page.context["stats"]}
        self.assertGreaterEqual(units["思明区法律援助中心"].overdue, 1)
        self.assertEqual(self.client_for(self.sm_clerk).get(reverse("matters:supervision")).status_code, 403)
        hl = self.client_for(self.hl_supervisor).get(reverse("matters:supervision"))
        self.assertNotContains(hl, overdue.tracking_no)

    def test_bad_ratings_callbacks_and_rectifications(self) -> None:
        matter = self.bad_rating()
        callback = Callback.objects.get(matter=matter)
        rectification = Rectification.objects.get(matter=matter)
        page = self.client_for(self.sm_supervisor).get(reverse("matters:feedback"))
        self.assertContains(page, matter.tracking_no)
        self.assertContains(page, "非常不满意")
        self.assertContains(page, reverse("matters:callback", args=[callback.pk]))
        self.assertContains(page, reverse("matters:rectification", args=[rectification.pk]))
        self.assertEqual(self.client_for(self.sm_clerk).get(reverse("matters:feedback")).status_code, 403)
        self.assertNotContains(
            self.client_for(self.hl_supervisor).get(reverse("matters:feedback")), matter.tracking_no
        )

    def test_record_a_callback(self) -> None:
        matter = self.bad_rating()
        callback = Callback.objects.get(matter=matter)
        url = reverse("matters:callback", args=[callback.pk])
        # The clerk may look but not record; a 湖里区 supervisor gets 404.
        clerk = self.client_for(self.sm_clerk)
        self.assertNotContains(clerk.get(url), "完成回访")
        self.assertEqual(clerk.post(url, {"outcome": "x"}).status_code, 403)
        self.assertEqual(self.client_for(self.hl_supervisor).get(url).status_code, 404)
        client = self.client_for(self.sm_supervisor)
        response = client.post(url, {"outcome": "  "})
        self.assertContains(response, "请填写回访情况。", status_code=400)
        response = client.post(url, {"outcome": "已致歉，当事人表示理解", "satisfied": "yes"})
        self.assertRedirects(response, url)
        callback.refresh_from_db()
        self.assertEqual(
            (callback.outcome, callback.satisfied, callback.done_by),
            ("已致歉，当事人表示理解", True, self.sm_supervisor),
        )
        self.assertTrue(matter.events.filter(action="callback", actor=self.sm_supervisor).exists())
        self.assertNotContains(client.get(url), "完成回访")

    def test_complete_a_rectification(self) -> None:
        matter = self.bad_rating()
        item = Rectification.objects.get(matter=matter)
        url = reverse("matters:rectification", args=[item.pk])
        client = self.client_for(self.sm_handler)
        response = client.post(url, {"measures": ""})
        self.assertContains(response, "请填写整改措施。", status_code=400)
        response = client.post(url, {"measures": "约谈承办律师，建立三日回电制度。"})
        self.assertRedirects(response, url)
        item.refresh_from_db()
        self.assertEqual((item.measures, item.done_by), ("约谈承办律师，建立三日回电制度。", self.sm_handler))
        self.assertTrue(matter.events.filter(action="rectify", actor=self.sm_handler).exists())
        self.assertEqual(self.client_for(self.hl_clerk).get(url).status_code, 404)
