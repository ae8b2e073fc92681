"""Every error of every endpoint answers one body: `{"detail", "code", "errors"}`."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings
from rest_framework.test import APIClient

from core.api import exception_handler
from core.exceptions import Conflict
from tests.api.conftest import verified_user
from tests.factories import UserFactory
from tests.grants.factories import Cast, GrantApplicationFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def assert_error_shape(body: dict) -> None:
    assert set(body) == {"detail", "code", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    for field, errors in body["errors"].items():
        assert isinstance(field, str)
        for error in errors:
            assert set(error) == {"message", "code"}


def test_a_field_error_lists_each_message_with_its_code(client_for):
    response = client_for(UserFactory()).post(ORGANISATIONS, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["code"] == "invalid"
    assert {"message": "This field is required.", "code": "required"} in response.json()["errors"][
        "legal_form"
    ]


def test_nested_field_errors_are_flattened_with_dots(client_for):
    application = GrantApplicationFactory()
    cast = Cast(application)

    response = client_for(cast.applicant).patch(
        f"/api/v1/grants/applications/{application.pk}/",
        {"budget_lines": [{"category": "not-a-category", "description": "x"}]},
        format="json",
    )

    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["errors"]["budget_lines.0.category"][0]["code"] == "invalid_choice"


def test_an_error_about_no_field_is_under_non_field_errors(client_for):
    response = client_for(UserFactory()).post(ORGANISATIONS, [1, 2], format="json")

    assert response.status_code == 400
    assert_error_shape(response.json())
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "invalid"


def test_malformed_json_answers_400_with_no_field_errors(client_for):
    response = client_for(UserFactory()).post(ORGANISATIONS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["errors"] == {}


def test_an_anonymous_call_answers_401_with_the_token_challenge():
    response = APIClient().get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert_error_shape(response.json())
    assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_answers_401_with_its_own_code():
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["errors"] == {}


def test_a_refusal_answers_403_in_the_error_shape(client_for):
    application = GrantApplicationFactory()
    cast = Cast(application)

    response = client_for(cast.applicant).get(f"/api/v1/grants/applications/{application.pk}/reviews/")

    assert response.status_code == 403
    assert_error_shape(response.json())
    assert response.json()["code"] == "reviews_for_staff"  # the grant decision's own stable code


def test_not_found_is_translated_and_never_names_a_model(client_for):
    response = client_for(UserFactory()).get("/api/v1/grants/applications/999999/", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 404
    assert_error_shape(response.json())
    assert response.json() == {"detail": "Niet gevonden.", "code": "not_found", "errors": {}}


def test_a_method_the_endpoint_does_not_have_answers_405(client_for):
    response = client_for(UserFactory()).delete("/api/v1/me/")

    assert response.status_code == 405
    assert_error_shape(response.json())
    assert response.json()["code"] == "method_not_allowed"


def test_asking_for_a_media_type_the_endpoint_cannot_answer_gives_406(client_for):
    response = client_for(UserFactory()).get("/api/v1/me/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_acceptable"


def test_a_body_of_an_unsupported_media_type_answers_415(client_for):
    response = client_for(UserFactory()).post(ORGANISATIONS, "name=x", content_type="text/plain")

    assert response.status_code == 415
    assert_error_shape(response.json())
    assert response.json()["code"] == "unsupported_media_type"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_json_body_over_the_upload_limit_answers_413_in_json(client_for):
    body = json.dumps({"name_fr": "x" * 2048})

    response = client_for(UserFactory()).post(ORGANISATIONS, body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert_error_shape(response.json())
    assert response.json()["code"] == "payload_too_large"


def test_too_many_sign_in_attempts_answer_429_with_retry_after():
    verified_user(email="ada@example.org")
    client = APIClient()
    for _attempt in range(10):
        client.post("/api/v1/auth/token/", {"email": "ada@example.org", "password": "no"}, format="json")

    response = client.post(
        "/api/v1/auth/token/", {"email": "ada@example.org", "password": "no"}, format="json"
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert_error_shape(response.json())
    assert response.json()["code"] == "throttled"


def test_wrong_credentials_answer_400_in_the_error_shape():
    verified_user(email="ada@example.org")

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": "ada@example.org", "password": "no"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["errors"] == {}


def test_a_rules_validation_error_keeps_its_codes():
    error = DjangoValidationError(
        {"amount": DjangoValidationError("Too much.", code="above_maximum"), "__all__": "Nope."}
    )

    response = exception_handler(error, {})

    assert response.status_code == 400
    assert response.data["errors"] == {
        "amount": [{"message": "Too much.", "code": "above_maximum"}],
        "non_field_errors": [{"message": "Nope.", "code": "invalid"}],
    }
    assert response.data["code"] == "above_maximum"


def test_a_rules_error_about_no_field_becomes_the_detail():
    response = exception_handler(DjangoValidationError("Not now.", code="too_early"), {})

    assert response.data == {
        "detail": "Not now.",
        "code": "too_early",
        "errors": {"non_field_errors": [{"message": "Not now.", "code": "too_early"}]},
    }


def test_a_service_error_keeps_its_status_code_and_field_errors():
    error = Conflict(
        "Taken.",
        code="concurrent_change",
        errors={"amount": [{"message": "Changed meanwhile.", "code": "stale"}, "Reload."]},
    )

    response = exception_handler(error, {})

    assert response.status_code == 409
    assert response.data == {
        "detail": "Taken.",
        "code": "concurrent_change",
        "errors": {
            "amount": [
                {"message": "Changed meanwhile.", "code": "stale"},
                {"message": "Reload.", "code": "concurrent_change"},
            ]
        },
    }


def test_an_unknown_path_under_the_api_answers_a_json_404():
    response = APIClient().get("/api/v1/no-such-collection/", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden.", "code": "not_found", "errors": {}}


def test_an_id_the_routes_do_not_match_answers_a_json_404(client_for):
    response = client_for(UserFactory()).get("/api/v1/grants/applications/0.5/")

    assert response.status_code == 404
    assert_error_shape(response.json())


def test_an_unknown_page_outside_the_api_stays_html(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
