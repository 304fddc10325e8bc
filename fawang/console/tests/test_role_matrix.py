"""The role matrix (docs/authority.md "Positions in the role matrix"): for every URL, every persona and an object
at five positions relative to the persona's unit, a declared answer.

Personas sit at every kind of unit. For each persona the units at the five positions are named below, and
what the persona sees there is written down by hand (SEES), not computed from the rule it checks:

    own       the persona's own unit
    sibling   another unit of the same district (or city, for city-level units) not under the persona's unit
    parent    the level above: the unit's 司法局 (for a 司法局, the bureau above it)
    district  a unit of another district of the same city (思明区 → 湖里区)
    city      a unit of another city (厦门市 → 莆田市仙游县)

Every named URL of every namespace is read from the resolver and must be declared: public (PUBLIC, once, with a
reason), a member of the public's own pages (OWN), a staff URL with its object at the five positions (the tests
of RoleMatrixTestCase, ROWS, the body-positioned URLs) or a matter action (ACTION_RULES, one rule per action code,
which covers matters:act and every ``api:matter_<code>``). A URL declared nowhere fails
``test_every_url_is_declared``, so the matrix grows with the code.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace
from typing import Any, ClassVar
from unittest import mock

from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from fawang.accounts.models import User
from fawang.apikit.models import ApiToken
from fawang.matters.models import AccessLog, Matter
from fawang.matters.tests.base import MatterTestCase, id_number
from fawang.orgs import scoping
from fawang.orgs.models import Membership, Unit
from fawang.testing.world import world

POSITIONS = ("own", "sibling", "parent", "district", "city")

# persona -> (unit, role, {position: unit at that position}), units by their keys in the test world
# (fawang/testing/world.py).
PERSONAS: dict[str, tuple[str, str, dict[str, str]]] = {
    "city_supervisor": (
        "xiamen.bureau",
        Membership.Role.SUPERVISOR,
        {
            "sibling": "xiamen.legal_aid",
            "parent": "province.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "bureau_supervisor": (
        "siming.bureau",
        Membership.Role.SUPERVISOR,
        {
            "sibling": "siming.firm1",
            "parent": "xiamen.bureau",
            "district": "huli.bureau",
            "city": "xianyou.bureau",
        },
    ),
    "bureau_admin": (
        "siming.bureau",
        Membership.Role.UNIT_ADMIN,
        {
            "sibling": "siming.firm1",
            "parent": "xiamen.bureau",
            "district": "huli.bureau",
            "city": "xianyou.bureau",
        },
    ),
    "centre_clerk": (
        "siming.centre",
        Membership.Role.WINDOW_CLERK,
        {
            "sibling": "siming.legal_aid",
            "parent": "siming.bureau",
            "district": "huli.centre",
            "city": "xianyou.centre",
        },
    ),
    "aid_handler": (
        "siming.legal_aid",
        Membership.Role.HANDLER,
        {
            "sibling": "siming.centre",
            "parent": "siming.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "office_handler": (
        "siming.xiagang.office",
        Membership.Role.HANDLER,
        {
            "sibling": "siming.lujiang.office",
            "parent": "siming.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "corrections_officer": (
        "siming.xiagang.office",
        Membership.Role.CORRECTIONS_OFFICER,
        {
            "sibling": "siming.lujiang.office",
            "parent": "siming.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "committee_handler": (
        "siming.xiagang.committee",
        Membership.Role.HANDLER,
        {
            "sibling": "siming.lujiang.committee",
            "parent": "siming.xiagang.office",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "station_clerk": (
        "siming.xiagang.station",
        Membership.Role.WINDOW_CLERK,
        {
            "sibling": "siming.lujiang.station",
            "parent": "siming.xiagang.office",
            "district": "huli.centre",
            "city": "xianyou.centre",
        },
    ),
    "room_advisor": (
        "siming.xiagang.room1",
        Membership.Role.LEGAL_ADVISOR,
        {
            "sibling": "siming.lujiang.station",
            "parent": "siming.xiagang.station",
            "district": "huli.centre",
            "city": "xianyou.centre",
        },
    ),
    "firm_handler": (
        "siming.firm1",
        Membership.Role.HANDLER,
        {
            "sibling": "siming.firm2",
            "parent": "siming.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "firm_admin": (
        "siming.firm1",
        Membership.Role.UNIT_ADMIN,
        {
            "sibling": "siming.firm2",
            "parent": "siming.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "notary_clerk": (
        "xiamen.notary",
        Membership.Role.WINDOW_CLERK,
        {
            "sibling": "xiamen.legal_aid",
            "parent": "xiamen.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.notary",
        },
    ),
    "prison_clerk": (
        "xiamen.prison",
        Membership.Role.WINDOW_CLERK,
        {
            "sibling": "xiamen.legal_aid",
            "parent": "xiamen.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.prison",
        },
    ),
    "hotline_12345": (
        "xiamen.hotline_12345",
        Membership.Role.HOTLINE_AGENT,
        {
            "sibling": "xiamen.legal_aid",
            "parent": "xiamen.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
        },
    ),
    "sysadmin": (
        "xiamen.centre",
        Membership.Role.SYSTEM_ADMIN,
        {
            "sibling": "xiamen.legal_aid",
            "parent": "xiamen.bureau",
            "district": "huli.legal_aid",
            "city": "xianyou.legal_aid",
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
    "corrections_officer": (Y, N, N, N, N),
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
    "corrections_officer": Y,
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
    "corrections_officer": Y,
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
# The same for a practitioner (执业人员) registered at the unit: every practitioner has a credit file.
PRACTITIONER_CREDIT: dict[str, tuple[int, int, int, int, int]] = {
    "city_supervisor": (403, 302, 404, 302, 404),
    "bureau_supervisor": (403, 302, 404, 404, 404),
    "bureau_admin": (403, 302, 404, 404, 404),
    "sysadmin": (302, 302, 302, 302, 302),
}

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

# Public URLs: the same answer for every persona and for nobody signed in, so declared once, by namespace or
# by name, with the reason. Their content is tested in their apps' tests.
PUBLIC: dict[str, str] = {
    "portal": "the portal's public pages (home, finder, a unit's public page, elder mode)",
    "info": "public information: guides, the directory of units and practitioners, 普法 articles",
    "knowledge": "the public law pages and published knowledge entries",
    "track": "public tracking by tracking number and one-time code (fawang/matters/tests/test_public_tracking.py)",
    "apply": "the public list of what can be applied for online",
    "accounts": "staff sign-in, second factor, sign-out and password change (of one's own account)",
    "regions": "the region cascade of public forms",
    "set_language": "switching the language",
    "healthz": "the health check",
    "readyz": "the readiness check (database, migrations, worker and scheduler heartbeats, outbox)",
    "api:schema": "the API's OpenAPI schema",
    "api:docs": "the API's documentation page",
    "api:catalogue": "the public service catalogue",
    "api:catalogue_item": "the public service catalogue",
    "api:service_points": "public service points",
    "api:unit": "a unit's public page",
    "api:law_search": "public law search",
    "api:law_answer": "public law search: the guide, FAQ or case that answers the question",
    "api:guides": "public guides",
    "api:guide": "public guides",
    "api:directory_units": "the public directory",
    "api:practitioners": "the public directory",
    "api:practitioner": "the public directory",
    "api:articles": "普法 articles",
    "api:article_categories": "普法 articles",
    "api:article": "普法 articles",
    "api:track_code": "public tracking",
    "api:track_verify": "public tracking",
    "api:track_matter": "public tracking (with the token of a verified one-time code)",
    "me:login": "a member of the public signing in",
    "me:verify": "a member of the public signing in",
    "me:privacy": "the privacy notice (个人信息处理规则), readable before signing in",
    "api:me_sign_in_code": "a member of the public signing in",
    "api:me_sign_in_token": "a member of the public signing in",
    "api:regions": "the region cascade of public forms",
    "api:point_booking": "what a service point offers for booking",
    "api:point_slots": "a service point's open slots",
    "api:not_found": "the API's catch-all 404",
}

# A member of the public's own pages: the objects are theirs (their matters, applications, appointments,
# messages), not a unit's, so there are no positions; staff get no object there. Checked below for every
# persona (test_own_pages_are_not_staff_pages); ownership between two members of the public is tested in
# fawang/citizens/tests/, fawang/applications/tests/, fawang/frontdesk/tests/ and fawang/notify/tests/.
OWN: dict[str, str] = {
    "me": "the public's own account pages",
    "appoint": "the public's own appointments",
    "applications": "the public's own online applications",
    "notify_inbox": "the public's own inbox",
    "api:me": "the public's own account (API)",
    "api:me_": "the public's own matters, consultations, messages, applications and appointments (API)",
}

# The Django admin: only accounts with is_staff (none of the personas); every persona is sent to its sign-in.
ADMIN_NAMESPACE = "admin"

# URLs still waiting for a declaration. Must stay empty: a new URL goes into a table above or below.
NOT_YET_IN_MATRIX: frozenset[str] = frozenset()


def _in(table: dict[str, str], name: str) -> bool:
    namespace = name.split(":", 1)[0] if ":" in name else name
    if name in table or namespace in table:
        return True
    return any(key.endswith("_") and name.startswith(key) for key in table)


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


def url_callbacks() -> dict[str, Any]:
    """Every named URL's view."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(entry.url_patterns, full)
            elif isinstance(entry, URLPattern) and entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry.callback

    return dict(walk(get_resolver().url_patterns, ""))


