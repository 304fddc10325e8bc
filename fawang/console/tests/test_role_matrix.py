"""The role matrix (docs/authority.md "Positions in the role matrix"): for every URL, every persona and an object
at five positions relative to the persona's unit, a declared answer.

Personas sit at every kind of unit. For each persona the units at the five positions are named below, and
what the persona sees there is written down by hand (SEES), not computed from the rule it checks:

    own       the persona's own unit
    sibling   another unit of the same district (or city, for city-level units) not under the persona's unit
    parent    the level above: the unit's 司法局 (for a 司法局, the bureau above it)
    district  a unit of another district of the same city (思明区 → 湖里区)
    city      a unit of another city (厦门市 → 莆田市仙游县)

Every named URL of every namespace is read from the resolver. Each is either in the matrix (MATTER_URLS ...) or
listed in NOT_YET_IN_MATRIX (still swept by test_permission_sweep.py until it moves here); a URL in neither fails
``test_every_url_is_declared``, so the matrix grows with the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.matters.models import AccessLog, Matter
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.orgs.models import Membership, Unit

R = Membership.Role
POSITIONS = ("own", "sibling", "parent", "district", "city")

# persona -> (unit, role, {position: unit at that position}). Unit names are the demo's; "firm:N" is the Nth
# law firm of 思明区 (by id), "room" the first 工作室 under 厦港街道's station.
PERSONAS: dict[str, tuple[str, str, dict[str, str]]] = {
    "city_supervisor": (
        "厦门市司法局",
        R.SUPERVISOR,
        {
            "sibling": "厦门市法律援助中心",
            "parent": "福建省司法厅",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "bureau_supervisor": (
        "思明区司法局",
        R.SUPERVISOR,
        {"sibling": "firm:0", "parent": "厦门市司法局", "district": "湖里区司法局", "city": "仙游县司法局"},
    ),
    "bureau_admin": (
        "思明区司法局",
        R.UNIT_ADMIN,
        {"sibling": "firm:0", "parent": "厦门市司法局", "district": "湖里区司法局", "city": "仙游县司法局"},
    ),
    "centre_clerk": (
        "思明区公共法律服务中心",
        R.WINDOW_CLERK,
        {
            "sibling": "思明区法律援助中心",
            "parent": "思明区司法局",
            "district": "湖里区公共法律服务中心",
            "city": "仙游县公共法律服务中心",
        },
    ),
    "aid_handler": (
        "思明区法律援助中心",
        R.HANDLER,
        {
            "sibling": "思明区公共法律服务中心",
            "parent": "思明区司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "office_handler": (
        "厦港街道司法所",
        R.HANDLER,
        {
            "sibling": "鹭江街道司法所",
            "parent": "思明区司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "committee_handler": (
        "厦港街道人民调解委员会",
        R.HANDLER,
        {
            "sibling": "鹭江街道人民调解委员会",
            "parent": "厦港街道司法所",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "station_clerk": (
        "厦港街道公共法律服务工作站",
        R.WINDOW_CLERK,
        {
            "sibling": "鹭江街道公共法律服务工作站",
            "parent": "厦港街道司法所",
            "district": "湖里区公共法律服务中心",
            "city": "仙游县公共法律服务中心",
        },
    ),
    "room_advisor": (
        "room",
        R.LEGAL_ADVISOR,
        {
            "sibling": "鹭江街道公共法律服务工作站",
            "parent": "厦港街道公共法律服务工作站",
            "district": "湖里区公共法律服务中心",
            "city": "仙游县公共法律服务中心",
        },
    ),
    "firm_handler": (
        "firm:0",
        R.HANDLER,
        {
            "sibling": "firm:1",
            "parent": "思明区司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "firm_admin": (
        "firm:0",
        R.UNIT_ADMIN,
        {
            "sibling": "firm:1",
            "parent": "思明区司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "notary_clerk": (
        "厦门市公证处",
        R.WINDOW_CLERK,
        {
            "sibling": "厦门市法律援助中心",
            "parent": "厦门市司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县公证处",
        },
    ),
    "prison_clerk": (
        "厦门市看守所",
        R.WINDOW_CLERK,
        {
            "sibling": "厦门市法律援助中心",
            "parent": "厦门市司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县看守所",
        },
    ),
    "hotline_12345": (
        "12345",
        R.HOTLINE_AGENT,
        {
            "sibling": "厦门市法律援助中心",
            "parent": "厦门市司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
    "sysadmin": (
        "厦门市公共法律服务中心",
        R.SYSTEM_ADMIN,
        {
            "sibling": "厦门市法律援助中心",
            "parent": "厦门市司法局",
            "district": "湖里区法律援助中心",
            "city": "仙游县法律援助中心",
        },
    ),
}

# Whether the persona sees a matter sent to the unit at each position (own, sibling, parent, district, city).
Y, N = True, False
SEES: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "city_supervisor": (Y, Y, N, Y, N),
    "bureau_supervisor": (Y, Y, N, N, N),
    "bureau_admin": (Y, Y, N, N, N),
    "centre_clerk": (Y, N, N, N, N),
    "aid_handler": (Y, N, N, N, N),
    "office_handler": (Y, N, N, N, N),
    "committee_handler": (Y, N, N, N, N),
    "station_clerk": (Y, N, N, N, N),
    "room_advisor": (Y, N, N, N, N),
    "firm_handler": (Y, N, N, N, N),
    "firm_admin": (Y, N, N, N, N),
    "notary_clerk": (Y, N, N, N, N),
    "prison_clerk": (Y, N, N, N, N),
    "hotline_12345": (Y, N, N, N, N),
    "sysadmin": (Y, Y, Y, Y, Y),
}

# Whether the persona's role may see personal data (matters.view_personal_data) where it sees the matter.
REVEALS = {
    "city_supervisor": Y,
    "bureau_supervisor": Y,
    "bureau_admin": N,
    "centre_clerk": Y,
    "aid_handler": Y,
    "office_handler": Y,
    "committee_handler": Y,
    "station_clerk": Y,
    "room_advisor": Y,
    "firm_handler": Y,
    "firm_admin": N,
    "notary_clerk": Y,
    "prison_clerk": Y,
    "hotline_12345": Y,
    "sysadmin": Y,
}

# Whether the persona's role may accept (受理, matters.handle) where it sees the matter.
ACCEPTS = {
    "city_supervisor": N,
    "bureau_supervisor": N,
    "bureau_admin": N,
    "centre_clerk": N,
    "aid_handler": Y,
    "office_handler": Y,
    "committee_handler": Y,
    "station_clerk": N,
    "room_advisor": Y,
    "firm_handler": Y,
    "firm_admin": N,
    "notary_clerk": N,
    "prison_clerk": N,
    "hotline_12345": N,
    "sysadmin": Y,
}

# Whether the persona manages the unit at each position (edits it, grants roles there): a unit admin their own
# unit, a 司法局's admin also the units it reaches; the system administrator everywhere.
MANAGES: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "bureau_admin": (Y, Y, N, N, N),
    "firm_admin": (Y, N, N, N, N),
    "sysadmin": (Y, Y, Y, Y, Y),
}
NO_UNIT = (N, N, N, N, N)

# The answer to a credit record (信用记录) posted on the unit at each position: 302 recorded; 400 the unit keeps no
# credit file (only law firms, notary offices, appraisal institutions and 基层法律服务所 do); 403 not the
# persona's to record (only a 司法局 covering the unit, never on one's own unit); 404 the unit is not seen.
CREDIT: dict[str, tuple[int, int, int, int, int]] = {
    "city_supervisor": (403, 400, 404, 400, 404),
    "bureau_supervisor": (403, 302, 404, 404, 404),
    "bureau_admin": (403, 302, 404, 404, 404),
    "sysadmin": (400, 400, 400, 400, 400),
}
CREDIT_OWN_ONLY = (403, 404, 404, 404, 404)

# Transferring (转办) a matter of the persona's own unit to the unit at each position, named in the POST body:
# 302 sent; 400 refused as a target (its own unit; a unit outside the region subtrees of the sender's units; a
# law firm or a 工作室, which are never routing targets).
TRANSFER: dict[str, tuple[int, int, int, int, int]] = {
    "aid_handler": (400, 302, 302, 400, 400),
    "firm_handler": (400, 400, 302, 400, 400),
    "city_supervisor": (400, 302, 400, 302, 400),
}

# The URLs the matrix checks so far, each with a matter or a unit at each position.
UNIT_URLS = frozenset(
    {
        "console:unit_detail",
        "console:unit_edit",
        "console:staff_grant",
        "console:unit_credit_add",
        "console:membership_set_active",
        "console:membership_revoke",
        "console:staff_detail",
    }
)
MATTER_URLS = frozenset(
    {"matters:detail", "matters:reveal", "matters:act", "api:matter", "api:matters", "api:matter_accept"}
)

# Every other named URL, still swept by test_permission_sweep.py (console, staff pages) or tested by its own
# app's tests (public pages), until it moves into the matrix. Listed by namespace; a new URL must be added to
# the matrix (or, with a reason, here).
NOT_YET_IN_MATRIX_NAMESPACES = frozenset(
    {
        "admin",
        "portal",
        "accounts",
        "regions",
        "notify_inbox",
        "track",
        "knowledge",
        "info",
        "me",
        "appoint",
        "apply",
        "applications",
        "applications_console",
        "console",
        "matters",
        "matters_pdf",
        "consult",  # the consultation line's pages on a matter (were under "matters")
        "notify",
        "knowledge_console",
        "frontdesk",
        "api",
    }
)
NOT_YET_IN_MATRIX_NAMES = frozenset({"set_language", "healthz", "readyz", "robots", "favicon"})


def all_url_names() -> list[str]:
    """Every named URL, of every namespace, read from the resolver."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(entry.url_patterns, full)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return list(walk(get_resolver().url_patterns, ""))


