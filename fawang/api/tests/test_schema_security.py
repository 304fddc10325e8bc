"""Issue 14, item 27: public operations carry no ``security`` (not ``security: [{}]``, which generated clients
read as needing a signed-in client); signed-in operations keep theirs; the PDF answer is ``application/pdf``."""

from __future__ import annotations

from typing import Any

from fawang.test import BaseTestCase


class SchemaSecurityTestCase(BaseTestCase):
    def schema(self) -> dict[str, Any]:
        response = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(response.status_code, 200)
        data: dict[str, Any] = response.json()
        return data

    def test_public_operations_have_no_security_and_signed_in_ones_keep_it(self) -> None:
        paths = self.schema()["paths"]
        operations = [op for ops in paths.values() for op in ops.values()]
        self.assertFalse([op["operationId"] for op in operations if op.get("security") == [{}]])
        self.assertNotIn("security", paths["/api/v1/regions/"]["get"])
        self.assertIn({"tokenAuth": []}, paths["/api/v1/me/consultations/"]["post"]["security"])

    def test_the_result_pdf_is_described_as_a_pdf(self) -> None:
        responses = self.schema()["paths"]["/api/v1/me/matters/{id}/result.pdf"]["get"]["responses"]
        self.assertIn("application/pdf", responses["200"]["content"])