def declared(name: str) -> bool:
    """Whether the URL has a declared answer for every persona (and position, where it names an object)."""
    return (
        name in MATTER_URLS
        or name in UNIT_URLS
        or name in ROWS
        or name in api_action_codes([name])
        or name == LATE_ACTION_URL
        or _in(PUBLIC, name)
        or _in(OWN, name)
        or name.startswith(f"{ADMIN_NAMESPACE}:")
        or name in NOT_YET_IN_MATRIX
        or name in {"console:switch_unit", "matters:bulk_assign"}  # BodyPositionsMatrixTestCase
    )


@functools.cache
def _one_page_document() -> Any:
    from weasyprint import HTML

    # A page with no text: writing it embeds no font. A line of Chinese made each PDF subset the CJK font
    # (about 32 ms of CPU per download, 0.3 ms for the blank page).
    return HTML(string="").render()


def _render_one_page(_html: Any, *_args: Any, **_kwargs: Any) -> Any:
    return _one_page_document()


class RoleMatrixBase(MatterTestCase):
    """The personas and the units at their five positions, built once per class.

    The matrix asks who may download each PDF, not what it says (each line's own tests read its PDFs): laying a
    document out was a third of the matrix's time, so within it every PDF is the same blank page."""

    users: ClassVar[dict[str, User]]
    units: ClassVar[dict[str, Unit]]

    def setUp(self) -> None:
        super().setUp()
        # Thousands of deliberate 403s and 404s: Django's request log would format a traceback for each.
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)
        self.addCleanup(request_log.setLevel, level)
        from weasyprint import HTML

        _one_page_document()
        self.enterContext(mock.patch.object(HTML, "render", _render_one_page))
        # Every request reads the persona's memberships (orgs/scoping.py). The tests keep no per-process copy
        # (REFERENCE_CACHE_SECONDS is 0), so each of the matrix's twenty thousand requests queried them again; here
        # the copy is on, as in production, behind its version token: a POST that saves a membership or a unit
        # bumps the token, so the next request (after the POST is rolled back) queries them afresh. The copies
        # start and end empty, so none outlives the test.
        scoping.forget()
        self.addCleanup(scoping.forget)
        self.enterContext(mock.patch.object(scoping, "memo", SimpleNamespace(seconds=lambda: 60.0)))

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        unit = world().unit

        cls.units = {}
        cls.users = {}
        for persona, (own, role, places) in PERSONAS.items():
            user = User.objects.create_user(f"matrix-{persona}", kind=User.Kind.STAFF, display_name=persona)
            Membership.objects.create(user=user, unit=unit(own), role=role)
            cls.users[persona] = user
            cls.units[f"{persona}:own"] = unit(own)
            for position, name in places.items():
                cls.units[f"{persona}:{position}"] = unit(name)

    def matter_at(self, unit: Unit, seq: int) -> Matter:
        # The matter concerns the unit's own region (所涉区划) and was sent to it (办理机构).
        matter = self.submit(person=self.person(name="李四", id_number=id_number(seq=f"{seq % 1000:03d}")))
        Matter.objects.filter(pk=matter.pk).update(unit=unit, region_id=unit.region_id)
        return self.reload(matter)

    def api(self, user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user, '矩阵')[1]}")
        return client


