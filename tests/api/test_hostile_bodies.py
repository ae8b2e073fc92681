"""Hostile request bodies answer a clear 400 in the API's error shape, never a server error, and
change nothing."""

import pytest
from rest_framework.test import APIClient

from grants.models import GrantApplication
from tests.factories import applicant
from tests.grants.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_and_client():
    draft = GrantApplicationFactory(title="Cuisine partagée")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_authenticate(applicant(draft.lead_organisation))
    return draft, client


def patch_raw(client, draft, body: bytes):
    return client.generic(
        "PATCH", f"/api/v1/grants/applications/{draft.pk}/", body, content_type="application/json"
    )


def test_deeply_nested_json_is_refused_as_malformed(draft_and_client):
    draft, client = draft_and_client

    response = patch_raw(client, draft, b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}
    assert GrantApplication.objects.get(pk=draft.pk).title == "Cuisine partagée"


def test_malformed_json_is_refused_with_the_error_shape(draft_and_client):
    draft, client = draft_and_client

    response = patch_raw(client, draft, b'{"title": "unterminated')

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_wrong_type_is_a_field_error(draft_and_client):
    draft, client = draft_and_client

    response = client.patch(
        f"/api/v1/grants/applications/{draft.pk}/", {"requested_amount": ["a"]}, format="json"
    )

    assert response.status_code == 400
    assert "requested_amount" in response.json()["errors"]
