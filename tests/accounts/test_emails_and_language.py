"""Language defaults from the page, translated e-mail prefix and site name, links on DJANGO_SITE_URL."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import Organisation, User
from accounts.services import invite_colleague
from tests.factories import OrganisationFactory, UserFactory, applicant

pytestmark = pytest.mark.django_db

SITE = "https://mutualisation.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE + "/"


def sign_up(client, **overrides):
    data = {
        "email": "new.person@example.org",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "first_name": "Lotte",
        "last_name": "Maes",
        "preferred_language": "nl",
    }
    data.update(overrides)
    return client.post("/auth/signup/", data)


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def selected_language(page: str) -> str:
    select = page.split('name="preferred_language"')[1].split("</select>")[0]
    return re.search(r'<option value="(\w+)"[^>]*selected', select).group(1)


# -- language defaults -------------------------------------------------------------------------------


def test_the_sign_up_form_on_a_dutch_page_proposes_dutch():
    page = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/auth/signup/").content.decode()

    assert selected_language(page) == "nl"


def test_the_sign_up_form_on_a_french_page_proposes_french():
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/auth/signup/").content.decode()

    assert selected_language(page) == "fr"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_organisation_registered_on_a_dutch_page_proposes_dutch():
    page = signed_in(UserFactory(preferred_language="nl")).get("/organisations/new/").content.decode()

    assert selected_language(page) == "nl"


def test_the_edit_form_keeps_the_organisations_own_language():
    organisation = OrganisationFactory(preferred_language="fr")
    dutch_admin = applicant(organisation, preferred_language="nl")

    page = signed_in(dutch_admin).get(f"/organisations/{organisation.pk}/edit/").content.decode()

    assert selected_language(page) == "fr"


def test_an_organisation_created_through_a_dutch_api_call_without_a_language_is_dutch(api_client):
    api_client.force_authenticate(UserFactory())
    data = {
        "name_nl": "Buurthuis",
        "legal_form": "asbl",
        "enterprise_number": "0403170701",
        "street": "Hoogstraat 1",
        "postal_code": "1000",
        "city": "Brussel",
        "iban": "BE71096123456769",
        "bic": "GKCCBEBB",
        "email": "contact@buurthuis.example",
        "headcount_fte": "3",
        "annual_budget": "100000",
    }

    response = api_client.post("/api/v1/organisations/", data, format="json", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 201
    assert Organisation.objects.get(pk=response.json()["id"]).preferred_language == "nl"


# -- allauth's e-mails -------------------------------------------------------------------------------


def test_the_subject_prefix_is_translated_into_the_users_language():
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="nl"), preferred_language="nl")

    assert mail.outbox[0].subject.startswith("[Mutualisering] ")


def test_the_site_name_in_allauths_e_mails_is_translated_and_not_the_host_name():
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="nl"), preferred_language="nl")

    body = mail.outbox[0].body
    assert "Steunregelingen voor mutualisering" in body
    assert "testserver" not in body


def test_the_confirmation_link_is_built_on_the_site_url_not_on_the_request_host():
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="fr", HTTP_HOST="localhost"), preferred_language="fr")

    (link,) = [url for url in links_in(mail.outbox[0]) if "/confirm-email/" in url]
    assert link.startswith(f"{SITE}/auth/confirm-email/")


def test_the_confirmation_link_opens_the_confirmation_page():
    sign_up(Client(), preferred_language="fr")
    (link,) = [url for url in links_in(mail.outbox[0]) if "/confirm-email/" in url]

    assert Client().get(link.removeprefix(SITE)).status_code == 200


def test_the_password_reset_link_is_built_on_the_site_url():
    user = UserFactory(email="forgetful@example.org", preferred_language="nl")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    Client(HTTP_HOST="localhost").post("/auth/password/reset/", {"email": "forgetful@example.org"})

    (link,) = [url for url in links_in(mail.outbox[0]) if "/password/reset/key/" in url]
    assert link.startswith(f"{SITE}/auth/password/reset/key/")


def test_the_invitation_link_is_built_on_the_site_url(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_colleague(
            acting_user=applicant(organisation),
            organisation=organisation,
            email="colleague@example.org",
            role="member",
        )

    assert f"{SITE}/invitations/{invitation.token}/" in links_in(mail.outbox[0])


def test_a_new_user_signing_up_in_dutch_is_stored_as_dutch():
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="nl"), preferred_language="nl")

    assert User.objects.get(email="new.person@example.org").preferred_language == "nl"


# -- one form of address in Dutch ------------------------------------------------------------------


def test_the_dutch_catalogue_addresses_the_reader_with_u_only():
    from pathlib import Path

    from babel.messages.pofile import read_po
    from django.conf import settings

    informal = re.compile(r"(?<!\w)(je|jij|jou|jouw|jullie|jezelf)(?!\w)", re.IGNORECASE)
    with open(Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po", "rb") as catalogue:
        messages = list(read_po(catalogue))
    translations = [
        text
        for message in messages
        for text in (message.string if isinstance(message.string, tuple) else [message.string])
    ]

    assert [text for text in translations if text and informal.search(text)] == []


def test_allauths_confirmation_e_mail_says_u_in_dutch():
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="nl"), preferred_language="nl")

    assert mail.outbox[0].subject == "[Mutualisering] Bevestig uw e-mailadres"


def test_allauths_sign_out_page_says_u_in_dutch():
    page = signed_in(UserFactory(preferred_language="nl")).get("/auth/logout/").content.decode()

    assert "Weet u zeker dat u zich wilt afmelden?" in page
