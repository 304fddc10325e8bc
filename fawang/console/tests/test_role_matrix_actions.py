"""The role matrix, part 3: every matter action at five positions (the tables and the personas are in test_role_matrix.py; the parts are
separate modules so that a parallel run spreads them over its workers)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

from fawang.accounts.models import User
from fawang.console.tests.test_role_matrix import (
    ACTION_EXCEPTIONS,
    ACTION_RULES,
    API_ONLY,
    CAN,
    CONSOLE_ONLY,
    LATE_ACTION_URL,
    POSITIONS,
    SEES,
    RoleMatrixBase,
    all_url_names,
    api_action_codes,
)
from fawang.matters.models import Matter
from fawang.orgs.models import Membership, Unit


class MatterActionsMatrixTestCase(RoleMatrixBase):
    """Every action of ACTION_RULES, for every persona, on a matter at each of the five positions: through the
    console (matters:act) and through each API action endpoint."""

    def setUp(self) -> None:
        super().setUp()
        self.made: dict[tuple[str, int], Matter] = {}
        self.seq = 5000

    def matter_in(self, status: str, unit: Unit) -> Matter:
        key = (status, unit.pk)
        if key not in self.made:
            self.seq += 1
            matter = self.matter_at(unit, self.seq)
            Matter.objects.filter(pk=matter.pk).update(status=status)
            self.made[key] = self.reload(matter)
        return self.made[key]

    def value(self, value: Any, user: User, matter: Matter) -> Any:
        from fawang.catalog.models import ServiceItem
        from fawang.orgs.authority import routing_filter

        if value == "@handler":
            handler = User.objects.filter(username=f"matrix-handler-{matter.unit_id}").first()
            if handler is None:
                handler = User.objects.create_user(f"matrix-handler-{matter.unit_id}", kind=User.Kind.STAFF)
                Membership.objects.create(user=handler, unit_id=matter.unit_id, role=Membership.Role.HANDLER)
            return handler.pk
        if value == "@target":  # where the persona may send it (which targets: test_transfer_targets_...)
            targets = Unit.objects.filter(routing_filter(user), is_active=True).exclude(pk=matter.unit_id)
            targets = targets.exclude(kind__in=[Unit.Kind.LAW_FIRM, Unit.Kind.ROOM])
            return targets.order_by("pk").values_list("pk", flat=True).first() or ""
        if value == "@item":
            items = ServiceItem.objects.filter(is_active=True).exclude(pk=matter.service_item_id)
            return items.order_by("pk").values_list("pk", flat=True).first()
        if value == "@other":
            self.seq += 1
            other = self.matter_at(matter.unit, self.seq)
            Matter.objects.filter(pk=other.pk).update(person=matter.person)
            return other.tracking_no
        return value

    def test_every_action_at_five_positions(self) -> None:
        names = all_url_names()
        endpoints = api_action_codes(names)
        self.assertIn("api:matter_accept", endpoints)
        answers: list[str] = []
        consoles, apis = {}, {}
        for persona, user in self.users.items():
            consoles[persona] = Client()
            consoles[persona].force_login(user)
            apis[persona] = self.api(user)
        for code, rule in ACTION_RULES.items():
            urls = [("matters:act", code)] + [(name, c) for name, c in endpoints.items() if c == code]
            if LATE_ACTION_URL in names:
                urls.append((LATE_ACTION_URL, code))
            for persona, sees in SEES.items():
                user = self.users[persona]
                console, api = consoles[persona], apis[persona]
                for position, seen in zip(POSITIONS, sees, strict=True):
                    matter = self.matter_in(rule.status, self.units[f"{persona}:{position}"])
                    want = (200 if persona in CAN[rule.capability] else 403) if seen else 404
                    data = {key: self.value(value, user, matter) for key, value in rule.body}
                    for name, _code in urls:
                        want = ACTION_EXCEPTIONS.get((name, code, persona, position), want)
                        self.seq += 1
                        with transaction.atomic():
                            if name == "matters:act":
                                form = {
                                    f"{code}-{k}": v
                                    for k, v in data.items()
                                    if v is not False and k not in API_ONLY
                                }
                                response = console.post(
                                    reverse(name, args=[matter.pk]), {"action": code, **form}
                                )
                                got = 200 if response.status_code == 302 else response.status_code
                            else:
                                kwargs: dict[str, Any] = {"pk": matter.pk}
                                if name == LATE_ACTION_URL:
                                    kwargs["slug"] = code.replace("_", "-")
                                response = api.post(
                                    reverse(name, kwargs=kwargs),
                                    {k: v for k, v in data.items() if k not in CONSOLE_ONLY},
                                    format="json",
                                    HTTP_IDEMPOTENCY_KEY=f"matrix-{self.seq}",
                                )
                                got = response.status_code
                            transaction.set_rollback(True)
                        if got != want:
                            answers.append(f"{name} {code} {persona} {position}: {got}, declared {want}")
        self.assertEqual(answers, [], "\n" + "\n".join(answers))
