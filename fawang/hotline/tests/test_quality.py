"""质检: sampling by rule and at random, scoring against the checklist, one appeal, the decision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fawang.accounts.models import User
from fawang.audit.models import AuditEvent
from fawang.orgs.models import Membership

from .. import quality
from ..models import QualityItem, QualityReview
from .base import HotlineTestCase


class QualityTestCase(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.seat_in()
        # (callId, talk seconds, rating): a long call, a 不满意 call and four ordinary ones; one call unanswered.
        for call_id, talk, rating in [
            ("long", 1000, ""),
            ("bad", 60, "3"),
            *[(f"ok{i}", 90, "1") for i in range(4)],
        ]:
            self.ring(call_id)
            self.answer(call_id, seconds=5)
            self.hangup(call_id, seconds=5 + talk)
            if rating:
                self.post({"event": "rating", "callId": call_id, "digit": rating})
        self.ring("missed")
        self.hangup("missed", seconds=30, cause="noAnswer")
        self.today = timezone.localdate(self.t0)  # the centre's day (Asia/Shanghai), not UTC's

    def sample(self, n: int) -> list[QualityReview]:
        return quality.do_sample(
            actor=self.xm_supervisor, start=self.today, end=self.today, random_count=n, seed="q"
        )

    def test_sampling_by_rule_and_at_random(self) -> None:
        reviews = self.sample(2)
        reasons = sorted((r.call.call_id, r.reason) for r in reviews if r.reason != "random")
        self.assertEqual(reasons, [("bad", "bad_rating"), ("long", "long")])
        self.assertEqual(len([r for r in reviews if r.reason == "random"]), 2)
        self.assertTrue(all(r.agent == self.xm_agent for r in reviews))
        self.assertNotIn("missed", [r.call.call_id for r in reviews])
        # A second sampling takes only calls not sampled yet.
        self.assertEqual(len(self.sample(10)), 2)
        self.assertEqual(self.sample(10), [])
        # A district bureau reaches no call of the city's centre.
        self.assertEqual(
            quality.do_sample(actor=self.sm_supervisor, start=self.today, end=self.today, random_count=5), []
        )
        with self.assertRaises(PermissionDenied):
            quality.do_sample(actor=self.xm_agent, start=self.today, end=self.today, random_count=5)

    def test_scoring_appealing_once_and_the_decision(self) -> None:
        review = next(r for r in self.sample(0) if r.reason == "bad_rating")
        items = quality.items_of(self.xm_centre)
        self.assertEqual([i.max_score for i in items], [20, 40, 25, 15])
        self.client.force_login(self.xm_supervisor)
        url = reverse("hotline:quality_review", args=[review.pk])
        data = {f"score-{i.pk}": s for i, s in zip(items, [20, 25, 20, 15], strict=True)}
        bad = self.client.post(url, {**data, f"score-{items[0].pk}": 21})
        self.assertContains(bad, "“开场用语规范”的得分应在 0 至 20 之间", status_code=400)
        self.assertRedirects(self.client.post(url, {**data, "comment": "法律依据引用不准确"}), url)
        review.refresh_from_db()
        self.assertEqual((review.status, review.total, review.max_total), ("scored", 80, 100))
        # The agent sees the score and appeals once.
        self.client.force_login(self.xm_agent)
        self.assertContains(self.client.get(reverse("hotline:quality")), "80/100")
        page = self.client.get(url)
        self.assertContains(page, "法律依据引用不准确")
        self.assertContains(page, "提交申诉")
        self.assertNotContains(page, "保存评分")
        appeal = reverse("hotline:quality_appeal", args=[review.pk])
        self.client.post(appeal, {"reason": "当时已告知当事人以书面答复为准。"})
        review.refresh_from_db()
        self.assertEqual(review.status, "appealed")
        response = self.client.post(appeal, {"reason": "再次申诉"}, follow=True)
        self.assertContains(response, "每次质检只能申诉一次")
        # The supervisor changes the score; it is final.
        self.client.force_login(self.xm_supervisor)
        changed = {**data, f"score-{items[1].pk}": 35, "change": "1", "appeal_note": "申诉成立，加 10 分。"}
        self.assertRedirects(self.client.post(url, changed), url)
        review.refresh_from_db()
        self.assertEqual(
            (review.status, review.total, review.appeal_note), ("final", 90, "申诉成立，加 10 分。")
        )
        with self.assertRaises(ValidationError):
            quality.do_score(review.pk, actor=self.xm_supervisor, scores={i.pk: 0 for i in items})
        self.assertEqual(
            list(
                AuditEvent.objects.filter(target_id=str(review.pk), action__startswith="hotline.quality")
                .order_by("pk")
                .values_list("action", flat=True)
            ),
            [
                "hotline.quality_sample",
                "hotline.quality_score",
                "hotline.quality_appeal",
                "hotline.quality_score",
                "hotline.quality_decide",
            ],
        )

    def test_only_the_calls_agent_appeals(self) -> None:
        review = self.sample(0)[0]
        quality.do_score(
            review.pk, actor=self.xm_supervisor, scores={i.pk: 10 for i in quality.items_of(self.xm_centre)}
        )
        other = User.objects.create_user("xm_agent3", kind=User.Kind.STAFF)
        Membership.objects.create(user=other, unit=self.xm_centre, role=Membership.Role.HOTLINE_AGENT)
        self.client.force_login(other)
        response = self.client.post(reverse("hotline:quality_appeal", args=[review.pk]), {"reason": "x"})
        self.assertEqual(response.status_code, 403)
        review.refresh_from_db()
        self.assertEqual(review.status, "scored")

    def test_the_centre_admin_edits_the_checklist(self) -> None:
        admin = User.objects.create_user("xm_centre_admin", kind=User.Kind.STAFF)
        Membership.objects.create(user=admin, unit=self.xm_centre, role=Membership.Role.UNIT_ADMIN)
        self.client.force_login(admin)
        url = reverse("hotline:quality_checklist")
        self.assertContains(self.client.get(url), "开场用语规范")
        self.client.post(url, {"name": "隐私保护提示", "max_score": "10"})
        self.assertTrue(QualityItem.objects.filter(unit=self.xm_centre, name="隐私保护提示").exists())
        self.assertContains(
            self.client.post(url, {"name": "", "max_score": "x"}), "请填写质检项名称", status_code=400
        )
        self.client.force_login(self.xm_agent)
        self.assertEqual(self.client.get(url).status_code, 403)
