"""Issue 14, item 3: one person, one record. The same citizen asking online and then at a window (or the other
way round) is one Person, matched by the ID number's keyed hash, then by name and phone; a match that is not
certain leaves a possible-duplicate row in the audit trail and staff merge the records, with an audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from fawang.audit.testing import new_audit_rows
from fawang.matters import actions as matter_actions
from fawang.matters.models import Matter, Person
from fawang.matters.tests.base import id_number

from .. import actions
from .base import CitizenTestCase

PHONE = "13711118888"


class OnePersonTestCase(CitizenTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.user = self.make_citizen(PHONE, name="林晓燕", seq="456")
        self.id_number = id_number(seq="456")

    def ask_online(self) -> Matter:
        result = actions.do_ask(
            actor=self.user, question="劳动合同到期不续签有补偿吗？", region=self.region("350203")
        )
        return result.matters[0]

    def at_window(self, **person: str) -> Matter:
        data = {"name": "林晓燕", "phone": PHONE, "id_number": self.id_number, **person}
        return self.submit(self.consultation, person=self.person(**data), intake_unit=self.sm_centre)

    def test_online_first_then_the_window_finds_the_same_record(self) -> None:
        online = self.ask_online()
        walk_in = self.at_window()
        self.assertEqual(walk_in.person_id, online.person_id)
        person = Person.objects.get(pk=online.person_id)
        self.assertEqual(person.user, self.user)
        self.assertEqual(person.id_number, self.id_number)  # recorded by the front desk
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:detail", args=[walk_in.pk]))
        self.assertContains(page, "该服务对象还有 1 件其他事项")

    def test_window_first_then_online_with_the_same_id_name_and_mobile_is_linked(self) -> None:
        walk_in = self.at_window()
        with new_audit_rows() as rows:
            online = self.ask_online()
        self.assertEqual(online.person_id, walk_in.person_id)
        self.assertEqual(Person.objects.get(pk=walk_in.person_id).user, self.user)
        self.assertEqual([r.action for r in rows], ["matters.match_person"])
        self.assertEqual(Person.objects.filter(name="林晓燕").count(), 1)

    def test_an_uncertain_match_is_kept_apart_and_staff_merge_it(self) -> None:
        walk_in = self.at_window(phone="13900001111")  # another phone on file: not certain
        with new_audit_rows() as rows:
            online = self.ask_online()
        self.assertNotEqual(online.person_id, walk_in.person_id)
        self.assertEqual([r.action for r in rows], ["matters.possible_duplicate_person"])
        self.assertIn(f"服务对象档案 {walk_in.person_id} ", rows[0].note)
        with self.assertRaises(ValidationError):
            matter_actions.do_merge_persons(
                walk_in.person_id, online.person_id, actor=self.sm_clerk, unit=self.sm_centre, reason=" "
            )
        with new_audit_rows() as rows:
            kept = matter_actions.do_merge_persons(
                walk_in.person_id,
                online.person_id,
                actor=self.sm_clerk,
                unit=self.sm_centre,
                reason="已核对身份证件，为同一人。",
            )
        self.assertEqual(kept.pk, walk_in.person_id)
        self.assertEqual(kept.user, self.user)
        self.assertFalse(Person.objects.filter(pk=online.person_id).exists())
        self.assertEqual(
            set(Matter.objects.filter(person=kept).values_list("pk", flat=True)), {walk_in.pk, online.pk}
        )
        self.assertEqual([r.action for r in rows], ["matters.merge_persons"])
        self.assertEqual(rows[0].unit_id, self.sm_centre.pk)
        # The account's later questions go to the merged record.
        self.assertEqual(self.ask_online().person_id, kept.pk)

    def test_records_of_two_id_numbers_are_never_merged(self) -> None:
        walk_in = self.at_window()
        other = self.submit(
            self.consultation,
            person=self.person(name="林晓燕", phone="13900002222", id_number=id_number(seq="999")),
            intake_unit=self.sm_centre,
        )
        with self.assertRaises(ValidationError):
            matter_actions.do_merge_persons(
                walk_in.person_id, other.person_id, actor=self.sm_clerk, unit=self.sm_centre, reason="同名"
            )