class RoleMatrixTestCase(RoleMatrixBase):
    def test_every_url_is_declared(self) -> None:
        names = all_url_names()
        self.assertIn("api:matters", names)
        self.assertEqual([name for name in names if not declared(name)], [])
        self.assertEqual(NOT_YET_IN_MATRIX, frozenset())
        self.assertTrue(set(names) >= MATTER_URLS, MATTER_URLS - set(names))

    @override_settings(ROOT_URLCONF="fawang.console.tests.urls_with_new_app")
    def test_a_new_url_is_undeclared(self) -> None:
        names = all_url_names()
        self.assertIn("casework:case_detail", names)
        self.assertEqual([name for name in names if not declared(name)], ["casework:case_detail"])

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
            Membership.objects.create(
                user=colleague, unit=self.units[f"{persona}:own"], role=Membership.Role.WINDOW_CLERK
            )
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
                        {"unit": unit.pk, "role": Membership.Role.HANDLER},
                    )
                    expected = (302 if managed else 400) if is_admin else 403
                    self.assertEqual(response.status_code, expected, "console:staff_grant")
                    granted = Membership.objects.filter(
                        user=colleague, unit=unit, role=Membership.Role.HANDLER
                    ).exists()
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
                membership = Membership.objects.create(
                    user=member, unit=unit, role=Membership.Role.WINDOW_CLERK
                )
                second = Membership.objects.create(user=member, unit=unit, role=Membership.Role.HOTLINE_AGENT)
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
                {"unit": unit.pk, "role": Membership.Role.HANDLER},
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


# ---------------------------------------------------------------------------------------------------------------
# The rest of the staff URLs, declared row by row: the object the URL names (made at the unit of each position),
# the rule that gives the answer, the method and body. Rules:
#   "seen"          ok where the persona sees the object's unit (SEES), 404 elsewhere
#   "manage"        ok where the persona manages the unit (MANAGES), 403 where seen and not managed, 404 elsewhere
#   "manage_window" the same, and 400 (not a service point) at units without windows
#   a capability    ok where seen and the persona's role has it (CAN, written by hand below), 403 / 404 as above
# Pages without an object ("page" rows) answer ok to the personas of the capability and 403 to the rest.

SUPERVISORS = frozenset({"city_supervisor", "bureau_supervisor"})
ADMINS = frozenset({"bureau_admin", "firm_admin"})
CLERKS = frozenset({"centre_clerk", "station_clerk", "notary_clerk", "prison_clerk"})
HANDLERS = frozenset({"aid_handler", "office_handler", "committee_handler", "firm_handler"})
ADVISOR, HOTLINE, SYSADMIN = (
    frozenset({"room_advisor"}),
    frozenset({"hotline_12345"}),
    frozenset({"sysadmin"}),
)
CORRECTIONS = frozenset({"corrections_officer"})
EVERYONE = frozenset(PERSONAS)

