from __future__ import annotations

from collections import Counter

from django.test import SimpleTestCase

from .. import tracking
from .base import MONDAY


class TrackingNumberTestCase(SimpleTestCase):
    def test_format(self) -> None:
        number = tracking.generate(MONDAY)
        self.assertRegex(number, r"^FW250303[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$")
        self.assertEqual(len(number), tracking.LENGTH)
        self.assertTrue(tracking.is_valid(number))
        self.assertEqual(tracking.display(number), f"FW 250303 {number[8:12]} {number[12:]}")

    def test_not_sequential_or_guessable(self) -> None:
        numbers = [tracking.generate(MONDAY) for _ in range(500)]
        self.assertEqual(len(set(numbers)), 500)
        # Issued one after another, the numbers are in no order...
        self.assertNotEqual(numbers, sorted(numbers))
        # ...and every position of the random part uses (nearly) the whole alphabet.
        for position in range(8, 15):
            self.assertGreater(len(Counter(n[position] for n in numbers)), 28)

    def test_check_character_catches_typos(self) -> None:
        number = tracking.generate(MONDAY)
        for i in range(2, len(number)):
            for c in "0123456789" + tracking.ALPHABET:
                if c == number[i]:
                    continue
                typo = number[:i] + c + number[i + 1 :]
                self.assertFalse(tracking.is_valid(typo), typo)
        # Swapped neighbours (checked on a fixed number: Luhn mod N misses a few rare pairs).
        body = "250303K7QM9XH"
        fixed = "FW" + body + tracking.check_character(body)
        self.assertTrue(tracking.is_valid(fixed))
        for i in range(2, len(fixed) - 1):
            swapped = fixed[:i] + fixed[i + 1] + fixed[i] + fixed[i + 2 :]
            if swapped != fixed:
                self.assertFalse(tracking.is_valid(swapped), swapped)

    def test_what_people_type_is_normalised(self) -> None:
        number = tracking.generate(MONDAY)
        typed = f" {number[:2].lower()} {number[2:8]}-{number[8:12].lower()} {number[12:]} "
        self.assertTrue(tracking.is_valid(typed))
        self.assertEqual(tracking.normalize(typed), number)
        self.assertFalse(tracking.is_valid("FW250303ABC"))
        self.assertFalse(tracking.is_valid(""))
