from __future__ import annotations

from django.urls import reverse

from fawang.matters.models import AccessLog, Person

from .base import MatterTestCase, id_number


class AdminTestCase(MatterTestCase):
    def test_admin_pages_render_and_lists_mask_personal_data(self) -> None:
        matter = self.submit()
        self.client.force_login(self.sysadmin)
        for url in (
            reverse("admin:matters_matter_changelist"),
            reverse("admin:matters_matter_change", args=[matter.pk]),
            reverse("admin:matters_accesslog_changelist"),
            reverse("admin:catalog_routingrule_changelist"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        people = self.client.get(reverse("admin:matters_person_changelist"))
        self.assertContains(people, "350203********" + id_number()[-4:])
        self.assertNotContains(people, id_number())
        self.assertNotContains(people, "13912345678")
        # The access log cannot be edited or added to by hand.
        self.assertEqual(self.client.get(reverse("admin:matters_accesslog_add")).status_code, 403)

    def test_workflow_and_personal_data_are_read_only(self) -> None:
        matter = self.submit()
        self.client.force_login(self.sysadmin)
        for model, obj in (("matter", matter), ("person", matter.person)):
            with self.subTest(model=model):
                change = reverse(f"admin:matters_{model}_change", args=[obj.pk])
                self.assertEqual(self.client.get(change).status_code, 200)
                self.assertEqual(self.client.post(change, {"name": "改名"}).status_code, 403)
                self.assertEqual(self.client.get(reverse(f"admin:matters_{model}_add")).status_code, 403)
                delete = reverse(f"admin:matters_{model}_delete", args=[obj.pk])
                self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        for model in ("evaluation", "callback", "rectification", "complaint", "attachment", "accesslog"):
            with self.subTest(model=model):
                self.assertEqual(
                    self.client.get(reverse(f"admin:matters_{model}_changelist")).status_code, 200
                )
                self.assertEqual(self.client.get(reverse(f"admin:matters_{model}_add")).status_code, 403)
        self.assertEqual(Person.objects.get(pk=matter.person_id).name, matter.person.name)

    def test_the_full_id_number_shows_only_on_the_logged_reveal_page(self) -> None:
        matter = self.submit()
        person = matter.person
        self.client.force_login(self.sysadmin)
        page = self.client.get(reverse("admin:matters_person_change", args=[person.pk]))
        self.assertContains(page, "350203********" + id_number()[-4:])
        self.assertNotContains(page, id_number())
        self.assertNotContains(page, "13912345678")
        reveal = reverse("admin:matters_person_reveal", args=[person.pk])
        self.assertContains(page, reveal)

        # Opening the page asks for a purpose and shows nothing yet; no purpose, nothing shown.
        self.assertNotContains(self.client.get(reveal), id_number())
        response = self.client.post(reveal, {"purpose": ""})
        self.assertContains(response, "请说明查看个人信息的事由。")
        self.assertNotContains(response, id_number())
        self.assertFalse(AccessLog.objects.filter(person=person).exists())

        response = self.client.post(reveal, {"purpose": "核实身份"}, REMOTE_ADDR="198.51.100.4")
        self.assertContains(response, id_number())
        self.assertContains(response, "13912345678")
        self.assertIn("no-store", response["Cache-Control"])
        log = AccessLog.objects.get(person=person)
        self.assertEqual(
            (log.user, log.username, log.purpose, log.fields, log.ip),
            (self.sysadmin, "sysadmin", "核实身份", "身份证号码、联系电话", "198.51.100.4"),
        )
