"""A service item's own data (lines.ItemData): a line the seam has never heard of asks its extra fields at intake,
keeps them in its own store, and shows them on the staff matter page, without any edit of matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from fawang.matters import lines
from fawang.matters.models import Matter

from .base import MatterTestCase

STORE: dict[int, dict[str, Any]] = {}  # the line's own "table": matter id -> its fields


class DisputeForm(forms.Form):
    other_party = forms.CharField(max_length=50, error_messages={"required": "请填写对方当事人。"})
    amount = forms.DecimalField(min_value=0, error_messages={"invalid": "争议金额须为数字。"})


def save(matter: Matter, data: dict[str, Any]) -> None:
    STORE[matter.pk] = data


def facts(matter: Matter) -> list[tuple[str, str]]:
    row = STORE.get(matter.pk)
    return [] if row is None else [("对方当事人", row["other_party"]), ("争议金额", f"{row['amount']} 元")]


DISPUTE = lines.ItemData(("mediation",), DisputeForm, save, facts)


class ItemDataTestCase(MatterTestCase):
    def setUp(self) -> None:
        super().setUp()
        STORE.clear()
        lines.register_item_data(DISPUTE)
        self.addCleanup(lines.unregister_item_data, DISPUTE)

    def test_the_items_fields_are_stored_by_the_line_and_shown_on_the_matter_page(self) -> None:
        matter = self.submit(self.mediation, item_data={"other_party": "厦门某物业公司", "amount": "3200"})
        self.assertEqual(STORE[matter.pk]["other_party"], "厦门某物业公司")
        self.client.force_login(self.sysadmin)
        page = self.client.get(reverse("matters:detail", args=[matter.pk]))
        self.assertContains(page, "对方当事人")
        self.assertContains(page, "厦门某物业公司")
        self.assertContains(page, "3200 元")

    def test_bad_fields_are_refused_in_chinese_and_nothing_is_stored(self) -> None:
        before = Matter.objects.count()
        with self.assertRaises(ValidationError) as caught:
            self.submit(self.mediation, item_data={"other_party": "", "amount": "三千"})
        self.assertEqual(caught.exception.message_dict["other_party"], ["请填写对方当事人。"])
        self.assertEqual(caught.exception.message_dict["amount"], ["争议金额须为数字。"])
        self.assertEqual(Matter.objects.count(), before)
        self.assertEqual(STORE, {})

    def test_other_items_have_no_own_data_and_refuse_some(self) -> None:
        self.assertIsNone(lines.item_form("legal_aid"))
        self.assertIsNotNone(lines.item_form("mediation"))
        aid = self.submit()
        self.assertEqual(lines.item_facts(aid), [])
        with self.assertRaises(ValidationError):
            self.submit(item_data={"other_party": "某公司"})

    def test_an_item_takes_one_lines_data_only(self) -> None:
        other = lines.ItemData(("mediation",), DisputeForm, save, lambda matter: [])
        with self.assertRaises(ValueError):
            lines.register_item_data(other)


class ConsoleIntakeTestCase(MatterTestCase):
    """The window's 受理登记 asks a row's own fields once its service item is chosen, keeps what was typed when
    they are wrong, and hands them to the line."""

    def setUp(self) -> None:
        super().setUp()
        STORE.clear()
        lines.register_item_data(DISPUTE)
        self.addCleanup(lines.unregister_item_data, DISPUTE)

    def post(self, **row: Any) -> Any:
        from .test_views_intake import IntakeTestCase

        data = IntakeTestCase.data(
            IntakeTestCase(), {"service_item": self.mediation.pk, "description": "与房东就押金发生纠纷。"}
        )
        data.update(row)
        self.client.force_login(self.sm_clerk)
        return self.client.post(reverse("matters:intake"), data)

    def test_the_items_fields_are_asked_then_checked_then_saved_by_the_line(self) -> None:
        before = Matter.objects.count()
        # The item was just chosen: its fields were not on the page yet, so the page shows them, nothing is saved.
        first = self.post()
        self.assertEqual(first.status_code, 200)
        self.assertContains(first, 'name="req-0-item-other_party"')
        self.assertContains(first, "所选服务事项需要填写补充信息")
        self.assertEqual(Matter.objects.count(), before)
        # Wrong values: the line's Chinese messages, what was typed kept, nothing saved.
        bad = self.post(
            **{"req-0-item-for": "mediation", "req-0-item-other_party": "某物业", "req-0-item-amount": "三千"}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "争议金额须为数字。", status_code=400)
        self.assertContains(bad, 'value="某物业"', status_code=400)
        self.assertEqual((Matter.objects.count(), STORE), (before, {}))
        good = self.post(
            **{"req-0-item-for": "mediation", "req-0-item-other_party": "某物业", "req-0-item-amount": "3200"}
        )
        self.assertEqual(good.status_code, 302)
        matter = Matter.objects.order_by("-pk").first()
        assert matter is not None
        self.assertEqual(STORE[matter.pk]["other_party"], "某物业")

    def test_an_item_without_own_data_shows_no_extra_fields(self) -> None:
        self.client.force_login(self.sm_clerk)
        page = self.client.get(reverse("matters:intake"))
        self.assertNotContains(page, "req-0-item-")
        response = self.post(**{"req-0-service_item": self.legal_aid.pk})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(STORE, {})
