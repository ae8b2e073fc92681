"""The OpenAPI schema and the browsable docs are served, offline, at /api/v1/."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_lists_the_collections():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/eligibility/",
        "/api/v1/payments/orders/{id}/transitions/",
        "/api/v1/notifications/",
    ):
        assert path in paths


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_are_served_from_local_assets(url):
    response = APIClient().get(url)

    assert response.status_code == 200
    assert b"cdn.jsdelivr.net" not in response.content


@pytest.fixture
def schema() -> dict:
    return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def response_schema(schema, path, method, status, media_type="application/json") -> dict:
    return schema["paths"][path][method]["responses"][status]["content"][media_type]["schema"]


def test_me_is_declared_as_one_user_not_a_list(schema):
    assert response_schema(schema, "/api/v1/me/", "get", "200") == {"$ref": "#/components/schemas/User"}


def test_transitions_are_declared_as_a_plain_list(schema):
    declared = response_schema(schema, "/api/v1/grants/applications/{id}/transitions/", "get", "200")

    assert declared == {"type": "array", "items": {"$ref": "#/components/schemas/Transition"}}


def test_the_error_body_declares_its_field_errors_map(schema):
    error = schema["components"]["schemas"]["Error"]

    assert set(error["required"]) == {"detail", "code", "errors"}
    items = error["properties"]["errors"]["additionalProperties"]["items"]
    assert items == {"$ref": "#/components/schemas/ErrorItem"}


def test_every_operation_declares_its_authentication_and_negotiation_errors(schema):
    for path, operations in schema["paths"].items():
        for method in operations:
            for status in ("401", "406"):
                assert response_schema(schema, path, method, status) == {"$ref": "#/components/schemas/Error"}


def test_a_pdf_letter_declares_pdf_for_success_and_json_for_its_errors(schema):
    responses = schema["paths"]["/api/v1/grants/applications/{id}/receipt/"]["get"]["responses"]

    assert list(responses["200"]["content"]) == ["application/pdf"]
    assert {status: list(responses[status]["content"]) for status in ("404", "409")} == {
        "404": ["application/json"],
        "409": ["application/json"],
    }


def test_a_document_download_declares_every_accepted_document_type(schema):
    from core.documents import ALLOWED_MEDIA_TYPES

    responses = schema["paths"]["/api/v1/grants/applications/{id}/documents/{document_id}/download/"]["get"][
        "responses"
    ]

    assert set(responses["200"]["content"]) == set(ALLOWED_MEDIA_TYPES)


def test_writes_declare_body_errors_and_lists_declare_filter_errors(schema):
    create = schema["paths"]["/api/v1/grants/applications/"]["post"]["responses"]
    listing = schema["paths"]["/api/v1/grants/applications/"]["get"]["responses"]

    assert {"400", "403", "409", "413", "415"} <= set(create)
    assert {"400", "404"} <= set(listing)


def test_the_throttled_sign_in_declares_429(schema):
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_a_draft_declares_its_unset_administration_and_reference_as_nullable(schema):
    properties = schema["components"]["schemas"]["GrantApplication"]["properties"]

    assert properties["administration"]["nullable"] is True
    assert properties["reference"]["nullable"] is True
    assert properties["submitted_at"]["nullable"] is True


def test_every_field_of_an_answer_is_required_in_its_schema_since_every_answer_carries_it(schema):
    """Generated clients then type them as present (an empty value is null, never a missing key)."""
    optional = {
        name: sorted(set(component["properties"]) - set(component.get("required", [])))
        for name, component in schema["components"]["schemas"].items()
        if "properties" in component and not name.endswith("Request")
    }

    assert {name: fields for name, fields in optional.items() if fields} == {
        "TransitionParameter": ["choices"]
    }


def test_a_page_s_next_and_previous_links_are_required_and_nullable(schema):
    page = schema["components"]["schemas"]["PaginatedGrantApplicationListList"]

    assert {"count", "next", "previous", "results"} <= set(page["required"])
    assert page["properties"]["next"]["nullable"] is True
