"""The role matrix, part 2b: the second half of the rows of ROWS at five positions (test_role_matrix_rows.py has the
first half and the way each row is asked)."""

from __future__ import annotations

from fawang.console.tests import test_role_matrix_rows as rows


class StaffUrlsMatrixSecondHalfTestCase(rows.StaffUrlsMatrixBase):
    def test_every_other_row_at_five_positions(self) -> None:
        """The second half of the rows (the second, fourth, sixth ...)."""
        self.check_rows(1)
