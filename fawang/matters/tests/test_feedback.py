"""好差评, callbacks (回访), rectifications (整改), complaints (投诉), rating invitations, callback sampling."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from fawang.accounts.models import User

from .. import actions
from ..actions import InvalidTransition
from ..models import Callback, Complaint, Evaluation, Matter, Rectification
from .base import MONDAY, MatterTestCase, at


class RatingTestCase(MatterTestCase):
    def completed(self, **kwargs: object) -> Matter:
        matter = self.submit(**kwargs)  # type: ignore[arg-type]
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY)
        matter = actions.do_complete(
            matter.pk, actor=self.sm_handler, result="已代理劳动仲裁。", now=at(2025, 3, 20)
        )
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        return matter

    def test_a_good_rating_closes_the_matter(self) -> None:
        matter = self.completed()
        evaluation = actions.do_rate(
            matter.pk, actor=self.citizen, level=Evaluation.Level.VERY_SATISFIED, comment="很耐心。"
        )
        self.assertEqual(
            (evaluation.level, evaluation.person_id, evaluation.recorded_by), (5, matter.person_id, None)
        )
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.CLOSED)
        self.assertEqual(self.events(matter)[-2:], ["rate", "close"])
        self.assertFalse(Callback.objects.filter(matter=matter).exists())

    def test_one_rating_per_matter_and_only_when_done(self) -> None:
        open_matter = self.submit()
        Matter.objects.filter(pk=open_matter.pk).update(submitted_by=self.citizen)
        with self.assertRaises(InvalidTransition) as refused:
            actions.do_rate(open_matter.pk, actor=self.citizen, level=Evaluation.Level.SATISFIED)
        self.assertEqual(refused.exception.messages, ["该事项当前状态为“已提交”，不能评价。"])
        matter = self.completed()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_rate(matter.pk, actor=self.citizen, level=7)
        self.assertEqual(ctx.exception.messages, ["请选择评价等级。"])
        actions.do_rate(matter.pk, actor=self.citizen, level=Evaluation.Level.SATISFIED)
        with self.assertRaises(ValidationError) as ctx:
            actions.do_rate(matter.pk, actor=self.citizen, level=Evaluation.Level.SATISFIED)
        self.assertEqual(ctx.exception.messages, ["该事项已经评价过，每个事项只能评价一次。"])

    def test_only_the_person_or_front_desk_staff_rate(self) -> None:
        matter = self.completed()
        stranger = User.objects.create_user("stranger", password="x-pass-2026-long", kind=User.Kind.PUBLIC)
        with self.assertRaises(PermissionDenied):
            actions.do_rate(matter.pk, actor=stranger, level=Evaluation.Level.SATISFIED)
        with self.assertRaises(PermissionDenied) as ctx:
            actions.do_rate(matter.pk, actor=self.sm_handler, level=Evaluation.Level.VERY_SATISFIED)
        self.assertEqual(str(ctx.exception), "承办人不能代为评价本人办理的事项。")
        # The centre's 12348 agent does not reach the legal-aid centre, nor the station that took it in.
        with self.assertRaises(PermissionDenied):
            actions.do_rate(matter.pk, actor=self.sm_agent, level=Evaluation.Level.SATISFIED)
        # The window that took the matter in records the rating the person gives there.
        evaluation = actions.do_rate(
            matter.pk, actor=self.sm_clerk, level=Evaluation.Level.SATISFIED, comment="电话回访时评价"
        )
        self.assertEqual(evaluation.recorded_by, self.sm_clerk)

    def test_a_bad_rating_opens_a_callback_and_a_rectification(self) -> None:
        matter = self.completed()
        rated_at = at(2025, 3, 21, 10)  # Friday
        actions.do_rate(
            matter.pk,
            actor=self.citizen,
            level=Evaluation.Level.DISSATISFIED,
            comment="等待时间太长。",
            now=rated_at,
        )
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)  # stays open for the callback
        callback = Callback.objects.get(matter=matter)
        self.assertEqual((callback.reason, callback.unit), (Callback.Reason.BAD_RATING, self.sm_bureau))
        self.assertEqual(callback.due_at, at(2025, 3, 28, 17, 30))  # 5 working days
        rectification = Rectification.objects.get(matter=matter)
        self.assertEqual(rectification.unit, self.sm_legal_aid)
        self.assertEqual(rectification.reason, "服务对象评价为“不满意”：等待时间太长。")
        # 15 working days, 清明 (Friday 4 April) not counted.
        self.assertEqual(rectification.due_at, at(2025, 4, 14, 17, 30))
        self.assertEqual([m.user for m in self.messages(matter, "matter.callback")], [self.sm_supervisor])
        self.assertIn(self.sm_handler, [m.user for m in self.messages(matter, "matter.rectification")])
        self.assertEqual(self.events(matter)[-3:], ["rate", "callback", "rectify"])
        # The supervisor sees both tasks; Huli sees neither.
        self.assertEqual(
            list(Callback.objects.visible_to(self.sm_supervisor).filter(matter=matter)), [callback]
        )
        self.assertFalse(Callback.objects.visible_to(self.hl_supervisor).filter(matter=matter).exists())

        with self.assertRaises(PermissionDenied):
            actions.do_complete_callback(callback.pk, actor=self.sm_handler, outcome="x")
        with self.assertRaises(ValidationError) as ctx:
            actions.do_complete_callback(callback.pk, actor=self.sm_supervisor, outcome="")
        self.assertEqual(ctx.exception.messages, ["请填写回访情况。"])
        actions.do_complete_callback(
            callback.pk, actor=self.sm_supervisor, outcome="已致电说明，服务对象表示理解。", satisfied=True
        )
        self.assertEqual(self.reload(matter).status, Matter.Status.CLOSED)
        with self.assertRaises(ValidationError) as ctx:
            actions.do_complete_callback(callback.pk, actor=self.sm_supervisor, outcome="again")
        self.assertEqual(ctx.exception.messages, ["该回访任务已经完成。"])

        with self.assertRaises(PermissionDenied):
            actions.do_complete_rectification(rectification.pk, actor=self.hl_supervisor, measures="x")
        actions.do_complete_rectification(rectification.pk, actor=self.sm_handler, measures="增设午间窗口。")
        self.assertIsNotNone(Rectification.objects.get(pk=rectification.pk).done_at)
        self.assertFalse(Rectification.objects.open().filter(matter=matter).exists())


class ComplaintTestCase(MatterTestCase):
    def test_a_complaint_about_a_matter_goes_to_the_supervising_bureau(self) -> None:
        about = self.submit()
        complaint = actions.do_complain(
            actor=self.sm_agent,
            person=self.person(),
            description="窗口工作人员态度生硬。",
            channel="hotline",
            about_matter=about,
            intake_unit=self.sm_centre,
            now=MONDAY,
        )
        self.assertEqual(complaint.service_item.code, "complaint")
        self.assertEqual(complaint.unit, self.sm_bureau)
        self.assertEqual(complaint.region_id, about.region_id)
        self.assertEqual(complaint.first_responder, self.sm_agent)
        record = Complaint.objects.get(matter=complaint)
        self.assertEqual((record.about_matter, record.about_unit), (about, self.sm_legal_aid))
        submit = complaint.events.get(action="submit")
        self.assertEqual(
            (submit.payload["route"], submit.note), ("supervisor", "投诉由被投诉机构的主管司法局处理。")
        )
        self.assertEqual(self.events(about), ["submit", "complaint"])

    def test_a_complaint_about_a_bureau_goes_one_level_up(self) -> None:
        complaint = actions.do_complain(
            actor=None,
            person=self.person(id_number=""),
            description="区司法局答复不及时。",
            channel="web",
            about_unit=self.sm_bureau,
            now=MONDAY,
        )
        self.assertEqual(complaint.unit.name, "厦门市司法局")

    def test_a_complaint_about_a_staff_member_uses_their_unit(self) -> None:
        complaint = actions.do_complain(
            actor=None,
            person=self.person(),
            description="承办人推诿。",
            channel="web",
            about_staff=self.sm_handler,
            now=MONDAY,
        )
        self.assertEqual(complaint.unit, self.sm_bureau)
        self.assertEqual(Complaint.objects.get(matter=complaint).about_staff, self.sm_handler)


class ScheduledFeedbackTestCase(MatterTestCase):
    def completed_at(self, when: object) -> Matter:
        matter = self.submit(self.consultation)
        Matter.objects.filter(pk=matter.pk).update(
            status=Matter.Status.COMPLETED, completed_at=when, result="已解答。"
        )
        return matter

    def test_rating_invitation_after_the_configured_days_once(self) -> None:
        matter = self.completed_at(at(2025, 3, 3, 10))
        with override_settings(MATTERS_RATING_INVITE_DAYS=3):
            self.assertEqual(actions.invite_ratings(at(2025, 3, 6, 9)), 0)
            self.assertEqual(actions.invite_ratings(at(2025, 3, 6, 11)), 1)
            self.assertEqual(actions.invite_ratings(at(2025, 3, 7, 11)), 0)
        self.assertEqual(len(self.messages(matter, "matter.rate_invite")), 1)
        self.assertIn("请您对本次服务作出评价", self.messages(matter, "matter.rate_invite")[0].body)

    def test_rated_matters_are_not_invited(self) -> None:
        matter = self.completed_at(at(2025, 3, 3, 10))
        Evaluation.objects.create(matter=matter, person=matter.person, level=5)
        self.assertEqual(actions.invite_ratings(at(2025, 4, 1)), 0)

    def test_callback_sampling_takes_each_matter_once_at_the_configured_share(self) -> None:
        matters = [self.completed_at(at(2025, 3, 3, 10)) for _ in range(3)]
        with override_settings(MATTERS_CALLBACK_SAMPLE_SHARE=0.0):
            self.assertEqual(actions.sample_callbacks(at(2025, 3, 4)), 0)
        self.assertTrue(all(self.reload(m).sampled_at for m in matters))
        more = [self.completed_at(at(2025, 3, 3, 10)) for _ in range(2)]
        with override_settings(MATTERS_CALLBACK_SAMPLE_SHARE=1.0):
            self.assertEqual(actions.sample_callbacks(at(2025, 3, 4)), 2)
            self.assertEqual(actions.sample_callbacks(at(2025, 3, 5)), 0)
        self.assertEqual(
            set(Callback.objects.filter(reason=Callback.Reason.SAMPLE).values_list("matter_id", flat=True)),
            {m.pk for m in more},
        )

    def test_the_sample_is_close_to_the_share(self) -> None:
        chosen = sum(actions.sampled_for_callback(f"FW250303{i:07d}", 0.1) for i in range(5000))
        self.assertGreater(chosen, 400)
        self.assertLess(chosen, 600)
