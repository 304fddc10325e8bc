"""Intake: do_submit creates the person and matters, routes them, starts the accept clock, writes events and
queues the receipt; resends with the same idempotency key return the first matters."""

from __future__ import annotations

from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError

from fawang.catalog.models import ServiceItem
from fawang.notify.models import Message

from .. import actions, tracking
from ..models import Matter, MatterEvent, Person
from .base import MONDAY, MatterTestCase, at, id_number


class SubmitTestCase(MatterTestCase):
    def test_window_intake_at_a_station_routes_legal_aid_to_the_district_centre(self) -> None:
        matter = self.submit()
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertEqual(matter.unit, self.sm_legal_aid)
        self.assertEqual(matter.intake_unit, self.station)
        self.assertEqual(matter.first_responder, self.sm_clerk)
        self.assertEqual(matter.region_id, "350203001")
        self.assertTrue(tracking.is_valid(matter.tracking_no))
        self.assertTrue(matter.tracking_no.startswith("FW250303"))
        # 7 days from receipt (法律援助法 第四十三条): Monday 3 March -> Monday 10 March, end of business.
        self.assertEqual(matter.step, "accept")
        self.assertEqual(matter.due_at, at(2025, 3, 10, 17, 30))
        # Warned at 0.8 of 7 days: day 5 is Saturday 8 March, so the warning comes on Friday 7 March.
        self.assertEqual(matter.warn_at, at(2025, 3, 7, 17, 30))
        event = MatterEvent.objects.get(matter=matter)
        self.assertEqual(
            (event.action, event.old_status, event.new_status, event.new_unit, event.visible_to_person),
            ("submit", "", "submitted", self.sm_legal_aid, True),
        )
        self.assertEqual(event.payload["route"], "walk_up")
        sms = Message.objects.get(related_id=str(matter.pk), channel="sms")
        self.assertEqual(sms.kind, "matter.submitted")
        self.assertEqual(sms.phone, "13912345678")
        self.assertIn(matter.tracking_no, sms.body)
        self.assertIn("思明区法律援助中心", sms.body)

    def test_one_visit_can_carry_several_matters_for_one_person(self) -> None:
        result = actions.do_submit(
            actor=self.sm_clerk,
            person=self.person(),
            requests=[
                actions.MatterRequest(self.legal_aid, "拖欠工资，申请法律援助。", self.region("350203001")),
                actions.MatterRequest(self.mediation, "与邻居因漏水发生纠纷。", self.region("350203001")),
                actions.MatterRequest(self.consultation, "咨询离婚财产分割。", self.region("350203001")),
            ],
            channel="window",
            intake_unit=self.station,
            now=MONDAY,
        )
        units = [m.unit.name for m in result.matters]
        self.assertEqual(
            units, ["思明区法律援助中心", "厦港街道人民调解委员会", "厦港街道公共法律服务工作站"]
        )
        self.assertEqual(len({m.person_id for m in result.matters}), 1)
        self.assertEqual(len({m.tracking_no for m in result.matters}), 3)
        # The consultation is handled where it was taken in (就地办理).
        self.assertEqual(MatterEvent.objects.get(matter=result.matters[2]).payload["route"], "intake")

    def test_a_resend_with_the_same_idempotency_key_returns_the_first_matter(self) -> None:
        def send() -> actions.SubmitResult:
            return actions.do_submit(
                actor=None,
                person=self.person(),
                requests=[actions.MatterRequest(self.consultation, "热线来电咨询。", self.region("350203"))],
                channel="hotline",
                idempotency_key="cti-call-0001",
                now=MONDAY,
            )

        first, second = send(), send()
        self.assertTrue(first.created)
        self.assertFalse(second.created)
        self.assertEqual([m.pk for m in second.matters], [m.pk for m in first.matters])
        self.assertEqual(Matter.objects.filter(idempotency_key="cti-call-0001").count(), 1)
        self.assertEqual(MatterEvent.objects.filter(matter=first.matters[0]).count(), 1)

    def test_a_resend_of_a_person_without_id_number_or_phone_adds_no_second_person(self) -> None:
        # Such a person is never matched to an earlier one; the resend's new person must go with its matter.
        def send() -> actions.SubmitResult:
            return actions.do_submit(
                actor=None,
                person=self.person(id_number="", phone=""),
                requests=[actions.MatterRequest(self.consultation, "来信咨询。", self.region("350203"))],
                channel="hotline",
                idempotency_key="letter-0001",
                now=MONDAY,
            )

        before = Person.objects.count()
        first, second = send(), send()
        self.assertFalse(second.created)
        self.assertEqual(second.person.pk, first.person.pk)
        self.assertEqual(Person.objects.count(), before + 1)

    def test_a_resend_after_the_item_stopped_still_gets_its_matter(self) -> None:
        def send() -> actions.SubmitResult:
            return actions.do_submit(
                actor=self.sm_clerk,
                person=self.person(),
                requests=[actions.MatterRequest(self.mediation, "邻里纠纷。", self.region("350203001"))],
                channel="window",
                intake_unit=self.station,
                idempotency_key="window-0001",
                now=MONDAY,
            )

        first = send()
        ServiceItem.objects.filter(pk=self.mediation.pk).update(is_active=False)
        self.mediation.is_active = False
        second = send()
        self.assertFalse(second.created)
        self.assertEqual([m.pk for m in second.matters], [m.pk for m in first.matters])
        # A new submission of the stopped item is refused.
        with self.assertRaisesMessage(ValidationError, "已停止受理"):
            self.submit(self.mediation)

    def test_a_tracking_number_drawn_twice_is_drawn_again(self) -> None:
        taken = self.submit().tracking_no
        fresh = tracking.generate(MONDAY)
        with mock.patch.object(tracking, "generate", side_effect=[taken, fresh]):
            matter = self.submit(self.mediation)
        self.assertEqual(matter.tracking_no, fresh)
        self.assertEqual(Matter.objects.filter(tracking_no=taken).count(), 1)
        self.assertEqual(MatterEvent.objects.filter(matter=matter).count(), 1)

    def test_the_same_id_number_finds_the_same_person(self) -> None:
        a = self.submit()
        b = self.submit(
            self.mediation, person=self.person(name="张三", phone="13800001111", special_groups=["elderly"])
        )
        self.assertEqual(a.person_id, b.person_id)
        person = Person.objects.get(pk=a.person_id)
        self.assertEqual(person.phone, "13800001111")
        self.assertEqual(person.special_groups, ["elderly"])

    def test_the_person_found_is_the_record_as_the_orm_reads_it(self) -> None:
        from ..actions.intake import _find_person, _person_query

        a = self.submit(person=self.person(special_groups=["elderly"], address="思明区湖滨南路 1 号"))
        stored = Person.objects.get(pk=a.person_id)
        for id_hash, name, phone in [
            (stored.id_number_hash, stored.name, stored.phone),
            (stored.id_number_hash, "别的名字", ""),
        ]:
            found = _find_person(id_hash, name, phone)
            expected = _person_query(id_hash, name, phone).first()
            assert found is not None and expected is not None
            self.assertEqual(
                {f.attname: getattr(found, f.attname) for f in Person._meta.concrete_fields},
                {f.attname: getattr(expected, f.attname) for f in Person._meta.concrete_fields},
            )
            self.assertEqual(found.id_number, id_number())  # decrypted
            self.assertEqual((found._state.adding, found._state.db), (False, "default"))
        self.assertIsNone(_find_person(Person.hash_id_number(id_number(seq="999")), "陈建华", ""))

    def test_without_id_number_the_same_name_and_phone_find_the_same_person(self) -> None:
        person = self.person(id_number="")
        a = self.submit(self.mediation, person=person)
        b = self.submit(self.consultation, person=person)
        self.assertEqual(a.person_id, b.person_id)

    def test_legal_aid_requires_an_id_number(self) -> None:
        before = Matter.objects.count()
        with self.assertRaises(ValidationError) as ctx:
            self.submit(person=self.person(id_number=""))
        self.assertEqual(
            ctx.exception.message_dict, {"id_number": ["办理“法律援助申请”须登记服务对象的身份证号码。"]}
        )
        self.assertEqual(Matter.objects.count(), before)

    def test_person_errors_are_in_chinese_and_keyed_by_field(self) -> None:
        bad_check = id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1")
        with self.assertRaises(ValidationError) as ctx:
            self.submit(
                person=self.person(name=" ", phone="12345", id_number=bad_check, special_groups=["vip"])
            )
        self.assertEqual(
            ctx.exception.message_dict,
            {
                "name": ["请填写服务对象姓名。"],
                "phone": ["请输入正确的联系电话：11 位手机号码，或带区号的固定电话，例如 0592-1234567。"],
                "id_number": ["身份证号码校验位不正确，请核对后重新输入。"],
                "special_groups": ["未知的特殊群体：vip。"],
            },
        )
        with self.assertRaises(ValidationError) as ctx:
            self.submit(person=self.person(id_number="350203" + "20991301" + "1234"))
        self.assertEqual(ctx.exception.message_dict, {"id_number": ["身份证号码中的出生日期无效。"]})

    def test_landline_is_accepted_but_gets_no_sms(self) -> None:
        matter = self.submit(self.mediation, person=self.person(phone="0592-2345678", id_number=""))
        self.assertEqual(matter.person.phone, "0592-2345678")
        self.assertFalse(Message.objects.filter(related_id=str(matter.pk)).exists())

    def test_an_item_not_offered_on_the_channel_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            self.submit(channel="hotline")
        self.assertEqual(ctx.exception.messages, ["“法律援助申请”不通过“热线”渠道受理。"])

    def test_inactive_item_is_refused(self) -> None:
        ServiceItem.objects.filter(pk=self.mediation.pk).update(is_active=False)
        self.mediation.refresh_from_db()
        with self.assertRaises(ValidationError) as ctx:
            self.submit(self.mediation)
        self.assertEqual(ctx.exception.messages, ["“人民调解申请”已停止受理。"])

    def test_manual_unit_needs_a_reason_which_the_event_keeps(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            self.submit(unit=self.hl_legal_aid)
        self.assertEqual(ctx.exception.messages, ["人工指定办理机构须说明理由。"])
        matter = self.submit(
            unit=self.hl_legal_aid, unit_reason="争议发生地在湖里区（法律援助法 第三十八条）"
        )
        self.assertEqual(matter.unit, self.hl_legal_aid)
        event = MatterEvent.objects.get(matter=matter)
        self.assertEqual(
            (event.payload["route"], event.note), ("manual", "争议发生地在湖里区（法律援助法 第三十八条）")
        )

    def test_roles_without_intake_are_refused(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.submit(actor=self.sm_supervisor, intake_unit=self.sm_centre)
        # A clerk of Huli may not take in at a Siming station.
        with self.assertRaises(PermissionDenied):
            self.submit(actor=self.hl_clerk)

    def test_the_public_submit_online_for_themselves(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.submit(actor=self.citizen, channel="window")
        matter = actions.do_submit(
            actor=self.citizen,
            person=self.person(name="王小明", phone="13800000000", id_number=id_number(seq="456")),
            requests=[actions.MatterRequest(self.legal_aid, "网上申请法律援助。", self.region("350203001"))],
            channel="web",
            now=MONDAY,
        ).matters[0]
        self.assertEqual(matter.submitted_by, self.citizen)
        self.assertIsNone(matter.first_responder)
        self.assertIsNone(matter.person.user)  # a form's claim never links an account
        self.assertEqual(list(Matter.objects.of_public_user(self.citizen)), [matter])


class DemoTestCase(MatterTestCase):
    def test_demo_matters_load_once_through_the_actions(self) -> None:
        from ..demo import load_matters_demo
        from ..models import Callback

        before = Matter.objects.count()
        made = load_matters_demo() or 0
        if made == 0:  # the session's demo data already has them
            self.assertTrue(Matter.objects.filter(idempotency_key__startswith="demo:").exists())
            return
        self.assertEqual(Matter.objects.count(), before + made)
        self.assertEqual(load_matters_demo(), 0)
        statuses = set(
            Matter.objects.filter(idempotency_key__startswith="demo:").values_list("status", flat=True)
        )
        self.assertTrue(
            {"submitted", "awaiting_materials", "in_progress", "closed", "completed", "accepted"} <= statuses
        )
        self.assertTrue(Callback.objects.filter(matter__idempotency_key="demo:sm-bad").exists())
