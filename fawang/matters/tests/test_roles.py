"""The capability matrix of the matters actions: which role may do what over a 思明区 unit (docs/authority.md:
the role decides what, the membership's unit where)."""

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


# Over the legal-aid centre: the centre's clerk and 12348 agent do not reach it (a service unit reaches itself and
# the units under it); the demo's handler holds a role there, the district bureau reaches it.
CENTRE_STAFF = {"sm_clerk", "sm_agent"}
LEGAL_AID_MATRIX = {capability: allowed - CENTRE_STAFF for capability, allowed in MATRIX.items()}


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
        for unit, matrix in ((self.sm_centre, MATRIX), (self.sm_legal_aid, LEGAL_AID_MATRIX)):
            for capability, allowed in matrix.items():
                for name, user in people.items():
                    with self.subTest(unit=unit.name, capability=capability, user=name):
                        self.assertEqual(has_capability(user, capability, unit), name in allowed)
        # The city supervisor supervises every district; the system administrator may do everything.
        self.assertTrue(has_capability(self.xm_supervisor, "matters.supervise", self.sm_legal_aid))
        self.assertTrue(all(has_capability(self.sysadmin, c, self.sm_legal_aid) for c in MATRIX))
