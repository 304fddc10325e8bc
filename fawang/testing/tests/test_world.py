"""The test world (fawang/testing/world.py), as conftest.py built it into this database."""

from __future__ import annotations

import ast
from pathlib import Path

from fawang.accounts.models import User
from fawang.hotline import cti
from fawang.hotline.models import CtiSystem
from fawang.orgs.models import AdvisorAssignment, Membership, Unit
from fawang.test import BaseTestCase

from .. import world as world_module
from ..world import CTI_TOKEN, LINK_TOKEN, build_world, persona_specs, unit_specs, world


class WorldTestCase(BaseTestCase):
    def test_one_unit_of_every_kind_and_every_key_resolves(self) -> None:
        kinds = {world().unit(spec.key).kind for spec in unit_specs()}
        self.assertEqual(kinds, set(Unit.Kind.values))
        self.assertEqual(self.unit("siming.legal_aid").parent, self.unit("siming.bureau"))
        self.assertEqual(self.unit("siming.xiagang.station").parent, self.unit("siming.xiagang.office"))
        self.assertEqual(self.unit("xianyou.bureau").parent, self.unit("putian.bureau"))
        self.assertEqual(self.unit("siming.xiagang.room1").region.parent_id, "350203001")

    def test_the_personas_work_where_their_specs_say(self) -> None:
        for username, _name, roles in persona_specs():
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                held = set(Membership.objects.filter(user=user).values_list("unit_id", "role"))
                self.assertEqual(held, {(world().unit_pk(key), role) for key, role, _title in roles})
        advisor = User.objects.get(username="sm_advisor")
        self.assertEqual(
            list(Membership.objects.filter(user=advisor).values_list("unit_id", "role")),
            [(world().unit_pk("siming.xiagang.room1"), Membership.Role.LEGAL_ADVISOR)],
        )
        self.assertTrue(User.objects.get(username="sm_supervisor").has_totp)
        self.assertFalse(User.objects.get(username="sm_clerk").has_totp)

    def test_every_community_of_the_streets_has_its_advisor(self) -> None:
        rooms = Unit.objects.filter(kind=Unit.Kind.ROOM)
        current = AdvisorAssignment.objects.current()
        self.assertEqual(
            set(current.values_list("room_id", flat=True)), set(rooms.values_list("pk", flat=True))
        )

    def test_the_hotline_systems_answer_to_their_tokens(self) -> None:
        centre = CtiSystem.objects.get(token_hash=cti.token_hash(CTI_TOKEN))
        self.assertEqual(centre.unit_id, world().unit_pk("xiamen.centre"))
        link = CtiSystem.objects.get(token_hash=cti.token_hash(LINK_TOKEN))
        self.assertEqual((link.unit.hotline_number, link.purpose), ("12345", "link"))

    def test_building_again_changes_nothing(self) -> None:
        counts = (Unit.objects.count(), User.objects.count(), Membership.objects.count())
        build_world()
        self.assertEqual((Unit.objects.count(), User.objects.count(), Membership.objects.count()), counts)

    def test_it_imports_no_demo(self) -> None:
        tree = ast.parse(Path(world_module.__file__).read_text(encoding="utf-8"))
        modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        ]
        self.assertEqual([m for m in modules if m.split(".")[-1] == "demo"], [])