# Who holds each capability (by the persona's role; where is the rule's business).
CAN: dict[str, frozenset[str]] = {
    "staff": EVERYONE,
    "matters.intake": CLERKS | HOTLINE | HANDLERS | ADVISOR | SYSADMIN,
    "matters.handle": HANDLERS | ADVISOR | CORRECTIONS | SYSADMIN,
    "matters.assign": HANDLERS | SUPERVISORS | ADMINS | SYSADMIN,
    "matters.transfer": CLERKS | HOTLINE | HANDLERS | SUPERVISORS | ADMINS | SYSADMIN,
    "matters.escalate": HANDLERS | SUPERVISORS | SYSADMIN,
    "matters.reopen": HANDLERS | SUPERVISORS | SYSADMIN,
    "matters.comment": EVERYONE,
    "matters.callback": HOTLINE | SUPERVISORS | SYSADMIN,
    "matters.rectify": HANDLERS | SUPERVISORS | ADMINS | SYSADMIN,
    "matters.supervise": SUPERVISORS | ADMINS | SYSADMIN,
    "matters.view_personal_data": EVERYONE - ADMINS,
    "knowledge.write": HANDLERS | ADVISOR | SUPERVISORS | ADMINS | SYSADMIN,
    "frontdesk.manage_schedule": ADMINS | SYSADMIN,
    "frontdesk.desk": CLERKS | ADVISOR | ADMINS | SYSADMIN,
    "frontdesk.review": CLERKS | ADMINS | SYSADMIN,
    "notify.view_outbox": SUPERVISORS | ADMINS | SYSADMIN | CLERKS | HOTLINE,
    "audit.view": SUPERVISORS | ADMINS | SYSADMIN,
    "orgs.manage_advisors": SUPERVISORS | ADMINS | SYSADMIN,
    "orgs.manage_staff": ADMINS | SYSADMIN,
    "orgs.edit_unit": ADMINS | SYSADMIN,
    # Pages open to more than one capability: the feedback page (supervise, callback, rectify), correcting the
    # topic (handle, intake, assign), the front desk's schedules (desk, review, manage_schedule).
    "feedback": SUPERVISORS | ADMINS | SYSADMIN | HOTLINE | HANDLERS,
    "topic": EVERYONE,
    "frontdesk": CLERKS | ADVISOR | ADMINS | SYSADMIN,
}

# Region-keyed rows (regions and villages carry a region code, not a unit): a 司法局 sees its region's subtree, every
# other unit the region of each unit it reaches, exactly. So a law firm of 思明区 sees 思明区 in the region
# directory, and the city-level notary office, prison and 12345 厦门市 itself.
SEES_REGION: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "city_supervisor": (Y, Y, N, Y, N),
    "bureau_supervisor": (Y, Y, N, N, N),
    "bureau_admin": (Y, Y, N, N, N),
    "centre_clerk": (Y, Y, Y, N, N),
    "aid_handler": (Y, Y, Y, N, N),
    "office_handler": (Y, N, N, N, N),
    "corrections_officer": (Y, N, N, N, N),
    "committee_handler": (Y, N, Y, N, N),
    "station_clerk": (Y, N, Y, N, N),
    "room_advisor": (Y, N, N, N, N),
    "firm_handler": (Y, Y, Y, N, N),
    "firm_admin": (Y, Y, Y, N, N),
    "notary_clerk": (Y, Y, Y, N, N),
    "prison_clerk": (Y, Y, Y, N, N),
    "hotline_12345": (Y, Y, Y, N, N),
    "sysadmin": (Y, Y, Y, Y, Y),
}
REGION_KEYED = frozenset({"region"})

# Outbox messages (fawang/notify/scopes.py). A message about a matter (kind "matter_message") follows the matter:
# SEES. A message about no matter (kind "message": a sign-in code, a test message) carries only a region code and
# stays with the 司法局 of that region (its subtree); no other unit reads it by region — a law firm of 思明区 no
# longer reads 思明区's messages (issue 12).
SEES_BUREAU_REGION: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "city_supervisor": (Y, Y, N, Y, N),
    "bureau_supervisor": (Y, Y, N, N, N),
    "bureau_admin": (Y, Y, N, N, N),
    "centre_clerk": (N, N, N, N, N),
    "aid_handler": (N, N, N, N, N),
    "office_handler": (N, N, N, N, N),
    "corrections_officer": (N, N, N, N, N),
    "committee_handler": (N, N, N, N, N),
    "station_clerk": (N, N, N, N, N),
    "room_advisor": (N, N, N, N, N),
    "firm_handler": (N, N, N, N, N),
    "firm_admin": (N, N, N, N, N),
    "notary_clerk": (N, N, N, N, N),
    "prison_clerk": (N, N, N, N, N),
    "hotline_12345": (N, N, N, N, N),
    "sysadmin": (Y, Y, Y, Y, Y),
}
BUREAU_REGION_KEYED = frozenset({"message"})