def declared(name: str) -> bool:
    if name in MATTER_URLS or name in UNIT_URLS or name in NOT_YET_IN_MATRIX_NAMES:
        return True
    return ":" in name and name.split(":", 1)[0] in NOT_YET_IN_MATRIX_NAMESPACES


class RoleMatrixTestCase(MatterTestCase):
    users: ClassVar[dict[str, User]]
    units: ClassVar[dict[str, Unit]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        firms = list(Unit.objects.filter(kind=Unit.Kind.LAW_FIRM, region_id="350203").order_by("pk")[:2])
        room = Unit.objects.filter(kind=Unit.Kind.ROOM, parent__name="厦港街道公共法律服务工作站").order_by(
            "pk"
        )[0]
        named = {
            "firm:0": firms[0],
            "firm:1": firms[1],
            "room": room,
            "12345": Unit.objects.get(kind=Unit.Kind.HOTLINE, hotline_number="12345"),
        }

        def unit(name: str) -> Unit:
            return named.get(name) or Unit.objects.get(name=name)

        cls.units = {}
        cls.users = {}
        for persona, (own, role, places) in PERSONAS.items():
            user = User.objects.create_user(f"matrix-{persona}", kind=User.Kind.STAFF, display_name=persona)
            Membership.objects.create(user=user, unit=unit(own), role=role)
            cls.users[persona] = user
            cls.units[f"{persona}:own"] = unit(own)
            for position, name in places.items():
                cls.units[f"{persona}:{position}"] = unit(name)

    def test_every_url_is_declared(self) -> None:
        names = all_url_names()
        self.assertIn("api:matters", names)
        self.assertEqual([name for name in names if not declared(name)], [])
        self.assertTrue(set(names) >= MATTER_URLS, MATTER_URLS - set(names))

    def test_the_positions_are_what_they_say(self) -> None:
        for persona in PERSONAS:
            own = self.units[f"{persona}:own"]
            with self.subTest(persona=persona):
                self.assertEqual(len({self.units[f"{persona}:{p}"].pk for p in POSITIONS}), 5)
                self.assertTrue(self.units[f"{persona}:district"].region_id.startswith("350206"))
                self.assertTrue(self.units[f"{persona}:city"].region_id.startswith("3503"))
                if own.kind != Unit.Kind.BUREAU:  # everything of a bureau's district is under it
                    sibling = self.units[f"{persona}:sibling"]
                    self.assertFalse(sibling.tree_path.startswith(own.tree_path))

    def matter_at(self, unit: Unit, seq: int) -> Matter:
        # The matter concerns the unit's own region (所涉区划) and was sent to it (办理机构).
        matter = self.submit(person=self.person(name="李四", id_number=id_number(seq=f"{seq % 1000:03d}")))
        Matter.objects.filter(pk=matter.pk).update(unit=unit, region_id=unit.region_id)
        return self.reload(matter)

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '矩阵')[1]}")
        return client

    def test_matters_at_five_positions(self) -> None:
        seq = 100
        for persona, sees in SEES.items():
            user = self.users[persona]
            console = Client()
            console.force_login(user)
            api = self.api(user)
            matters = {}
            for position in POSITIONS:
                seq += 1
                matters[position] = self.matter_at(self.units[f"{persona}:{position}"], seq)
            for position, seen in zip(POSITIONS, sees, strict=True):
                matter = matters[position]
                with self.subTest(persona=persona, position=position):
                    rows = api.get(reverse("api:matters"), {"q": matter.tracking_no}).json()["results"]
                    numbers = {row["tracking_no"] for row in rows}
                    self.assertEqual(matter.tracking_no in numbers, seen, "api:matters")
                    detail = console.get(reverse("matters:detail", args=[matter.pk]))
                    self.assertEqual(detail.status_code, 200 if seen else 404, "matters:detail")
                    self.assertEqual(
                        api.get(reverse("api:matter", args=[matter.pk])).status_code,
                        200 if seen else 404,
                        "api:matter",
                    )
                    reveal = console.post(
                        reverse("matters:reveal", args=[matter.pk]), {"purpose": "核实身份"}
                    )
                    expected = (200 if REVEALS[persona] else 403) if seen else 404
                    self.assertEqual(reveal.status_code, expected, "matters:reveal")
                    logged = AccessLog.objects.filter(user=user, matter=matter).exists()
                    self.assertEqual(logged, expected == 200)

    def test_accepting_at_five_positions(self) -> None:
        """matters:act (accept) and api:matter_accept: done where seen and the role handles, 403 where seen and
        it does not, 404 where not seen; nothing changes unless done."""
        seq = 500
        for persona, sees in SEES.items():
            user = self.users[persona]
            console = Client()
            console.force_login(user)
            api = self.api(user)
            for position, seen in zip(POSITIONS, sees, strict=True):
                unit = self.units[f"{persona}:{position}"]
                seq += 2
                by_page, by_api = self.matter_at(unit, seq), self.matter_at(unit, seq + 1)
                expected = (200 if ACCEPTS[persona] else 403) if seen else 404
                with self.subTest(persona=persona, position=position):
                    response = console.post(
                        reverse("matters:act", args=[by_page.pk]),
                        {"action": "accept", "accept-note": "受理。"},
                    )
                    self.assertEqual(
                        response.status_code, 302 if expected == 200 else expected, "matters:act"
                    )
                    response = api.post(
                        reverse("api:matter_accept", args=[by_api.pk]),
                        {"note": "受理。"},
                        format="json",
                        HTTP_IDEMPOTENCY_KEY=f"matrix-{seq}",
                    )
                    self.assertEqual(response.status_code, expected, "api:matter_accept")
                    for matter in (by_page, by_api):
                        status = Matter.objects.get(pk=matter.pk).status
                        self.assertEqual(status == Matter.Status.ACCEPTED, expected == 200)

    def test_units_at_five_positions(self) -> None:
        """console:unit_detail and unit_edit by position; console:staff_grant with the unit at each position in
        the body (a colleague of the persona's own unit is given a role there)."""
        for persona, sees in SEES.items():
            user = self.users[persona]
            client = Client()
            client.force_login(user)
            colleague = User.objects.create_user(f"matrix-colleague-{persona}", kind=User.Kind.STAFF)
            Membership.objects.create(user=colleague, unit=self.units[f"{persona}:own"], role=R.WINDOW_CLERK)
            manages = MANAGES.get(persona, NO_UNIT)
            is_admin = persona in MANAGES
            for position, seen, managed in zip(POSITIONS, sees, manages, strict=True):
                unit = self.units[f"{persona}:{position}"]
                with self.subTest(persona=persona, position=position):
                    detail = client.get(reverse("console:unit_detail", args=[unit.pk]))
                    self.assertEqual(detail.status_code, 200 if seen else 404, "console:unit_detail")
                    edit = client.get(reverse("console:unit_edit", args=[unit.pk]))
                    self.assertEqual(
                        edit.status_code, (200 if managed else 403) if seen else 404, "unit_edit"
                    )
                    response = client.post(
                        reverse("console:staff_grant", args=[colleague.pk]),
                        {"unit": unit.pk, "role": R.HANDLER},
                    )
                    expected = (302 if managed else 400) if is_admin else 403
                    self.assertEqual(response.status_code, expected, "console:staff_grant")
                    granted = Membership.objects.filter(user=colleague, unit=unit, role=R.HANDLER).exists()
                    self.assertEqual(granted, managed)

    def test_credit_at_five_positions(self) -> None:
        data = {"kind": "penalty", "title": "矩阵：警告", "authority": "司法局", "decided_on": "2025-06-01"}
        for persona, user in self.users.items():
            client = Client()
            client.force_login(user)
            for position, expected in zip(POSITIONS, CREDIT.get(persona, CREDIT_OWN_ONLY), strict=True):
                unit = self.units[f"{persona}:{position}"]
                with self.subTest(persona=persona, position=position):
                    response = client.post(reverse("console:unit_credit_add", args=[unit.pk]), data)
                    self.assertEqual(response.status_code, expected)
                    recorded = unit.credit_records.filter(title="矩阵：警告", recorded_by=user).exists()
                    self.assertEqual(recorded, expected == 302)

    def test_memberships_at_five_positions(self) -> None:
        """console:staff_detail of a member of the unit at each position (seen with the unit), and
        membership_revoke and membership_set_active on their roles there: done where managed, 403 where seen and
        not managed, 404 where not seen."""
        for persona, sees in SEES.items():
            user = self.users[persona]
            client = Client()
            client.force_login(user)
            for position, seen, managed in zip(POSITIONS, sees, MANAGES.get(persona, NO_UNIT), strict=True):
                unit = self.units[f"{persona}:{position}"]
                member = User.objects.create_user(f"matrix-member-{persona}-{position}", kind=User.Kind.STAFF)
                membership = Membership.objects.create(user=member, unit=unit, role=R.WINDOW_CLERK)
                second = Membership.objects.create(user=member, unit=unit, role=R.HOTLINE_AGENT)
                with self.subTest(persona=persona, position=position):
                    page = client.get(reverse("console:staff_detail", args=[member.pk]))
                    self.assertEqual(page.status_code, 200 if seen else 404, "console:staff_detail")
                    response = client.post(reverse("console:membership_revoke", args=[second.pk]))
                    self.assertEqual(
                        response.status_code, (302 if managed else 403) if seen else 404, "revoke"
                    )
                    second.refresh_from_db()
                    self.assertEqual(second.ended_at is not None, managed)
                    response = client.post(
                        reverse("console:membership_set_active", args=[membership.pk]), {"active": "0"}
                    )
                    self.assertEqual(response.status_code, (302 if managed else 403) if seen else 404)
                    membership.refresh_from_db()
                    self.assertEqual(membership.is_active, not managed)

    def test_the_public_and_anonymous_visitors(self) -> None:
        """A member of the public gets 404 on every staff URL of the matrix (the console does not exist for
        them); an anonymous visitor is sent to sign in (console) or told to authenticate (API: 401)."""
        unit = self.units["aid_handler:own"]
        matter = self.matter_at(unit, 900)
        membership = Membership.objects.filter(unit=unit).order_by("pk")[0]
        staff_member = membership.user
        posts = {
            "matters:reveal": (reverse("matters:reveal", args=[matter.pk]), {"purpose": "核实"}),
            "matters:act": (reverse("matters:act", args=[matter.pk]), {"action": "accept"}),
            "console:staff_grant": (
                reverse("console:staff_grant", args=[staff_member.pk]),
                {"unit": unit.pk, "role": R.HANDLER},
            ),
            "console:unit_credit_add": (reverse("console:unit_credit_add", args=[unit.pk]), {}),
            "console:membership_set_active": (
                reverse("console:membership_set_active", args=[membership.pk]),
                {"active": "0"},
            ),
            "console:membership_revoke": (reverse("console:membership_revoke", args=[membership.pk]), {}),
        }
        gets = {
            "matters:detail": reverse("matters:detail", args=[matter.pk]),
            "console:unit_detail": reverse("console:unit_detail", args=[unit.pk]),
            "console:unit_edit": reverse("console:unit_edit", args=[unit.pk]),
            "console:staff_detail": reverse("console:staff_detail", args=[staff_member.pk]),
        }
        apis = {
            "api:matters": ("get", reverse("api:matters")),
            "api:matter": ("get", reverse("api:matter", args=[matter.pk])),
            "api:matter_accept": ("post", reverse("api:matter_accept", args=[matter.pk])),
        }
        self.assertEqual(set(posts) | set(gets) | set(apis), MATTER_URLS | UNIT_URLS)
        public = Client()
        public.force_login(self.citizen)
        anonymous = Client()
        login = reverse("accounts:login")
        for name, url in gets.items():
            with self.subTest(name=name):
                self.assertEqual(public.get(url).status_code, 404)
                self.assertTrue(anonymous.get(url)["Location"].startswith(login))
        for name, (url, data) in posts.items():
            with self.subTest(name=name):
                self.assertEqual(public.post(url, data).status_code, 404)
                self.assertTrue(anonymous.post(url, data)["Location"].startswith(login))
        public_api = self.api(self.citizen)
        for name, (method, url) in apis.items():
            with self.subTest(name=name):
                self.assertEqual(getattr(APIClient(), method)(url).status_code, 401)
                self.assertEqual(getattr(public_api, method)(url).status_code, 404)
        self.assertEqual(Matter.objects.get(pk=matter.pk).status, Matter.Status.SUBMITTED)
        membership.refresh_from_db()
        self.assertTrue(membership.is_active and membership.ended_at is None)
        self.assertFalse(AccessLog.objects.filter(matter=matter).exists())

    def test_transfer_targets_at_five_positions(self) -> None:
        seq = 700
        for persona, answers in TRANSFER.items():
            client = Client()
            client.force_login(self.users[persona])
            own = self.units[f"{persona}:own"]
            for position, expected in zip(POSITIONS, answers, strict=True):
                target = self.units[f"{persona}:{position}"]
                seq += 1
                matter = self.matter_at(own, seq)
                with self.subTest(persona=persona, position=position):
                    response = client.post(
                        reverse("matters:act", args=[matter.pk]),
                        {"action": "transfer", "transfer-unit": target.pk, "transfer-reason": "矩阵"},
                    )
                    self.assertEqual(response.status_code, expected)
                    moved_to = Matter.objects.get(pk=matter.pk).unit_id
                    self.assertEqual(moved_to, target.pk if expected == 302 else own.pk)
