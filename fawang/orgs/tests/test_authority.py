"""The unit tree (``Unit.parent`` kept as ``tree_path``) and the reach of a membership by unit kind
(docs/authority.md, fawang/orgs/authority.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from fawang.accounts.models import User
from fawang.orgs import authority
from fawang.orgs.models import Membership, Unit
from fawang.test import BaseTestCase


class UnitTreeTestCase(BaseTestCase):
    def test_the_demo_tree_follows_the_network(self) -> None:
        bureau = self.unit("siming.bureau")
        office = self.unit("siming.xiagang.office")
        for key, parent in (
            ("siming.centre", bureau),
            ("siming.legal_aid", bureau),
            ("siming.xiagang.office", bureau),
            ("siming.xiagang.committee", office),
            ("siming.xiagang.station", office),
        ):
            unit = self.unit(key)
            self.assertEqual(unit.parent, parent, key)
            self.assertEqual(unit.tree_path, parent.tree_path + f"{unit.pk:08d}")
        room = Unit.objects.filter(kind=Unit.Kind.ROOM, region__parent_id=office.region_id).first()
        assert room is not None
        self.assertEqual(room.parent, self.unit("siming.xiagang.station"))

    def test_moving_a_unit_moves_its_subtree_and_refuses_a_cycle(self) -> None:
        station = self.unit("siming.xiagang.station")
        rooms = list(Unit.objects.filter(parent=station).values_list("pk", flat=True))
        self.assertTrue(rooms)
        centre = self.unit("siming.centre")
        station.parent = centre
        station.save()
        station.refresh_from_db()
        self.assertTrue(station.tree_path.startswith(centre.tree_path))
        for room in Unit.objects.filter(pk__in=rooms):
            self.assertEqual(room.tree_path, station.tree_path + f"{room.pk:08d}")
        centre.parent = Unit.objects.get(pk=rooms[0])
        with self.assertRaises(ValidationError):
            centre.save()


class ReachTestCase(BaseTestCase):
    def member(self, key: str, role: str = Membership.Role.HANDLER) -> User:
        user = User.objects.create_user(f"u{Unit.objects.count()}-{role}-{key}", kind=User.Kind.STAFF)
        Membership.objects.create(user=user, unit=self.unit(key), role=role)
        return User.objects.get(pk=user.pk)

    def reached(self, user: User) -> set[str]:
        return set(Unit.objects.visible_to(user).values_list("name", flat=True))

    def test_each_kind_reaches_what_the_table_says(self) -> None:
        bureau = self.reached(self.sm_supervisor)
        self.assertIn("思明区法律援助中心", bureau)
        self.assertIn("厦港街道公共法律服务工作站", bureau)
        self.assertNotIn("湖里区司法局", bureau)
        office = self.reached(self.member("siming.xiagang.office"))
        self.assertIn("厦港街道人民调解委员会", office)
        self.assertIn("厦港街道公共法律服务工作站", office)
        self.assertNotIn("思明区司法局", office)
        self.assertNotIn("思明区法律援助中心", office)
        self.assertEqual(self.reached(self.member("siming.legal_aid")), {"思明区法律援助中心"})
        self.assertEqual(self.reached(self.member("xiamen.notary")), {"厦门市公证处"})
        self.assertEqual(Unit.objects.visible_to(self.sysadmin).count(), Unit.objects.count())

    def test_a_list_is_one_query_whatever_the_memberships(self) -> None:
        user = self.member("siming.xiagang.office")
        for key in ("xiamen.notary", "huli.bureau", "siming.legal_aid"):
            Membership.objects.create(user=user, unit=self.unit(key), role=Membership.Role.HANDLER)
        user = User.objects.get(pk=user.pk)
        authority.reach_of(user)  # the memberships, read once per request
        with self.assertNumQueries(1):
            names = self.reached(user)
        self.assertIn("湖里区法律援助中心", names)
        self.assertIn("厦门市公证处", names)

    def test_managing_is_narrower_than_reaching(self) -> None:
        bureau, aid = self.unit("siming.bureau"), self.unit("siming.legal_aid")
        aid_admin = self.member("siming.legal_aid", Membership.Role.UNIT_ADMIN)
        self.assertTrue(authority.may_manage_unit(aid_admin, aid))
        self.assertFalse(authority.may_manage_unit(aid_admin, bureau))
        office_admin = self.member("siming.xiagang.office", Membership.Role.UNIT_ADMIN)
        # A 司法所 reaches its station, but its admin manages only the 司法所 itself.
        station = self.unit("siming.xiagang.station")
        self.assertTrue(authority.reaches(office_admin, station))
        self.assertFalse(authority.may_manage_unit(office_admin, station))
        self.assertTrue(authority.may_manage_unit(self.sm_admin, aid))
        self.assertFalse(authority.may_grant(self.sm_admin, aid, Membership.Role.HANDLER, self.sm_admin.pk))
        self.assertFalse(
            authority.may_grant(self.sm_admin, aid, Membership.Role.SYSTEM_ADMIN, self.sm_clerk.pk)
        )
        self.assertTrue(authority.may_grant(self.sm_admin, aid, Membership.Role.HANDLER, self.sm_clerk.pk))

    def test_credit_stays_with_the_bureau_covering_the_holder(self) -> None:
        firm = Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id="350203").order_by("pk").first()
        assert firm is not None
        self.assertTrue(authority.may_record_credit(self.sm_supervisor, firm))
        self.assertTrue(authority.may_record_credit(self.xm_supervisor, firm))
        self.assertFalse(authority.may_record_credit(self.hl_supervisor, firm))
        centre_admin = self.member("siming.centre", Membership.Role.UNIT_ADMIN)
        self.assertFalse(authority.may_record_credit(centre_admin, firm))
