"""Input hygiene on every way in: the web forms, the API, the Django admin and allauth's sign-up."""

import pytest
from django.test import Client

from accounts.models import JointCommittee, Organisation, User
from tests.factories import UserFactory, applicant

pytestmark = pytest.mark.django_db

INVISIBLE_MESSAGE = "Enter visible text: this value is made only of spaces or invisible characters."
DIGITS_MESSAGE = "Write the number with the digits 0 to 9."


def organisation_data(**overrides):
    data = {
        "name_fr": "Maison des Solidarités",
        "name_nl": "Huis van de Solidariteit",
        "legal_form": "asbl",
        "enterprise_number": "0403170701",
        "street": "Rue Haute 1",
        "postal_code": "1000",
        "city": "Bruxelles",
        "iban": "BE71 0961 2345 6769",
        "bic": "GKCCBEBB",
        "email": "contact@maison.example",
        "preferred_language": "fr",
        "headcount_fte": "12.50",
        "annual_budget": "750000.00",
    }
    data.update(overrides)
    return data


def error_next_to(page: str, field: str) -> str:
    return page.split(f'id="id_{field}_errors"')[1].split("</")[0]


# -- web --------------------------------------------------------------------------------------------


def test_a_street_of_zero_width_spaces_is_refused_on_the_web(client_for):
    response = client_for(applicant(preferred_language="en")).post(
        "/organisations/new/", organisation_data(street="\u200b\u200b")
    )

    assert response.status_code == 200
    assert INVISIBLE_MESSAGE in error_next_to(response.content.decode(), "street")
    assert not Organisation.objects.filter(enterprise_number="0403170701").exists()


def test_a_budget_in_arabic_indic_digits_is_refused_on_the_web(client_for):
    response = client_for(applicant(preferred_language="en")).post(
        "/organisations/new/", organisation_data(annual_budget="٧٥٠٠٠٠")
    )

    assert DIGITS_MESSAGE in error_next_to(response.content.decode(), "annual_budget")


def test_a_name_typed_with_combining_accents_is_stored_composed_from_the_web(client_for):
    client_for(applicant(preferred_language="en")).post(
        "/organisations/new/", organisation_data(name_fr="Maison de l'e\u0301te\u0301")
    )

    assert Organisation.objects.get(enterprise_number="0403170701").name_fr == "Maison de l'été"


# -- API --------------------------------------------------------------------------------------------


def test_a_street_of_invisible_characters_answers_400_on_street_in_the_api(api_client):
    api_client.force_authenticate(applicant())

    response = api_client.post(
        "/api/v1/organisations/", organisation_data(street="\u2060\ufeff"), format="json"
    )

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"street": [{"message": INVISIBLE_MESSAGE, "code": "invisible_only"}]},
    )


def test_a_headcount_in_full_width_digits_answers_400_in_the_api(api_client):
    api_client.force_authenticate(applicant())

    response = api_client.post(
        "/api/v1/organisations/", organisation_data(headcount_fte="１２"), format="json"
    )

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"headcount_fte": [{"message": DIGITS_MESSAGE, "code": "non_ascii_digits"}]},
    )


def test_a_name_with_combining_accents_is_stored_composed_from_the_api(api_client):
    api_client.force_authenticate(applicant())

    api_client.post(
        "/api/v1/organisations/", organisation_data(name_nl="Cafe\u0301 van de wijk"), format="json"
    )

    assert Organisation.objects.get(enterprise_number="0403170701").name_nl == "Café van de wijk"


# -- Django admin -----------------------------------------------------------------------------------


def test_the_admin_refuses_a_joint_committee_named_with_invisible_characters(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True, preferred_language="en")

    response = client_for(admin).post(
        "/admin/accounts/jointcommittee/add/",
        {"number": "999", "name_fr": "\u200b", "name_nl": "Comité", "eligible": ""},
    )

    assert response.status_code == 200
    assert INVISIBLE_MESSAGE in response.content.decode()
    assert not JointCommittee.objects.filter(number="999").exists()


# -- allauth ----------------------------------------------------------------------------------------


def sign_up(client, **overrides):
    data = {
        "email": "new.person@example.org",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "first_name": "Lotte",
        "last_name": "Maes",
        "preferred_language": "en",
    }
    data.update(overrides)
    return client.post("/auth/signup/", data)


def test_sign_up_refuses_a_first_name_of_invisible_characters():
    response = sign_up(Client(HTTP_ACCEPT_LANGUAGE="en"), first_name="\u200d\u200d")

    assert INVISIBLE_MESSAGE in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_password_keeps_its_spaces_and_invisible_characters():
    password = " a-long\u200benough passphrase "

    sign_up(Client(HTTP_ACCEPT_LANGUAGE="en"), password1=password, password2=password)

    assert User.objects.get(email="new.person@example.org").check_password(password)
