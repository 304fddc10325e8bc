"""The capability matrix of the matters actions: which role may do what over a 思明区 unit."""

from __future__ import annotations

from fawang.orgs.roles import has_capability

from .base import MatterTestCase

MATRIX = {
    "matters.intake": {"sm_clerk", "sm_agent", "sm_handler"},
    "matters.handle": {"sm_handler"},
    "matters.assign": {"sm_handler", "sm_supervisor", "sm_admin"},
    "matters.transfer": {"sm_clerk", "sm_agent", "sm_handler", "sm_supervisor", "sm_admin"},
    "matters.escalate": {"sm_handler", "sm_supervisor"},
    "matters.reopen": {"sm_handler", "sm_supervisor"},
    "matters.comment": {"sm_clerk", "sm_agent", "sm_handler", "sm_supervisor", "sm_admin"},
    "matters.callback": {"sm_agent", "sm_supervisor"},
    "matters.rectify": {"sm_handler", "sm_supervisor", "sm_admin"},
    "matters.supervise": {"sm_supervisor", "sm_admin"},
    "matters.view_personal_data": {"sm_clerk", "sm_agent", "sm_handler", "sm_supervisor"},
}


class CapabilityMatrixTestCase(MatterTestCase):
    def test_matrix_over_a_siming_unit(self) -> None:
        people = {
            "sm_clerk": self.sm_clerk,
            "sm_agent": self.sm_agent,
            "sm_handler": self.sm_handler,
            "sm_supervisor": self.sm_supervisor,
            "sm_admin": self.sm_admin,
            "hl_handler": self.hl_handler,
            "hl_supervisor": self.hl_supervisor,
            "citizen": self.citizen,
        }
        for capability, allowed in MATRIX.items():
            for name, user in people.items():
                with self.subTest(capability=capability, user=name):
                    self.assertEqual(has_capability(user, capability, self.sm_legal_aid), name in allowed)
        # The city supervisor supervises every district; the system administrator may do everything.
        self.assertTrue(has_capability(self.xm_supervisor, "matters.supervise", self.sm_legal_aid))
        self.assertTrue(all(has_capability(self.sysadmin, c, self.sm_legal_aid) for c in MATRIX))