# Appointing a village's legal advisor (一村一法律顾问) at the first village under the region of the unit at each
# position (for 福建省司法厅 that is a village of 厦门市): 200 the form; 403 the village is reached but the role may
# not appoint; 404 the village is not reached. A village is reached by a 司法局 whose region holds it and by a
# service unit with a unit at the village in its tree (a 工作站's 工作室), never by the region of a unit alone.
NOT_REACHED = (404, 404, 404, 404, 404)
VILLAGE_APPOINT: dict[str, tuple[int, int, int, int, int]] = {
    "city_supervisor": (200, 200, 200, 200, 404),
    "bureau_supervisor": (200, 200, 200, 404, 404),
    "bureau_admin": (200, 200, 200, 404, 404),
    "office_handler": (403, 404, 403, 404, 404),
    "corrections_officer": (403, 404, 403, 404, 404),
    "station_clerk": (403, 404, 403, 404, 404),
    "room_advisor": (403, 404, 403, 404, 404),
    "sysadmin": (200, 200, 200, 200, 200),
}


@dataclass(frozen=True)
class Row:
    obj: str  # the kind of object in the URL ("page": none)
    rule: str  # "seen", "manage" or a capability (see above)
    method: str = "get"
    ok: int = 200
    body: tuple[
        tuple[str, Any], ...
    ] = ()  # "@obj": the object's id; "@topic": a topic other than the matter's
    in_url: bool = True  # False: the object is named only in the body (or the query string, for a GET)


ROWS: dict[str, Row] = {
    # Pages without an object.
    "console:home": Row("page", "staff"),
    "console:region_list": Row("page", "staff"),
    "console:unit_list": Row("page", "staff"),
    "console:practitioner_list": Row("page", "staff"),
    "console:advisor_list": Row("page", "staff"),
    "console:staff_list": Row("page", "staff"),
    "console:staff_create": Row("page", "orgs.manage_staff"),
    "console:audit_list": Row("page", "audit.view"),
    "notify:outbox": Row("page", "notify.view_outbox"),
    "matters:my_queue": Row("page", "staff"),
    "matters:unit_queue": Row("page", "staff"),
    "matters:list": Row("page", "matters.supervise"),
    "matters:intake": Row("page", "matters.intake"),
    "matters:intake_receipt": Row("page", "staff"),
    "matters:supervision": Row("page", "matters.supervise"),
    "matters:feedback": Row("page", "feedback"),
    "knowledge_console:list": Row("page", "knowledge.write"),
    "knowledge_console:create": Row("page", "knowledge.write"),
    "frontdesk:day": Row("page", "frontdesk.desk"),
    "frontdesk:reviews": Row("page", "frontdesk.review"),
    "frontdesk:schedules": Row("page", "frontdesk"),
    "frontdesk:schedule_new": Row("page", "frontdesk.manage_schedule"),
    "api:desk_appointments": Row("unit", "frontdesk", body=(("unit", "@obj"),), in_url=False),
    # Units and what hangs on them.
    "console:unit_window_add": Row(
        "unit", "manage_window", "post", 302, (("kind", "reception"), ("number", 99))
    ),
    "console:window_set_active": Row("window", "manage", "post", 302, (("active", "0"),)),
    "console:practitioner_detail": Row("practitioner", "seen"),
    "console:practitioner_credit_add": Row(
        "practitioner",
        "practitioner_credit",
        "post",
        302,
        (("kind", "penalty"), ("title", "矩阵：警告"), ("authority", "司法局"), ("decided_on", "2025-06-01")),
    ),
    # Matters and what hangs on them.
    "matters:suggestions": Row("matter", "seen"),
    "matters:topic": Row("matter", "topic", "post", 302, (("topic", "@topic"),)),
    "matters:attachment_upload": Row("matter", "matters.comment", "post", 400),
    "matters:attachment": Row("attachment", "seen"),
    "matters:person": Row("person", "seen"),
    "matters:person_reveal": Row(
        "person", "matters.view_personal_data", "post", 200, (("purpose", "核实身份"),)
    ),
    # A hand-over to an outside hotline: the ticket number on a matter with none open is refused with a message.
    "matters:outside_reply": Row("matter", "matters.transfer", "post", 302, (("ticket_no", "12345-0001"),)),
    "matters:callback": Row("callback", "seen"),
    "matters:rectification": Row("rectification", "seen"),
    # 法律依据 (legal basis): deciding on an article, adding one by its citation.
    "matters:article_decide": Row(
        "matter",
        "matters.intake|matters.handle",
        "post",
        302,
        (("article", "@article"), ("decision", "accepted")),
    ),
    "matters:article_add": Row(
        "matter",
        "matters.intake|matters.handle",
        "post",
        302,
        (("citation", "《中华人民共和国矩阵法》第一条"),),
    ),
    "matters_pdf:receipt": Row("matter", "seen"),
    "matters_pdf:result": Row("completed_matter", "seen"),
    "matters_pdf:materials": Row("materials_matter", "seen"),
    # Regions: the unit's own region (console:region_detail), a village under it (appointing its legal
    # advisor, 一村一法律顾问).
    "console:region_detail": Row("region", "staff"),
    "console:advisor_appoint": Row("village", "village_appoint"),
    "applications_console:reveal": Row(
        "application", "matters.view_personal_data", "post", 200, (("purpose", "核实身份"),)
    ),
    "notify:message_detail": Row("matter_message", "notify.view_outbox"),
    "notify:retry": Row("message", "notify.view_outbox", "post", 302),
    # Knowledge entries of the unit.
    "knowledge_console:edit": Row("entry", "knowledge.write"),
    "knowledge_console:publish": Row("entry", "knowledge.write", "post", 302),
    "knowledge_console:unpublish": Row("entry", "knowledge.write", "post", 302),
    "knowledge_console:review": Row("entry", "knowledge.write", "post", 302),
    # The front desk: schedules and appointments of the unit.
    "frontdesk:schedule": Row("schedule", "frontdesk"),
    "frontdesk:rule_add": Row(
        "schedule", "manage", "post", 302, (("weekday", 1), ("start_time", "14:00"), ("end_time", "15:00"))
    ),
    "frontdesk:exception_add": Row(
        "schedule", "manage", "post", 302, (("date", "2030-01-02"), ("kind", "closed"), ("note", "矩阵"))
    ),
    "frontdesk:rule_delete": Row("rule", "manage", "post", 302),
    "frontdesk:exception_delete": Row("exception", "manage", "post", 302),
    "frontdesk:appointment": Row("appointment", "seen"),
    "frontdesk:check_in": Row("appointment", "frontdesk.desk", "post", 302),
    "frontdesk:no_show": Row("appointment_past", "frontdesk.desk", "post", 302),
    "frontdesk:cancel": Row("appointment", "frontdesk.desk", "post", 302, (("reason", "矩阵"),)),
    "frontdesk:review": Row("visit", "frontdesk.review", "post", 302, (("decision", "approve"),)),
    "frontdesk:reveal": Row("visit", "matters.view_personal_data", "post", 200, (("purpose", "核实身份"),)),
    "frontdesk:intake": Row("appointment", "matters.intake"),
    "api:desk_appointment": Row("appointment", "seen"),
    "api:desk_check_in": Row("appointment", "frontdesk.desk", "post", 200),
    "api:desk_no_show": Row("appointment_past", "frontdesk.desk", "post", 200),
    "api:desk_review": Row("visit", "frontdesk.review", "post", 200, (("approve", True),)),
}


