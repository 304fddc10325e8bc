from __future__ import annotations

from django.urls import reverse

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
