"""Every back-office action: the move it makes, the event it writes, what it tells the person, what it
refuses (exact Chinese messages) and who may not do it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from fawang.accounts.models import User
from fawang.catalog.models import ServiceItem
from fawang.orgs.models import Membership

from .. import actions
from ..actions import InvalidTransition
from ..models import Matter, MatterEvent
from .base import MONDAY, MatterTestCase, at


class AcceptRejectTestCase(MatterTestCase):
    def test_accept_starts_the_assign_clock_and_tells_the_person(self) -> None:
        matter = self.submit()
        accepted_at = at(2025, 3, 5, 10)  # Wednesday
        matter = actions.do_accept(matter.pk, actor=self.sm_handler, now=accepted_at)
        self.assertEqual(matter.status, Matter.Status.ACCEPTED)
        self.assertEqual(matter.accepted_at, accepted_at)
        # 3 days to assign (法律援助法 第四十三条): Wednesday -> Saturday 8 March is a rest day -> Monday 10 March.
        self.assertEqual((matter.step, matter.due_at), ("assign", at(2025, 3, 10, 17, 30)))
        self.assertEqual(self.events(matter), ["submit", "accept"])
        event = matter.events.get(action="accept")
        self.assertEqual(
            (event.old_status, event.new_status, event.actor), ("submitted", "accepted", self.sm_handler)
        )
        sms = self.messages(matter, "matter.accepted")[0]
        self.assertIn("决定给予法律援助", sms.body)

    def test_accept_twice_is_an_invalid_transition(self) -> None:
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        with self.assertRaises(InvalidTransition) as ctx:
            actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        self.assertEqual(ctx.exception.messages, ["该事项当前状态为“已受理”，不能受理。"])
        self.assertEqual(self.events(matter), ["submit", "accept"])

    def test_only_handling_roles_accept(self) -> None:
        matter = self.submit()
        for actor in (self.sm_clerk, self.sm_supervisor, self.hl_handler):
            with self.subTest(actor=actor.username), self.assertRaises(PermissionDenied):
                actions.do_accept(matter.pk, actor=actor, now=MONDAY)
        with self.assertRaises(PermissionDenied):
            actions.do_accept(matter.pk, actor=self.citizen, now=MONDAY)
        self.assertEqual(self.reload(matter).status, Matter.Status.SUBMITTED)

    def test_reject_needs_a_reason_and_tells_the_person_how_to_object(self) -> None:
        matter = self.submit()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_reject(matter.pk, actor=self.sm_handler, reason="  ")
        self.assertEqual(ctx.exception.messages, ["请填写不予受理的理由。"])
        matter = actions.do_reject(
            matter.pk, actor=self.sm_handler, reason="申请人家庭收入高于当地经济困难标准。"
        )
        self.assertEqual((matter.status, matter.due_at, matter.step), (Matter.Status.REJECTED, None, ""))
        body = self.messages(matter, "matter.rejected")[0].body
        self.assertIn("决定不予法律援助。理由：申请人家庭收入高于当地经济困难标准。", body)
        self.assertIn("法律援助法 第四十九条", body)
        with self.assertRaises(InvalidTransition) as refused:
            actions.do_complete(matter.pk, actor=self.sm_handler, result="已办结")
        self.assertEqual(refused.exception.messages, ["该事项当前状态为“不予受理”，不能办结。"])


class MaterialsTestCase(MatterTestCase):
    def test_request_lists_everything_at_once_and_pauses_the_clock(self) -> None:
        matter = self.submit()  # Monday 3 March, due Monday 10 March 17:30
        asked = at(2025, 3, 4, 10)  # Tuesday
        matter = actions.do_request_materials(
            matter.pk,
            actor=self.sm_handler,
            missing=["经济困难状况说明", "劳动合同或者工资凭证", "经济困难状况说明", " "],
            note="可以作出个人诚信承诺。",
            now=asked,
        )
        self.assertEqual(matter.status, Matter.Status.AWAITING_MATERIALS)
        self.assertEqual(matter.clock_paused_at, asked)
        self.assertEqual(matter.resume_status, Matter.Status.SUBMITTED)
        # 15 working days to supply: Tuesday 4 March -> Tuesday 25 March.
        self.assertEqual(matter.materials_due_at, at(2025, 3, 25, 17, 30))
        event = matter.events.get(action="request_materials")
        self.assertEqual(event.payload["missing"], ["经济困难状况说明", "劳动合同或者工资凭证"])
        self.assertTrue(event.visible_to_person)
        body = self.messages(matter, "matter.materials_requested")[0].body
        self.assertIn("1. 经济困难状况说明；2. 劳动合同或者工资凭证", body)
        self.assertIn("2025年3月25日 17:30 前一并提交，逾期未补正的视为撤回申请", body)
        with self.assertRaises(InvalidTransition) as ctx:
            actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["再要一份"], now=asked)
        self.assertEqual(ctx.exception.messages, ["该事项当前状态为“待补正”，不能要求补正材料。"])

    def test_empty_list_is_refused(self) -> None:
        matter = self.submit()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["", "  "])
        self.assertEqual(ctx.exception.messages, ["请一次性列出需要补正的全部材料。"])

    def test_supply_restarts_the_clock_later_by_the_working_days_paused(self) -> None:
        matter = self.submit()  # due Monday 10 March 17:30, warn Friday 7 March 17:30
        actions.do_request_materials(
            matter.pk, actor=self.sm_handler, missing=["身份证明"], now=at(2025, 3, 4, 10)
        )
        # Supplied the next Monday. The legal-aid limit is in natural days (七日), so the clock moves 6 days:
        # Monday 10 March + 6 = Sunday 16 March, a rest day -> Monday 17 March; the warning Friday 7 -> Thursday 13.
        supplied = at(2025, 3, 10, 11)
        matter = actions.do_supply_materials(matter.pk, actor=self.sm_clerk, now=supplied)
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertIsNone(matter.clock_paused_at)
        self.assertIsNone(matter.materials_due_at)
        self.assertEqual(matter.due_at, at(2025, 3, 17, 17, 30))
        self.assertEqual(matter.warn_at, at(2025, 3, 13, 17, 30))
        self.assertEqual(matter.paused_total.days, 6)
        self.assertEqual(self.events(matter), ["submit", "request_materials", "supply_materials"])
        # The handling unit is told.
        self.assertTrue(self.messages(matter, "matter.materials_supplied"))

    def test_a_working_day_limit_moves_by_the_working_days_paused(self) -> None:
        # 人民调解申请: 3 working days to accept. Monday 3 March -> Thursday 6 March 17:30.
        matter = self.submit(self.mediation)
        self.assertEqual(matter.due_at, at(2025, 3, 6, 17, 30))
        unit_handler = User.objects.create_user("mediator2", password="x-pass-2026-long")
        Membership.objects.create(user=unit_handler, unit=matter.unit, role=Membership.Role.HANDLER)
        actions.do_request_materials(
            matter.pk, actor=unit_handler, missing=["身份证明"], now=at(2025, 3, 4, 10)
        )
        # Paused Tuesday, supplied next Monday: Wednesday, Thursday, Friday, Monday = 4 working days.
        matter = actions.do_supply_materials(matter.pk, actor=unit_handler, now=at(2025, 3, 10, 11))
        self.assertEqual(matter.due_at, at(2025, 3, 12, 17, 30))
        # Paused and supplied on the same day: nothing moves.
        actions.do_request_materials(matter.pk, actor=unit_handler, missing=["证据"], now=at(2025, 3, 11, 9))
        matter = actions.do_supply_materials(matter.pk, actor=unit_handler, now=at(2025, 3, 11, 16))
        self.assertEqual(matter.due_at, at(2025, 3, 12, 17, 30))

    def test_the_person_may_supply_online_but_not_for_others(self) -> None:
        matter = self.submit()
        actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["身份证明"], now=MONDAY)
        with self.assertRaises(PermissionDenied):
            actions.do_supply_materials(matter.pk, actor=self.citizen)
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        matter = actions.do_supply_materials(matter.pk, actor=self.citizen, now=MONDAY)
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)

    def test_never_supplied_counts_as_withdrawn(self) -> None:
        matter = self.submit()
        actions.do_request_materials(matter.pk, actor=self.sm_handler, missing=["身份证明"], now=MONDAY)
        self.assertFalse(actions.withdraw_if_never_supplied(matter.pk, now=at(2025, 3, 24, 17)))
        self.assertTrue(actions.withdraw_if_never_supplied(matter.pk, now=at(2025, 3, 24, 17, 31)))
        matter = self.reload(matter)
        self.assertEqual(matter.status, Matter.Status.WITHDRAWN)
        event = matter.events.get(action="withdraw")
        self.assertIsNone(event.actor)
        self.assertEqual(event.note, "申请人未在补正期限内补正材料，视为撤回申请。")
        self.assertEqual(
            (event.old_status, event.payload, event.visible_to_person),
            (Matter.Status.AWAITING_MATERIALS, {"automatic": True}, True),
        )
        self.assertEqual((matter.materials_due_at, matter.resume_status, matter.due_at), (None, "", None))
        self.assertIn("因逾期未补正材料，视为撤回申请", self.messages(matter, "matter.withdrawn")[0].body)
        self.assertFalse(actions.withdraw_if_never_supplied(matter.pk, now=at(2025, 4, 1)))


class AssignTransferTestCase(MatterTestCase):
    def accepted(self) -> Matter:
        matter = self.submit()
        return actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)

    def test_assign_starts_the_complete_step_and_tells_the_handler(self) -> None:
        matter = actions.do_assign(
            self.accepted().pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY
        )
        self.assertEqual(
            (matter.status, matter.handler, matter.step),
            (Matter.Status.IN_PROGRESS, self.sm_handler, "complete"),
        )
        self.assertIsNone(matter.due_at)  # legal aid has no completion limit in the catalogue
        inbox = self.messages(matter, "matter.assigned")
        self.assertEqual({m.channel for m in inbox}, {"inapp", "sms"})
        self.assertEqual(next(m.user for m in inbox if m.channel == "inapp"), self.sm_handler)

    def test_handler_must_work_in_the_matters_unit(self) -> None:
        matter = self.accepted()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_clerk)
        self.assertEqual(ctx.exception.messages, ["承办人须为思明区法律援助中心在岗的承办人员。"])

    def test_reassign_keeps_the_clock_and_refuses_the_same_handler(self) -> None:
        matter = actions.do_assign(
            self.accepted().pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY
        )
        with self.assertRaises(ValidationError) as ctx:
            actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler)
        self.assertEqual(ctx.exception.messages, ["该事项已由此人承办。"])
        colleague = User.objects.create_user("sm_handler2", password="x-pass-2026-long", display_name="李四")
        Membership.objects.create(user=colleague, unit=self.sm_legal_aid, role=Membership.Role.HANDLER)
        # Supervisors reassign too.
        matter = actions.do_assign(matter.pk, actor=self.sm_supervisor, handler=colleague, note="工作量调整")
        self.assertEqual(matter.handler, colleague)
        event = matter.events.filter(action="assign").last()
        assert event is not None
        self.assertEqual(event.payload, {"handler": colleague.pk, "previous": self.sm_handler.pk})

    def test_assign_before_acceptance_is_refused(self) -> None:
        matter = self.submit()
        with self.assertRaises(InvalidTransition) as ctx:
            actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler)
        self.assertEqual(ctx.exception.messages, ["该事项当前状态为“已提交”，不能分派。"])

    def test_transfer_keeps_person_and_history_and_restarts_acceptance(self) -> None:
        matter = actions.do_assign(
            self.accepted().pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY
        )
        with self.assertRaises(ValidationError) as ctx:
            actions.do_transfer(matter.pk, actor=self.sm_handler, unit=self.hl_legal_aid, reason="")
        self.assertEqual(ctx.exception.messages, ["转办须说明理由。"])
        later = at(2025, 3, 4, 9)
        matter = actions.do_transfer(
            matter.pk, actor=self.sm_handler, unit=self.hl_legal_aid, reason="争议发生地在湖里区。", now=later
        )
        self.assertEqual(
            (matter.status, matter.unit, matter.handler), (Matter.Status.SUBMITTED, self.hl_legal_aid, None)
        )
        self.assertEqual((matter.step, matter.due_at), ("accept", at(2025, 3, 11, 17, 30)))
        event = matter.events.get(action="transfer")
        self.assertEqual(
            (event.old_unit, event.new_unit, event.note),
            (self.sm_legal_aid, self.hl_legal_aid, "争议发生地在湖里区。"),
        )
        self.assertEqual(
            (event.old_status, event.new_status, event.visible_to_person, event.payload),
            (Matter.Status.IN_PROGRESS, Matter.Status.SUBMITTED, True, {}),
        )
        self.assertIn("已转至湖里区法律援助中心办理", self.messages(matter, "matter.transferred")[0].body)
        # The Huli handler now sees it (its unit) and can accept it; the history is one timeline.
        self.assertTrue(Matter.objects.visible_to(self.hl_handler).filter(pk=matter.pk).exists())
        actions.do_accept(matter.pk, actor=self.hl_handler, now=later)
        self.assertEqual(self.events(matter), ["submit", "accept", "assign", "transfer", "accept"])
        with self.assertRaises(ValidationError) as ctx:
            actions.do_transfer(matter.pk, actor=self.hl_handler, unit=self.hl_legal_aid, reason="再转")
        self.assertEqual(ctx.exception.messages, ["该事项已在湖里区法律援助中心办理，无需转办。"])

    def test_transfer_by_a_unit_outside_the_region_is_refused(self) -> None:
        matter = self.accepted()
        with self.assertRaises(PermissionDenied):
            actions.do_transfer(matter.pk, actor=self.hl_clerk, unit=self.hl_legal_aid, reason="x")


class ChangeItemTestCase(MatterTestCase):
    def test_a_consultation_becomes_a_legal_aid_application(self) -> None:
        matter = self.submit(self.consultation, description="咨询被拖欠工资怎么办。")
        self.assertEqual(matter.unit, self.station)
        changed = actions.do_change_item(
            matter.pk,
            actor=self.sm_clerk,
            service_item=self.legal_aid,
            reason="符合法律援助条件，当场转为申请。",
            now=MONDAY,
        )
        self.assertEqual(changed.pk, matter.pk)
        self.assertEqual(
            (changed.service_item, changed.unit, changed.status),
            (self.legal_aid, self.sm_legal_aid, Matter.Status.SUBMITTED),
        )
        self.assertEqual(changed.person_id, matter.person_id)
        self.assertEqual(changed.tracking_no, matter.tracking_no)
        self.assertEqual(changed.due_at, at(2025, 3, 10, 17, 30))
        event = changed.events.get(action="change_item")
        self.assertEqual(
            (event.payload["old_item_name"], event.payload["new_item_name"]), ("法律咨询", "法律援助申请")
        )
        self.assertEqual((event.old_unit, event.new_unit), (self.station, self.sm_legal_aid))
        self.assertEqual((event.note, event.visible_to_person), ("符合法律援助条件，当场转为申请。", True))
        self.assertEqual(
            (event.payload["old_item"], event.payload["new_item"], event.payload["unit_reason"]),
            (self.consultation.pk, self.legal_aid.pk, ""),
        )
        self.assertIn("已转为“法律援助申请”", self.messages(changed, "matter.item_changed")[0].body)

    def test_change_to_an_item_needing_an_id_number(self) -> None:
        matter = self.submit(self.consultation, person=self.person(id_number=""))
        with self.assertRaises(ValidationError) as ctx:
            actions.do_change_item(
                matter.pk, actor=self.sm_clerk, service_item=self.legal_aid, reason="转申请"
            )
        self.assertEqual(
            ctx.exception.message_dict, {"id_number": ["办理“法律援助申请”须登记服务对象的身份证号码。"]}
        )
        with self.assertRaises(ValidationError) as ctx:
            actions.do_change_item(
                matter.pk, actor=self.sm_clerk, service_item=self.consultation, reason="同一事项"
            )
        self.assertEqual(ctx.exception.messages, ["该事项已是“法律咨询”。"])


class SuspendCompleteReopenTestCase(MatterTestCase):
    def in_progress(self) -> Matter:
        matter = self.submit()
        actions.do_accept(matter.pk, actor=self.sm_handler, now=MONDAY)
        return actions.do_assign(matter.pk, actor=self.sm_handler, handler=self.sm_handler, now=MONDAY)

    def test_suspend_and_resume(self) -> None:
        matter = self.submit(self.mediation)
        mediator_unit = matter.unit
        officer = User.objects.create_user("mediator1", password="x-pass-2026-long")
        Membership.objects.create(user=officer, unit=mediator_unit, role=Membership.Role.HANDLER)
        actions.do_accept(matter.pk, actor=officer, now=MONDAY)
        with self.assertRaises(ValidationError) as ctx:
            actions.do_suspend(matter.pk, actor=officer, reason="")
        self.assertEqual(ctx.exception.messages, ["请填写中止的理由。"])
        matter = actions.do_suspend(matter.pk, actor=officer, reason="等待司法鉴定结论。", now=at(2025, 3, 4))
        self.assertEqual(
            (matter.status, matter.resume_status), (Matter.Status.SUSPENDED, Matter.Status.ACCEPTED)
        )
        matter = actions.do_resume(matter.pk, actor=officer, now=at(2025, 3, 5))
        self.assertEqual(matter.status, Matter.Status.ACCEPTED)
        self.assertEqual(self.events(matter), ["submit", "accept", "suspend", "resume"])

    def test_complete_needs_a_result_and_sends_it(self) -> None:
        matter = self.in_progress()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_complete(matter.pk, actor=self.sm_handler, result="")
        self.assertEqual(ctx.exception.messages, ["请填写办理结果。"])
        done = at(2025, 4, 1, 15)
        matter = actions.do_complete(
            matter.pk, actor=self.sm_handler, result="已代为申请劳动仲裁，追回工资 18000 元。", now=done
        )
        self.assertEqual(
            (matter.status, matter.completed_at, matter.step), (Matter.Status.COMPLETED, done, "")
        )
        self.assertIn(
            "办理结果：已代为申请劳动仲裁，追回工资 18000 元。",
            self.messages(matter, "matter.completed")[0].body,
        )

    def test_reopen_goes_back_to_the_handler(self) -> None:
        matter = self.in_progress()
        actions.do_complete(matter.pk, actor=self.sm_handler, result="已办结。")
        with self.assertRaises(PermissionDenied):
            actions.do_reopen(matter.pk, actor=self.sm_clerk, reason="x")
        with self.assertRaises(ValidationError) as ctx:
            actions.do_reopen(matter.pk, actor=self.sm_supervisor, reason="")
        self.assertEqual(ctx.exception.messages, ["请说明重新办理的理由。"])
        matter = actions.do_reopen(matter.pk, actor=self.sm_supervisor, reason="服务对象反映未收到结果。")
        self.assertEqual(
            (matter.status, matter.handler, matter.completed_at),
            (Matter.Status.IN_PROGRESS, self.sm_handler, None),
        )

    def test_a_rejected_matter_reopens_from_the_start(self) -> None:
        matter = self.submit()
        actions.do_reject(matter.pk, actor=self.sm_handler, reason="不符合条件。")
        matter = actions.do_reopen(
            matter.pk,
            actor=self.sm_supervisor,
            reason="异议成立，责令改正（法律援助法 第四十九条）。",
            now=MONDAY,
        )
        self.assertEqual((matter.status, matter.step), (Matter.Status.SUBMITTED, "accept"))

    def test_withdraw_by_the_person(self) -> None:
        matter = self.submit()
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        matter = actions.do_withdraw(matter.pk, actor=self.citizen, reason="已与单位和解。")
        self.assertEqual(matter.status, Matter.Status.WITHDRAWN)
        self.assertEqual((matter.step, matter.due_at), ("", None))
        event = matter.events.get(action="withdraw")
        self.assertEqual(
            (event.actor, event.old_status, event.note, event.payload),
            (self.citizen, Matter.Status.SUBMITTED, "已与单位和解。", {}),
        )
        self.assertTrue(self.messages(matter, "matter.withdrawn"))
        with self.assertRaises(InvalidTransition) as ctx:
            actions.do_withdraw(matter.pk, actor=self.citizen)
        self.assertEqual(ctx.exception.messages, ["该事项当前状态为“已撤回”，不能撤回。"])


class EscalateCommentTestCase(MatterTestCase):
    def test_escalate_to_the_supervising_bureau(self) -> None:
        matter = self.submit()
        with self.assertRaises(PermissionDenied):
            actions.do_escalate(matter.pk, actor=self.sm_clerk, reason="x")
        matter = actions.do_escalate(
            matter.pk, actor=self.sm_handler, reason="案情复杂，需要协调。", now=MONDAY
        )
        self.assertEqual((matter.escalated_to, matter.escalated_at), (self.sm_bureau, MONDAY))
        event = matter.events.get(action="escalate")
        self.assertFalse(event.visible_to_person)
        inbox = self.messages(matter, "matter.escalated")
        self.assertEqual([m.user for m in inbox], [self.sm_supervisor])

    def test_internal_and_visible_comments(self) -> None:
        matter = self.submit()
        actions.do_comment(matter.pk, actor=self.sm_handler, text="已电话联系申请人。")
        actions.do_comment(matter.pk, actor=self.sm_handler, text="请携带工资条原件。", visible=True)
        self.assertEqual(
            list(matter.visible_events().values_list("action", "note")),
            [("submit", ""), ("comment", "请携带工资条原件。")],
        )
        with self.assertRaises(ValidationError) as ctx:
            actions.do_comment(matter.pk, actor=self.sm_handler, text=" ")
        self.assertEqual(ctx.exception.messages, ["请填写留言内容。"])
        with self.assertRaises(PermissionDenied):
            actions.do_comment(matter.pk, actor=self.citizen, text="我的留言")

    def test_a_comment_by_the_person_is_visible_and_tells_the_unit(self) -> None:
        matter = self.submit()
        Matter.objects.filter(pk=matter.pk).update(submitted_by=self.citizen)
        event = actions.do_comment(matter.pk, actor=self.citizen, text="我下午三点到窗口。")
        self.assertTrue(event.visible_to_person)
        self.assertEqual([m.user for m in self.messages(matter, "matter.comment")], [self.sm_handler])


class MergeSplitTestCase(MatterTestCase):
    def test_merge_duplicates_of_the_same_person(self) -> None:
        keep, dupe = self.submit(), self.submit()
        with self.assertRaises(ValidationError) as ctx:
            actions.do_merge(keep.pk, [dupe.pk], actor=self.sm_handler, reason="")
        self.assertEqual(ctx.exception.messages, ["请说明合并的理由。"])
        kept = actions.do_merge(
            keep.pk, [dupe.pk], actor=self.sm_handler, reason="同一申请重复提交。", now=MONDAY
        )
        dupe = self.reload(dupe)
        self.assertEqual((dupe.status, dupe.parent_id, dupe.due_at), (Matter.Status.MERGED, kept.pk, None))
        self.assertEqual(dupe.events.get(action="merge").payload["into_tracking_no"], kept.tracking_no)
        self.assertEqual(kept.events.get(action="merge").payload["merged"], [dupe.pk])
        with self.assertRaises(InvalidTransition) as refused:
            actions.do_accept(dupe.pk, actor=self.sm_handler)
        self.assertEqual(refused.exception.messages, ["该事项当前状态为“已合并”，不能受理。"])

    def test_merge_refuses_another_persons_matter(self) -> None:
        from .base import id_number

        keep = self.submit()
        stranger = self.submit(
            person=self.person(name="李四", phone="13700000000", id_number=id_number(seq="777"))
        )
        with self.assertRaises(ValidationError) as ctx:
            actions.do_merge(keep.pk, [stranger.pk], actor=self.sm_handler, reason="重复")
        self.assertEqual(ctx.exception.messages, ["只能合并同一服务对象的重复事项。"])
        self.assertEqual(self.reload(stranger).status, Matter.Status.SUBMITTED)

    def test_split_one_visit_into_several_matters(self) -> None:
        matter = self.submit(self.consultation, description="咨询工资和邻里纠纷两件事。")
        children = actions.do_split(
            matter.pk,
            [
                actions.MatterRequest(self.legal_aid, "拖欠工资，申请法律援助。", self.region("350203001")),
                actions.MatterRequest(self.mediation, "邻里漏水纠纷。", self.region("350203001")),
            ],
            actor=self.sm_clerk,
            reason="一次来访反映两件事，分别办理。",
            now=MONDAY,
        )
        self.assertEqual([c.unit.name for c in children], ["思明区法律援助中心", "厦港街道人民调解委员会"])
        self.assertTrue(all(c.parent_id == matter.pk and c.person_id == matter.person_id for c in children))
        self.assertEqual(matter.events.get(action="split").payload["children"], [c.pk for c in children])
        self.assertEqual(children[0].events.get(action="submit").payload["split_from"], matter.pk)
        self.assertEqual(Matter.objects.filter(parent=matter).count(), 2)


class CatalogDrivenTestCase(MatterTestCase):
    def test_an_item_with_no_accept_limit_has_no_clock(self) -> None:
        ServiceItem.objects.filter(pk=self.mediation.pk).update(accept_limit=None)
        self.mediation.refresh_from_db()
        matter = self.submit(self.mediation)
        self.assertEqual((matter.step, matter.due_at, matter.warn_at), ("accept", None, None))

    def test_events_are_written_in_the_same_transaction(self) -> None:
        matter = self.submit()
        count = MatterEvent.objects.count()
        with self.assertRaises(ValidationError):
            actions.do_reject(matter.pk, actor=self.sm_handler, reason="")
        self.assertEqual(MatterEvent.objects.count(), count)
