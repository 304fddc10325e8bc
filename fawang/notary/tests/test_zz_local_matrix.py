# LOCAL ONLY, never committed: the role matrix rows of this branch's URLs only.
import os

from fawang.console.tests import test_role_matrix_rows as rows_mod

_orig = rows_mod.rows_in_resolver
PREFIXES = tuple(os.environ.get("MX", "notary:").split(","))


def _only(names):
    return {n: r for n, r in _orig(names).items() if n.startswith(PREFIXES)}


rows_mod.rows_in_resolver = _only


class LocalMatrix(rows_mod.StaffUrlsMatrixTestCase):
    pass


del rows_mod