# Consultation's legal-basis pages are moving from matters to their own app (namespace consult, the same views):
# the rows hold under either name, and exactly one of each pair must be in the resolver.
MOVING: dict[str, str] = {
    "matters:suggestions": "consult:suggestions",
    "matters:article_decide": "consult:article_decide",
    "matters:article_add": "consult:article_add",
}
ROWS.update({new: ROWS[old] for old, new in MOVING.items()})


def rows_in_resolver(names: list[str]) -> dict[str, Row]:
    """The rows of the URLs that exist; a row with no URL is an error unless its URL moved (MOVING)."""
    present = set(names)
    for old, new in MOVING.items():
        assert (old in present) != (new in present), (old, new)
    missing = set(ROWS) - present - set(MOVING) - set(MOVING.values())
    assert not missing, f"ROWS declares URLs that do not exist: {sorted(missing)}"
    return {name: row for name, row in ROWS.items() if name in present}


def allowed_methods(view: Any) -> frozenset[str] | None:
    """The methods a view accepts, read from Django's require_http_methods anywhere in its decorators."""
    func: Any = view
    for _depth in range(20):
        if func is None:
            return None
        closure = inspect.getclosurevars(func).nonlocals if inspect.isfunction(func) else {}
        methods = closure.get("request_method_list")
        if methods is not None:
            return frozenset(methods)
        func = getattr(func, "__wrapped__", None)
    return None


def expected_answer(row: Row, persona: str, position: int, unit: Unit) -> int:
    if row.obj == "page":
        return row.ok if persona in CAN[row.rule] else 403
    if row.rule == "credit":
        return CREDIT.get(persona, CREDIT_OWN_ONLY)[position]
    if row.rule == "village_appoint":
        return VILLAGE_APPOINT.get(persona, NOT_REACHED)[position]
    if row.rule == "practitioner_credit":  # every practitioner has a credit file, whatever their unit
        return PRACTITIONER_CREDIT.get(persona, CREDIT_OWN_ONLY)[position]
    if row.rule in ANSWERS:  # a line's own table (its tests/matrix.py): persona -> five answers, "*" the rest
        table = ANSWERS[row.rule]
        return table.get(persona, table.get("*", NOT_REACHED))[position]
    sees = (
        SEES_REGION
        if row.obj in REGION_KEYED
        else SEES_BUREAU_REGION
        if row.obj in BUREAU_REGION_KEYED
        else SEES
    )
    if not sees[persona][position]:
        return 404
    if row.rule == "seen":
        return row.ok
    if row.rule == "manage":
        return row.ok if MANAGES.get(persona, NO_UNIT)[position] else 403
    if row.rule == "manage_window":  # only service points (中心、工作站、工作室) have windows: 400 elsewhere
        return (row.ok if unit.is_service_point else 400) if MANAGES.get(persona, NO_UNIT)[position] else 403
    return row.ok if persona in CAN[row.rule] else 403


