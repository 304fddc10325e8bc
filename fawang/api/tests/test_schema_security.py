"""Issue 14, item 27: public operations carry no ``security`` (not ``security: [{}]``, which generated clients
read as needing a signed-in client); signed-in operations keep theirs; the PDF answer is ``application/pdf``."""

from __future__ import annotations

from typing import Any

from fawang.test import BaseTestCase


class SchemaTestCase(BaseTestCase):
    def schema(self) -> dict[str, Any]:
        response = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(response.status_code, 200)
        data: dict[str, Any] = response.json()
        return data


class SchemaSecurityTestCase(SchemaTestCase):
    def test_public_operations_have_no_security_and_signed_in_ones_keep_it(self) -> None:
        paths = self.schema()["paths"]
        operations = [op for ops in paths.values() for op in ops.values()]
        self.assertFalse([op["operationId"] for op in operations if op.get("security") == [{}]])
        self.assertNotIn("security", paths["/api/v1/regions/"]["get"])
        # Signing in is optional there (anonymous is the point): no security either, so a generated client
        # does not ask for a token to get one.
        self.assertNotIn("security", paths["/api/v1/me/sign-in/code/"]["post"])
        self.assertNotIn("security", paths["/api/v1/me/sign-in/token/"]["post"])
        self.assertIn({"tokenAuth": []}, paths["/api/v1/me/consultations/"]["post"]["security"])

    def test_the_result_pdf_is_described_as_a_pdf(self) -> None:
        responses = self.schema()["paths"]["/api/v1/me/matters/{id}/result.pdf"]["get"]["responses"]
        self.assertIn("application/pdf", responses["200"]["content"])


class ClientFriendlySchemaTestCase(SchemaTestCase):
    """Issue 14, item 28: an ASCII title and ASCII tags (Chinese names as their descriptions), no developer note
    as an operation's description, and nullable references with a type (OpenAPI 3.0.3)."""

    def test_title_and_tags_are_ascii_with_chinese_descriptions(self) -> None:
        schema = self.schema()
        self.assertTrue(schema["info"]["title"].isascii(), schema["info"]["title"])
        tags = {tag["name"]: tag["description"] for tag in schema["tags"]}
        self.assertEqual(tags["citizen"], "公众用户")
        self.assertEqual(tags["public"], "公开信息")
        used = {tag for ops in schema["paths"].values() for op in ops.values() for tag in op.get("tags", [])}
        self.assertTrue(all(tag.isascii() for tag in used), used)
        self.assertLessEqual(used, set(tags))

    def test_no_developer_note_and_typed_nullable_references(self) -> None:
        schema = self.schema()
        descriptions = [op.get("description", "") for ops in schema["paths"].values() for op in ops.values()]
        self.assertFalse([d for d in descriptions if "Base of every endpoint" in d])
        untyped: list[Any] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("nullable") and "allOf" in node and "type" not in node:
                    untyped.append(node)
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        self.assertEqual(untyped, [])


class DocumentedLimitsTestCase(SchemaTestCase):
    """Issue 14, item 26: 429 with Retry-After everywhere, 404 for a page past the end of the paginated lists, the
    Idempotency-Key's 100-character limit and the Idempotent-Replayed header, and Ask's 200."""

    def test_limits_are_documented(self) -> None:
        paths = self.schema()["paths"]
        for path, operations in paths.items():
            for method, operation in operations.items():
                with self.subTest(path=path, method=method):
                    throttled = operation["responses"]["429"]
                    self.assertIn("Retry-After", throttled["headers"])
        for path in ("/api/v1/guides/", "/api/v1/service-points/", "/api/v1/catalogue/items/"):
            self.assertIn("404", paths[path]["get"]["responses"])
        ask = paths["/api/v1/me/consultations/"]["post"]
        key = next(p for p in ask["parameters"] if p["name"] == "Idempotency-Key")
        self.assertEqual(key["schema"]["maxLength"], 100)
        self.assertIn("Idempotent-Replayed", ask["responses"]["201"]["headers"])
        self.assertIn("200", ask["responses"])


class MatterPersonSchemaTestCase(SchemaTestCase):
    """Issue 14, item 25: the staff matter's ``person`` is described as what the server answers — the masked
    person, or the full one when revealed — so a generated client parses the masked answer."""

    def test_the_masked_answer_fits_the_masked_schema(self) -> None:
        from rest_framework.test import APIClient

        from fawang.catalog.models import ServiceItem
        from fawang.matters import actions
        from fawang.matters.tests.base import id_number

        components = self.schema()["components"]["schemas"]
        person = components["MatterDetail"]["properties"]["person"]
        self.assertEqual(person["allOf"], [{"$ref": "#/components/schemas/MatterPerson"}])
        refs = [part["$ref"].rsplit("/", 1)[-1] for part in components["MatterPerson"]["oneOf"]]
        self.assertEqual(sorted(refs), ["PersonDetailMasked", "PersonFull"])
        item = ServiceItem.objects.get(code="legal_aid")
        matter = actions.do_submit(
            actor=self.sm_clerk,
            person=actions.PersonData(name="张三", phone="13912345678", id_number=id_number()),
            requests=[actions.MatterRequest(item, "拖欠工资。", self.region("350203001"))],
            channel="window",
            intake_unit=self.unit("siming.xiagang.station"),
        ).matters[0]
        client = APIClient()
        client.force_authenticate(self.sm_clerk)
        answer = client.get(f"/api/v1/matters/{matter.pk}/").json()["person"]
        self.assertLessEqual(set(components["PersonDetailMasked"]["required"]), set(answer))
        self.assertFalse(set(components["PersonFull"]["required"]) <= set(answer))  # not the full form
