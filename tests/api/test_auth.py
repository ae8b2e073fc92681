"""Token sign-in, token authentication, anonymous refusals and the token endpoint's throttle."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.errors import field_messages
from tests.factories import PASSWORD, UserFactory

from .conftest import verified_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
COLLECTIONS = [
    "/api/v1/me/",
    "/api/v1/organisations/",
    "/api/v1/notifications/",
    "/api/v1/payments/orders/",
]


def test_the_right_email_and_password_give_a_token():
    user = verified_user(email="ada@example.org")

    response = APIClient().post(TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert response.json()["token"] == user.auth_token.key


def test_the_email_address_is_matched_whatever_its_case():
    verified_user(email="ada@example.org")

    response = APIClient().post(TOKEN_URL, {"email": "Ada@Example.org", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_a_wrong_password_is_refused_with_400_and_a_message():
    user = verified_user()

    response = APIClient().post(TOKEN_URL, {"email": user.email, "password": "wrong-password"}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert response.json()["code"] == "invalid_credentials"
    assert "token" not in response.json()


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password():
    verified_user(email="ada@example.org")
    client = APIClient()

    unknown = client.post(TOKEN_URL, {"email": "nobody@example.org", "password": PASSWORD}, format="json")
    wrong = client.post(TOKEN_URL, {"email": "ada@example.org", "password": "wrong-password"}, format="json")

    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_an_address_not_yet_confirmed_gets_no_token():
    user = UserFactory()

    response = APIClient().post(TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "email_not_verified"
    assert not Token.objects.filter(user=user).exists()


def test_an_inactive_user_gets_no_token():
    user = verified_user(is_active=False)

    response = APIClient().post(TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 400


def test_a_token_request_without_password_has_a_field_error():
    response = APIClient().post(TOKEN_URL, {"email": "ada@example.org"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_the_token_authenticates_the_user_on_me():
    user = verified_user(email="ada@example.org")
    token = APIClient().post(TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.org"


def test_a_made_up_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get("/api/v1/me/")

    assert response.status_code == 401


@pytest.mark.parametrize("url", COLLECTIONS)
def test_anonymous_callers_are_refused_on_every_collection(url):
    response = APIClient().get(url)

    # Token authentication comes first, so DRF answers 401 with a WWW-Authenticate challenge.
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_token_endpoint_refuses_the_eleventh_attempt_in_a_minute():
    client = APIClient()
    answers = [
        client.post(TOKEN_URL, {"email": "ada@example.org", "password": "guess"}, format="json").status_code
        for _attempt in range(11)
    ]

    assert answers[:10] == [400] * 10
    assert answers[10] == 429


def _token_client(user, **headers) -> APIClient:
    client = APIClient(**headers)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_without_accept_language_the_api_answers_in_the_users_preferred_language():
    from django.utils import translation
    from django.utils.translation import gettext

    user = UserFactory(preferred_language="nl")

    response = _token_client(user).post("/api/v1/organisations/", {}, format="json")

    with translation.override("nl"):
        expected = gettext("This field is required.")
    assert response.status_code == 400
    assert response["Content-Language"] == "nl"
    assert field_messages(response, "legal_form") == [expected]


def test_an_explicit_accept_language_wins_over_the_users_preference():
    user = UserFactory(preferred_language="nl")

    response = _token_client(user, HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/organisations/", {}, format="json"
    )

    assert response["Content-Language"] == "en"
    assert field_messages(response, "legal_form") == ["This field is required."]