# ---------------------------------------------------------------------------------------------------------------
# Matter actions (办理动作), declared once per action rather than per URL: the capability it needs (CAN), the
# status the matter is put in first, and the fields of a real body ("@handler": a handler of the matter's unit;
# "@target": a unit the persona may send it to; "@item": another service item; "@other": another matter of the
# same unit and person). The console posts each to matters:act; every API URL ``api:matter_<code>`` found in the
# resolver is posted the same body, so an action endpoint added to the API is in the matrix with no new line
# here, and one whose code has no rule fails test_every_url_is_declared.
@dataclass(frozen=True)
class ActionRule:
    capability: str  # a key of CAN
    status: str
    body: tuple[tuple[str, Any], ...] = ()


MS = Matter.Status
CAN["matters.intake|matters.handle"] = CAN["matters.intake"] | CAN["matters.handle"]
CAN["matters.handle|matters.supervise"] = CAN["matters.handle"] | CAN["matters.supervise"]
CAN["matters.intake|matters.callback"] = CAN["matters.intake"] | CAN["matters.callback"]
ACTION_RULES: dict[str, ActionRule] = {
    "accept": ActionRule("matters.handle", MS.SUBMITTED, (("note", "受理。"),)),
    "reject": ActionRule("matters.handle", MS.SUBMITTED, (("reason", "不符合受理条件。"),)),
    "request_materials": ActionRule("matters.handle", MS.SUBMITTED, (("other", "身份证明"), ("note", ""))),
    "supply_materials": ActionRule(
        "matters.intake|matters.handle", MS.AWAITING_MATERIALS, (("note", "已补正"),)
    ),
    "assign": ActionRule("matters.assign", MS.ACCEPTED, (("handler", "@handler"), ("note", ""))),
    "transfer": ActionRule("matters.transfer", MS.SUBMITTED, (("unit", "@target"), ("reason", "矩阵"))),
    "change_item": ActionRule(
        "matters.intake|matters.handle", MS.SUBMITTED, (("service_item", "@item"), ("reason", "矩阵"))
    ),
    "escalate": ActionRule("matters.escalate", MS.ACCEPTED, (("reason", "超期未办。"),)),
    "suspend": ActionRule("matters.handle", MS.ACCEPTED, (("reason", "等待鉴定。"),)),
    "resume": ActionRule("matters.handle", MS.SUSPENDED, (("note", ""),)),
    "complete": ActionRule("matters.handle", MS.ACCEPTED, (("result", "已办结。"),)),
    "close": ActionRule("matters.handle|matters.supervise", MS.COMPLETED, (("note", ""),)),
    "reopen": ActionRule("matters.reopen", MS.COMPLETED, (("reason", "服务对象有新情况。"),)),
    "withdraw": ActionRule("matters.intake|matters.handle", MS.SUBMITTED, (("reason", "服务对象撤回。"),)),
    "comment": ActionRule("matters.comment", MS.SUBMITTED, (("text", "矩阵留言"), ("visible", False))),
    "merge": ActionRule("matters.handle", MS.SUBMITTED, (("tracking_nos", "@other"), ("reason", "重复。"))),
    "rate": ActionRule("matters.intake|matters.callback", MS.COMPLETED, (("level", 5), ("comment", ""))),
}


# Body fields of one door only (none: the console and the API take the same action forms, matters.registry).
CONSOLE_ONLY: frozenset[str] = frozenset()
API_ONLY: frozenset[str] = frozenset()
# Declared answers that differ from the rule, each with its reason.
ACTION_EXCEPTIONS: dict[tuple[str, str, str, str], int] = {
    # A 工作室's legal advisor has nowhere to send a matter (no unit in the room's own region to route to), and
    # the console's form refuses the empty target before the role is looked at.
    ("matters:act", "transfer", "room_advisor", "own"): 400,
}


# The API's hidden endpoint for actions registered after the URLs were loaded (``.../actions/<slug>/``): posted
# every action too, when it exists.
LATE_ACTION_URL = "api:matter_action"


def api_action_codes(names: list[str]) -> dict[str, str]:
    """URL name -> action code, for the API's action endpoints (``api:matter_<code>``)."""
    return {
        name: name.removeprefix("api:matter_")
        for name in names
        if name.startswith("api:matter_") and name.removeprefix("api:matter_") in ACTION_RULES
    }


