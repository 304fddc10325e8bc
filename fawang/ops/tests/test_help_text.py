"""manage.py check_help_text: a model field without help_text is named and fails the check; the self-evident
names of the allow-list and Django's own inherited fields pass."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.contrib.auth.models import AbstractUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import SimpleTestCase
from django.test.utils import isolate_apps

from fawang.ops import helptext

# The apps whose fields help23a documented (issue 23); the Makefile's line checks every fawang app.
DOCUMENTED_APPS = [
    "accounts",
    "regions",
    "orgs",
    "audit",
    "workcalendar",
    "catalog",
    "matters",
    "notify",
    "knowledge",
    "citizens",
    "consult",
    "applications",
    "notary",
    "appraisal",
    "api",
    "ops",
]


def run_check(*labels: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check_help_text", *labels, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@isolate_apps("fawang.ops")
class MissingHelpTextTestCase(SimpleTestCase):
    def make_models(self) -> tuple[type[models.Model], type[models.Model]]:
        class Office(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "ops"

            def __str__(self) -> str:
                return self.name

        class Visit(models.Model):
            office = models.ForeignKey(Office, on_delete=models.CASCADE)
            host = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
            title = models.CharField(max_length=20)
            due_at = models.DateTimeField(help_text="回访期限。")
            outcome = models.TextField()
            created_at = models.DateTimeField()

            class Meta:
                app_label = "ops"

            def __str__(self) -> str:
                return self.title

        return Office, Visit

    def test_it_names_fields_without_help_text_and_passes_the_allowed(self) -> None:
        office, visit = self.make_models()
        # `office` points to Office (named after its model), `host` does not; `title`, `name` and `created_at`
        # are on the allow-list; `due_at` has its text.
        self.assertEqual(
            helptext.fields_missing_help_text([office, visit]), ["ops.Visit.host", "ops.Visit.outcome"]
        )
        self.assertEqual(helptext.coverage([visit]), (1, 6))

    def test_the_command_fails_naming_the_field(self) -> None:
        _office, visit = self.make_models()
        with (
            mock.patch("fawang.ops.management.commands.check_help_text.fawang_models", return_value=[visit]),
            self.assertRaisesMessage(
                CommandError, "2 个模型字段缺少 help_text / 2 model fields lack help_text"
            ),
        ):
            out, err = StringIO(), StringIO()
            try:
                call_command("check_help_text", stdout=out, stderr=err)
            finally:
                self.assertIn(
                    "字段缺少 help_text / field without help_text: ops.Visit.host\n", err.getvalue()
                )
                self.assertIn("ops.Visit.outcome\n", err.getvalue())

    def test_fields_inherited_unchanged_from_django_are_not_ours_to_describe(self) -> None:
        class Account(AbstractUser):
            kind = models.CharField(max_length=8)
            email = models.EmailField(blank=True)  # redefined here: ours now, so it needs a text

            class Meta:
                app_label = "ops"

        missing = helptext.fields_missing_help_text([Account])
        self.assertEqual(sorted(missing), ["ops.Account.email", "ops.Account.kind"])


class DocumentedAppsTestCase(SimpleTestCase):
    def test_every_field_of_the_documented_apps_has_help_text(self) -> None:
        out, err = run_check(*DOCUMENTED_APPS)
        self.assertEqual(err, "")
        self.assertIn("所有模型字段都有 help_text", out)

    def test_an_unknown_app_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "没有这个应用 / no such app: nosuchapp"):
            run_check("nosuchapp")

    def test_a_django_app_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "不是法网的应用 / not a fawang app: auth"):
            run_check("auth")
