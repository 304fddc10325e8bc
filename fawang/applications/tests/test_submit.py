"""Submitting: one do_submit call makes the Matter, routed by the application's region, with the files as its
attachments; a resubmission makes nothing twice; the matter's person is chosen without trusting the claim."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from fawang.audit.models import AuditEvent
from fawang.matters import actions as matter_actions
from fawang.matters.models import Attachment, Matter, MatterEvent, Person
from fawang.notify.models import Message

from .. import actions
from ..models import Application, ApplicationFile
from .base import ApplicationTestCase, id_number, pdf


class SubmitTestCase(ApplicationTestCase):
    def test_a_legal_aid_application_becomes_one_routed_matter_with_its_files(self) -> None:
        app = self.fill_legal_aid(self.start())
        stored = [row.file.name or "" for row in app.files.all()]
        self.assertTrue(all(default_storage.exists(name) for name in stored))
        with self.captureOnCommitCallbacks(execute=True):
            result = actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        self.assertTrue(result.created)
        matter = Matter.objects.select_related("person", "unit").get(submitted_by=self.user)
        self.assertEqual(result.matter, matter)
        self.assertEqual(matter.service_item, self.legal_aid)
        self.assertEqual(matter.channel, "web")
        self.assertEqual(matter.region_id, "350203001")
        self.assertEqual(matter.unit, self.sm_legal_aid)  # 第三十八条: the district centre of the 事由发生地
        self.assertEqual(matter.status, Matter.Status.SUBMITTED)
        self.assertEqual(matter.submitted_by, self.user)
        self.assertEqual(matter.idempotency_key, f"apply:{app.pk}")
        self.assertTrue(matter.description.startswith("申请事项（案由）：请求确认劳动关系或者支付劳动报酬；"))
        self.assertIn("对方当事人：厦门某某装修工程有限公司", matter.description)
        self.assertTrue(matter.description.endswith("无力聘请律师。"))
        # The item needs the ID number: a new person with the applicant's details and no account link.
        person = matter.person
        self.assertEqual(
            (person.name, person.phone, person.id_number), ("王建国", "13711112222", app.applicant_id_number)
        )
        self.assertIsNone(person.user)
        self.assertEqual(person.special_groups, ["migrant_worker"])
        # The files are the matter's attachments now, for their catalogue materials; the draft copies are gone.
        attachments = list(Attachment.objects.filter(matter=matter).select_related("material").order_by("pk"))
        self.assertEqual(
            [a.material.name for a in attachments if a.material],
            ["申请人身份证明", "与所申请法律援助事项有关的材料"],
        )
        self.assertEqual(
            [e.action for e in MatterEvent.objects.filter(matter=matter).order_by("pk")],
            ["submit", "attach", "attach"],
        )
        self.assertFalse(any(default_storage.exists(name) for name in stored))
        self.assertEqual(set(ApplicationFile.objects.values_list("file", flat=True)), {""})
        self.assertEqual(
            {row.attachment_id for row in ApplicationFile.objects.all()}, {a.pk for a in attachments}
        )
        app.refresh_from_db()
        self.assertEqual((app.status, app.matter, app.channel), ("submitted", matter, "web"))
        # The person is told by SMS, as for any submission.
        sms = Message.objects.get(kind="matter.submitted", phone="13711112222")
        self.assertIn("办理机构：思明区法律援助中心", sms.body)
        # Another application of the same item can be started now.
        self.assertTrue(actions.start_application(actor=self.user, item=self.legal_aid).created)

    def test_submitting_again_makes_nothing_twice(self) -> None:
        app = self.fill_legal_aid(self.start())
        first = actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        counts = (
            Matter.objects.count(),
            MatterEvent.objects.count(),
            Attachment.objects.count(),
            Message.objects.count(),
        )
        again = actions.do_submit_application(app.pk, actor=self.user, channel="app", pledge=True)
        self.assertFalse(again.created)
        self.assertEqual(again.matter.pk, first.matter.pk)
        self.assertEqual(
            (
                Matter.objects.count(),
                MatterEvent.objects.count(),
                Attachment.objects.count(),
                Message.objects.count(),
            ),
            counts,
        )
        self.assertEqual(Application.objects.get(pk=app.pk).channel, "web")

    def test_an_incomplete_draft_says_what_is_missing(self) -> None:
        app = self.start()
        with self.assertRaises(ValidationError) as raised:
            actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        self.assertEqual(
            raised.exception.messages,
            [
                "请填写“申请人信息”。",
                "请填写“事项情况”。",
                "请填写“对方当事人”。",
                "请填写“家庭经济状况”。",
                "请上传“申请人身份证明”。",
                "请上传“与所申请法律援助事项有关的材料”。",
            ],
        )
        self.assertFalse(Matter.objects.filter(submitted_by=self.user).exists())
        with self.assertRaisesMessage(ValidationError, "只能通过网站、APP 或微信提交。"):
            actions.do_submit_application(app.pk, actor=self.user, channel="window", pledge=True)

    def test_stating_a_registered_persons_id_number_does_not_file_under_their_record(self) -> None:
        # Issue 13: a citizen typed the ID number of a person staff registered; the application went on that
        # person's record and the "已提交" SMS to their phone.
        registered = matter_actions.resolve_person(
            matter_actions.PersonData(
                name="王建国", phone="13900001111", id_number=self.user.profile.id_number
            )
        )
        app = self.fill_legal_aid(self.start())
        with self.captureOnCommitCallbacks(execute=True):
            matter = actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter
        self.assertNotEqual(matter.person, registered)
        self.assertEqual((matter.person.user, matter.person.id_number), (self.user, ""))
        self.assertFalse(Message.objects.filter(phone="13900001111").exists())
        registered.refresh_from_db()
        # The claim changed nothing staff recorded, and linked no account; staff see a possible duplicate.
        self.assertEqual(
            (registered.phone, registered.user_id, registered.special_groups), ("13900001111", None, [])
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="matters.possible_duplicate_person", person=self.user).exists()
        )
        self.assertEqual(list(Matter.objects.of_public_user(self.user)), [matter])

    def test_once_the_account_proved_the_record_is_its_own_the_application_goes_on_it(self) -> None:
        registered = matter_actions.resolve_person(
            matter_actions.PersonData(
                name="王建国", phone="13900001111", id_number=self.user.profile.id_number
            )
        )
        # Staff checked the identity document at a window (the other proof is a code: citizens' test_id_claim).
        matter_actions.do_link_account(registered.pk, actor=self.sm_clerk, user=self.user, unit=self.station)
        app = self.fill_legal_aid(self.start())
        matter = actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter
        self.assertEqual(matter.person, registered)

    def test_an_item_without_id_number_uses_the_accounts_own_person(self) -> None:
        app = self.start("mediation")
        self.save(app, "applicant", {"phone": "13711112222"})
        self.save(
            app,
            "matter",
            {
                "dispute_type": "neighbour",
                "description": "楼上漏水。",
                "claim": "维修。",
                "consent": "unknown",
                "region": "350203001001",
            },
        )
        self.save(
            app,
            "parties",
            {"parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "0", "parties-0-name": "陈某"},
        )
        for m in app.service_item.materials.filter(is_required=True):
            actions.do_upload_material(app.pk, actor=self.user, slot=f"m{m.pk}", upload=pdf())
        matter = actions.do_submit_application(app.pk, actor=self.user, channel="wechat", pledge=True).matter
        self.assertEqual(matter.person.user, self.user)
        # One person, one record (issue 14, item 3): the account's own record carries its ID number, so the
        # front desk finds the same record by it.
        from fawang.citizens.models import Profile

        self.assertEqual(matter.person.id_number_hash, Profile.objects.get(user=self.user).id_number_hash)
        self.assertEqual(matter.channel, "wechat")
        self.assertEqual(matter.unit.name, "厦港街道人民调解委员会")
        self.assertIn("被申请人：陈某", matter.description)

    def test_a_generic_item_is_applied_for_with_the_generic_form(self) -> None:
        app = self.start("publicity")
        self.assertEqual(
            [s.code for s in actions.definition_for(app.service_item).steps],  # type: ignore[union-attr]
            ["applicant", "matter", "materials", "confirm"],
        )
        self.save(app, "applicant", {"phone": "13711112222"})
        self.save(
            app,
            "matter",
            {"description": "鸿山社区预约一场反诈普法讲座，约 60 人。", "region": "350203001001"},
        )
        matter = actions.do_submit_application(app.pk, actor=self.user, pledge=True).matter
        self.assertEqual(matter.unit.name, "厦港街道司法所")
        self.assertEqual(matter.description, "鸿山社区预约一场反诈普法讲座，约 60 人。")

    def test_the_id_number_must_be_on_the_application_of_an_item_that_needs_it(self) -> None:
        app = self.fill_legal_aid(self.start())
        Application.objects.filter(pk=app.pk).update(applicant_id_number="")
        with self.assertRaisesMessage(ValidationError, "办理“法律援助申请”须登记申请人的身份证号码。"):
            actions.do_submit_application(app.pk, actor=self.user, pledge=True)
        self.assertFalse(
            Person.objects.filter(
                id_number_hash=Person.hash_id_number(id_number(born="19850615", seq="371"))
            ).exists()
        )
