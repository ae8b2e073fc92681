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
