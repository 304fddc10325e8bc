"""DescribeFields, the bulk help_text migration operation: the state it leaves is the state of one AlterField per
field and it leaves the state it was cloned from alone; the migrations' final state describes every field as its
model does."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ModelState, ProjectState
from django.test import SimpleTestCase
from django.utils import translation

from fawang.lib.helptext_migration import DescribeFields


def a_state() -> ProjectState:
    state = ProjectState()
    state.add_model(ModelState("shop", "owner", [("id", models.AutoField(primary_key=True))]))
    state.add_model(
        ModelState(
            "shop",
            "pet",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=20, verbose_name="名字")),
                ("owner", models.ForeignKey("shop.owner", models.CASCADE, related_name="pets")),
            ],
        )
    )
    return state


class DescribeFieldsTestCase(SimpleTestCase):
    operation = DescribeFields(
        {"pet": {"name": "宠物的名字。", "owner": "宠物的主人。"}}, verbose_names={"pet": {"owner": "主人"}}
    )

    def test_the_fields_get_their_help_text_and_label_in_the_state_and_the_rendered_model(self) -> None:
        state = a_state()
        state.apps  # noqa: B018 -- rendered, as during migrate
        before = state.clone()
        self.operation.state_forwards("shop", state)

        fields = state.models["shop", "pet"].fields
        self.assertEqual(fields["name"].help_text, "宠物的名字。")
        self.assertEqual(fields["name"].verbose_name, "名字")
        self.assertEqual(fields["owner"].help_text, "宠物的主人。")
        self.assertEqual(fields["owner"].verbose_name, "主人")
        pet = state.apps.get_model("shop", "pet")
        self.assertEqual(pet._meta.get_field("owner").help_text, "宠物的主人。")
        self.assertEqual(pet._meta.get_field("owner").related_model, state.apps.get_model("shop", "owner"))
        # The state it was cloned from is untouched.
        self.assertEqual(before.models["shop", "pet"].fields["owner"].help_text, "")
        self.assertEqual(before.apps.get_model("shop", "pet")._meta.get_field("owner").help_text, "")

    def test_the_same_state_as_one_alter_field_per_field(self) -> None:
        by_alter_field = a_state()
        pet = by_alter_field.models["shop", "pet"]
        name = pet.fields["name"].clone()
        name.help_text = "宠物的名字。"
        by_alter_field.alter_field("shop", "pet", "name", name, True)
        by_alter_field.alter_field(
            "shop",
            "pet",
            "owner",
            models.ForeignKey(
                "shop.owner",
                models.CASCADE,
                related_name="pets",
                help_text="宠物的主人。",
                verbose_name="主人",
            ),
            True,
        )
        by_describe = a_state()
        by_describe.relations  # noqa: B018 -- the index of relations built, as the autodetector does
        self.operation.state_forwards("shop", by_describe)

        self.assertEqual(by_describe, by_alter_field)
        # The index of relations holds the new field object, not the replaced one.
        owner_field = by_describe.models["shop", "pet"].fields["owner"]
        self.assertIs(by_describe.relations["shop", "owner"]["shop", "pet"]["owner"], owner_field)


class MigratedHelpTextTestCase(SimpleTestCase):
    def test_every_field_has_the_help_text_of_its_model(self) -> None:
        """What makemigrations --check also proves, said for help_text: the migrations' final state describes each
        of fawang's fields as the model does."""
        state = MigrationLoader(None).project_state()
        checked = 0
        for model in apps.get_models():
            if not model.__module__.startswith("fawang."):
                continue
            fields = state.models[model._meta.app_label, model._meta.model_name].fields
            for field in model._meta.local_fields + model._meta.local_many_to_many:
                with translation.override(None):  # the source strings, as the migrations hold them
                    self.assertEqual(
                        str(fields[field.name].help_text), str(field.help_text), (model, field.name)
                    )
                checked += 1
        self.assertGreater(checked, 1000)