def reversible_without_args(name: str) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class PublicAndOwnPagesTestCase(RoleMatrixBase):
    def test_public_urls_answer_everyone_alike(self) -> None:
        """No public URL (without arguments) refuses a visitor who is not signed in (401/403) or any persona
        (403), and none fails."""
        answers: list[str] = []
        clients = {"anonymous": Client()}
        for persona, user in self.users.items():
            clients[persona] = Client()
            clients[persona].force_login(user)
        for name in all_url_names():
            url = reversible_without_args(name) if _in(PUBLIC, name) else None
            if url is None:
                continue
            got = {who: client.get(url).status_code for who, client in clients.items()}
            if got["anonymous"] in {401, 403, 500} or {403, 500} & set(got.values()):
                answers.append(f"{name}: {got}")
        self.assertEqual(answers, [], "\n" + "\n".join(answers))

    def test_own_pages_are_not_staff_pages(self) -> None:
        """A member of the public's own pages (without arguments) send a visitor who is not signed in to sign in
        (401 in the API) and serve a member of the public; no persona gets a page of them."""
        answers: list[str] = []
        public = Client()
        public.force_login(self.citizen)
        for name in all_url_names():
            url = reversible_without_args(name) if _in(OWN, name) and not _in(PUBLIC, name) else None
            if url is None:
                continue
            for persona, user in self.users.items():
                client = self.api(user) if name.startswith("api:") else Client()
                if not name.startswith("api:"):
                    client.force_login(user)
                got = client.get(url).status_code
                if got == 200:
                    answers.append(f"{name} {persona}: {got}")
        self.assertEqual(answers, [], "\n" + "\n".join(answers))

    def test_the_django_admin_is_for_none_of_the_personas(self) -> None:
        for persona, user in self.users.items():
            client = Client()
            client.force_login(user)
            with self.subTest(persona=persona):
                response = client.get(reverse("admin:index"))
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("admin:login")))


class BodyPositionsMatrixTestCase(RoleMatrixBase):
    """URLs that name the object only in the body: switching to the unit at each position, and assigning the
    matters at the five positions in one bulk assignment (to a handler of the persona's own unit)."""

    def test_switching_to_the_unit_at_each_position(self) -> None:
        from fawang.orgs.web import SESSION_KEY

        for persona, user in self.users.items():
            client = Client()
            client.force_login(user)
            for position in POSITIONS:
                unit = self.units[f"{persona}:{position}"]
                with self.subTest(persona=persona, position=position):
                    response = client.post(reverse("console:switch_unit"), {"unit": unit.pk})
                    self.assertEqual(response.status_code, 302)
                    # Only one's own unit (a unit one holds a role at) can be switched to.
                    self.assertEqual(client.session.get(SESSION_KEY) == unit.pk, position == "own")

    def test_bulk_assigning_matters_at_five_positions(self) -> None:
        seq = 3000
        for persona, user in self.users.items():
            own = self.units[f"{persona}:own"]
            handler = User.objects.create_user(f"matrix-bulk-{persona}", kind=User.Kind.STAFF)
            Membership.objects.create(user=handler, unit=own, role=Membership.Role.HANDLER)
            matters = {}
            for position in POSITIONS:
                seq += 1
                matters[position] = self.matter_at(self.units[f"{persona}:{position}"], seq)
                Matter.objects.filter(pk=matters[position].pk).update(status=Matter.Status.ACCEPTED)
            client = Client()
            client.force_login(user)
            response = client.post(
                reverse("matters:bulk_assign"),
                {"handler": handler.pk, "ids": [m.pk for m in matters.values()]},
            )
            may_assign = persona in CAN["matters.assign"]
            with self.subTest(persona=persona):
                self.assertEqual(response.status_code, 200 if may_assign else 403)
                for position, matter in matters.items():
                    assigned = Matter.objects.get(pk=matter.pk).handler_id == handler.pk
                    # Only the matters of the persona's own unit go to a handler of that unit.
                    self.assertEqual(assigned, may_assign and position == "own", position)


# ---------------------------------------------------------------------------------------------------------------
# Business lines declare their own URLs in ``fawang/<app>/tests/matrix.py`` (the seam: no line edits this file to
# add a URL). Such a module may define any of
#   ROWS          {url name: Row}                      staff URLs, as above
#   ACTION_RULES  {action code: ActionRule}            the line's matter actions (console and api:matter_<code>)
#   CAN           {capability: frozenset of personas}  who holds the line's capabilities
#   ANSWERS       {rule: {persona or "*": five answers}}  a row's answers at the five positions, by hand
#   PUBLIC, OWN   {url name or namespace: reason}      public pages, the public's own pages
#   make(case, kind, unit) -> object | None            the line's object kinds at a unit (None: not its kind)
# It may import the tables of this module (Row, ActionRule, the persona groups).
ANSWERS: dict[str, dict[str, tuple[int, int, int, int, int]]] = {}


def line_matrix_modules() -> list[ModuleType]:
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("fawang."):
            continue
        name = f"{config.name}.tests.matrix"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as e:
            if e.name not in (name, f"{config.name}.tests"):
                raise
    return found


LINE_MATRICES = line_matrix_modules()
for _module in LINE_MATRICES:
    for _table, _theirs in (
        (CAN, "CAN"),
        (ANSWERS, "ANSWERS"),
        (PUBLIC, "PUBLIC"),
        (OWN, "OWN"),
        (ROWS, "ROWS"),
        (ACTION_RULES, "ACTION_RULES"),
    ):
        _added: dict[str, Any] = getattr(_module, _theirs, {})
        _twice = set(_added) & set(_table)
        assert not _twice, f"{_module.__name__} declares {sorted(_twice)} again"
        _table.update(_added)
