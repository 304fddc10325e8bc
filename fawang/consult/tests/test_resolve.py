"""已解决 (do_resolve) and the thread state of a consultation (threads): who may resolve, from which statuses,
what it does to the matter and its timeline, and how the state follows questions, answers and reopening."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fawang.accounts.models import User
from fawang.consult import threads
from fawang.consult.actions import do_resolve
from fawang.matters import actions, deadlines
from fawang.matters.models import Matter, MatterEvent
from fawang.matters.tests.base import MONDAY, MatterTestCase


class ConsultationTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.matter = self.submit(self.consultation, channel="web", description="工资被拖欠怎么办？")
        Matter.objects.filter(pk=self.matter.pk).update(submitted_by=self.citizen)

    def answer(self, text: str = "可以申请劳动仲裁。") -> None:
        actions.do_comment(self.matter.pk, actor=self.sm_clerk, text=text, visible=True)

    def state(self) -> threads.ThreadState:
        return threads.thread(self.reload(self.matter)).state

    def centre_handler(self) -> User:
        # The demo's sm_handler holds a handler role at the centre (beside the legal-aid centre's).
        return self.sm_handler


class AnswerTestCase(ConsultationTestCase):
    def test_a_staff_answer_takes_the_consultation_in_and_stops_its_clock(self) -> None:
        self.assertEqual(self.reload(self.matter).status, Matter.Status.SUBMITTED)
        actions.do_comment(
            self.matter.pk, actor=self.sm_clerk, text="可以申请劳动仲裁。", visible=True, now=MONDAY
        )
        matter = self.reload(self.matter)
        # 已受理, so the queue's 已提交 still means "not answered yet"; the answer met the time limit, so no
        # clock runs on (no warning or escalation of an answered question).
        self.assertEqual((matter.status, matter.accepted_at), (Matter.Status.ACCEPTED, MONDAY))
        self.assertEqual((matter.step, matter.due_at, matter.warn_at), ("", None, None))
        self.assertEqual(self.events(matter), ["submit", "accept", "comment"])
        accept = matter.events.get(action=MatterEvent.Action.ACCEPT)
        self.assertEqual((accept.actor, accept.visible_to_person), (self.sm_clerk, True))
        # The person hears of the answer, once; not of the acceptance as well.
        self.assertEqual(len(self.messages(matter, "matter.accepted")), 0)
        self.assertGreaterEqual(len(self.messages(matter, "matter.answered")), 1)
        self.assertEqual(self.state(), threads.ThreadState.ANSWERED)
        # A second answer changes nothing more.
        actions.do_comment(self.matter.pk, actor=self.sm_clerk, text="劳动仲裁不收费。", visible=True)
        self.assertEqual(self.events(matter), ["submit", "accept", "comment", "comment"])

    def test_an_unanswered_question_is_warned_and_escalated_on_the_answer_limit(self) -> None:
        # 3 个工作日内答复 (the catalogue's accept limit of a consultation): submitted on Monday morning, it is
        # warned after two working days and overdue after three.
        matter = self.reload(self.matter)
        self.assertEqual(matter.service_item.limit("accept"), (3, "workdays"))
        self.assertEqual(matter.step, "accept")
        self.assertEqual((matter.due_at, matter.warn_at), deadlines.limit_moments(MONDAY, 3, "workdays", 0.8))
        self.assertEqual(
            [timezone.localtime(m).date().isoformat() for m in (matter.warn_at, matter.due_at)],
            ["2025-03-05", "2025-03-06"],
        )
        assert matter.due_at is not None
        result = deadlines.scan_deadlines(matter.due_at + dt.timedelta(minutes=1))
        self.assertEqual((result.warned, result.escalated), ([matter.pk], [matter.pk]))
        self.assertIsNotNone(self.reload(matter).escalated_to)
        # Answered in time, the same question is never warned.
        other = self.submit(self.consultation, channel="web", description="租房押金不退怎么办？")
        actions.do_comment(other.pk, actor=self.sm_clerk, text="可以申请调解。", visible=True, now=MONDAY)
        later = deadlines.scan_deadlines(MONDAY + dt.timedelta(days=14))
        self.assertNotIn(other.pk, later.warned + later.escalated)

    def test_an_internal_note_or_the_persons_question_leaves_it_waiting(self) -> None:
        actions.do_comment(self.matter.pk, actor=self.sm_clerk, text="内部：待查", visible=False)
        actions.do_comment(self.matter.pk, actor=self.citizen, text="还需要准备什么？")
        matter = self.reload(self.matter)
        self.assertEqual((matter.status, matter.step), (Matter.Status.SUBMITTED, "accept"))

    def test_an_answer_on_another_business_line_does_not_accept_it(self) -> None:
        other = self.submit(self.legal_aid, channel="window")
        actions.do_comment(other.pk, actor=self.sm_handler, text="请补充收入证明。", visible=True)
        self.assertEqual(self.reload(other).status, Matter.Status.SUBMITTED)


class ResolveTestCase(ConsultationTestCase):
    def test_only_the_person_resolves_their_own_consultation(self) -> None:
        self.answer()
        with self.assertRaisesMessage(PermissionDenied, "只有咨询人本人可以确认问题已解决。"):
            do_resolve(self.matter.pk, actor=self.sm_clerk)
        stranger = User.objects.create_user("stranger", kind=User.Kind.PUBLIC, phone="13900001111")
        with self.assertRaisesMessage(PermissionDenied, "您只能办理本人的事项。"):
            do_resolve(self.matter.pk, actor=stranger)
        self.assertEqual(self.reload(self.matter).status, Matter.Status.ACCEPTED)

    def test_it_needs_an_answer_first(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            do_resolve(self.matter.pk, actor=self.citizen)
        self.assertEqual(ctx.exception.messages, ["工作人员答复后，才能确认问题已解决。"])
        # An internal note is no answer.
        actions.do_comment(self.matter.pk, actor=self.sm_clerk, text="内部：待查", visible=False)
        with self.assertRaises(ValidationError):
            do_resolve(self.matter.pk, actor=self.citizen)
        self.assertEqual(self.events(self.matter), ["submit", "comment"])

    def test_an_answered_consultation_is_completed_with_the_answers_and_the_unit_told(self) -> None:
        self.answer()
        actions.do_comment(self.matter.pk, actor=self.citizen, text="要交费吗？")
        self.answer("劳动仲裁不收费。")
        matter = do_resolve(self.matter.pk, actor=self.citizen, now=MONDAY)
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.COMPLETED)
        self.assertEqual(matter.result, "可以申请劳动仲裁。\n\n劳动仲裁不收费。")
        self.assertEqual((matter.completed_at, matter.due_at, matter.step), (MONDAY, None, ""))
        event = matter.events.latest("pk")
        self.assertEqual(
            (event.action, event.actor, event.old_status, event.new_status, event.visible_to_person),
            (
                MatterEvent.Action.COMPLETE,
                self.citizen,
                Matter.Status.ACCEPTED,
                Matter.Status.COMPLETED,
                True,
            ),
        )
        self.assertEqual(event.summary, "本人确认问题已解决，咨询办结")
        # The one whose answer solved it is the handler of record; the unit is told, not the person.
        self.assertEqual(matter.handler, self.sm_clerk)
        self.assertEqual(
            event.payload, {"resolved": True, "handler": self.sm_clerk.pk, "handler_of_record": True}
        )
        self.assertEqual(self.messages(matter, "matter.completed"), [])
        told = self.messages(matter, "matter.resolved")
        self.assertIn(self.sm_clerk, [m.user for m in told])
        self.assertTrue(all("服务对象确认问题已解决" in m.body for m in told))
        self.assertEqual(self.state(), threads.ThreadState.RESOLVED)
        with self.assertRaises(ValidationError) as ctx:
            do_resolve(self.matter.pk, actor=self.citizen)
        self.assertEqual(ctx.exception.messages, ["您已确认该咨询的问题已解决。"])
        # Rating it (好) closes it, as any completed matter.
        actions.do_rate(matter.pk, actor=self.citizen, level=5)
        self.assertEqual(self.reload(matter).status, Matter.Status.CLOSED)
        self.assertEqual(self.state(), threads.ThreadState.RESOLVED)

    def test_a_consultation_completed_by_staff_is_closed(self) -> None:
        handler = self.centre_handler()
        actions.do_accept(self.matter.pk, actor=handler)
        actions.do_complete(self.matter.pk, actor=handler, result="可以申请劳动仲裁。")
        self.assertEqual(self.state(), threads.ThreadState.ANSWERED)
        do_resolve(self.matter.pk, actor=self.citizen)
        matter = self.reload(self.matter)
        self.assertEqual((matter.status, matter.result), (Matter.Status.CLOSED, "可以申请劳动仲裁。"))
        closed = matter.events.latest("pk")
        self.assertEqual(closed.summary, "本人确认问题已解决，咨询关闭")
        self.assertEqual(
            (closed.action, closed.actor, closed.old_status, closed.visible_to_person, closed.payload),
            (MatterEvent.Action.CLOSE, self.citizen, Matter.Status.COMPLETED, True, {"resolved": True}),
        )
        self.assertIsNotNone(matter.closed_at)

    def test_not_while_waiting_for_materials_and_not_for_other_items(self) -> None:
        self.answer()
        actions.do_request_materials(self.matter.pk, actor=self.centre_handler(), missing=["劳动合同"])
        with self.assertRaisesMessage(ValidationError, "该事项当前状态为“待补正”，不能确认问题已解决。"):
            do_resolve(self.matter.pk, actor=self.citizen)
        aid = self.submit()
        Matter.objects.filter(pk=aid.pk).update(submitted_by=self.citizen)
        actions.do_comment(aid.pk, actor=self.sm_clerk, text="请带材料。", visible=True)
        with self.assertRaisesMessage(ValidationError, "只有法律咨询可以确认问题已解决。"):
            do_resolve(aid.pk, actor=self.citizen)

    def test_staff_still_complete_only_after_accepting(self) -> None:
        handler = self.centre_handler()
        with self.assertRaisesMessage(ValidationError, "该事项当前状态为“已提交”，不能办结。"):
            actions.do_complete(self.matter.pk, actor=handler, result="答复")


class ThreadStateTestCase(ConsultationTestCase):
    def test_the_state_follows_who_has_the_last_word(self) -> None:
        self.assertEqual(self.state(), threads.ThreadState.AWAITING)
        self.answer()
        self.assertEqual(self.state(), threads.ThreadState.ANSWERED)
        actions.do_comment(self.matter.pk, actor=self.citizen, text="还有一个问题")
        self.assertEqual(self.state(), threads.ThreadState.AWAITING)
        self.answer("请讲。")
        do_resolve(self.matter.pk, actor=self.citizen)
        self.assertEqual(self.state(), threads.ThreadState.RESOLVED)
        # Staff reopening it undoes 已解决: the unit works on it again.
        actions.do_reopen(self.matter.pk, actor=self.centre_handler(), reason="服务对象来电补充情况")
        self.assertEqual(self.state(), threads.ThreadState.AWAITING)
        self.assertEqual(threads.thread(self.reload(self.matter)).can_resolve, True)

    def test_a_rejected_consultation_without_answer_has_ended(self) -> None:
        handler = self.centre_handler()
        actions.do_reject(self.matter.pk, actor=handler, reason="不属于法律问题")
        self.assertEqual(self.state(), threads.ThreadState.ENDED)

    def test_states_of_several_in_one_query(self) -> None:
        other = self.submit(self.consultation, channel="web", description="离婚怎么分财产？")
        aid = self.submit()
        self.answer()
        matters = [self.reload(self.matter), self.reload(other), self.reload(aid)]
        with self.assertNumQueries(1):
            found = threads.states(matters)
        self.assertEqual(
            found, {self.matter.pk: threads.ThreadState.ANSWERED, other.pk: threads.ThreadState.AWAITING}
        )
